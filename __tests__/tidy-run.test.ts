// The run over many modules with the real go: concurrency bounded as asked, results in the modules' order, slowest
// first when timings are known, whole-module retries shared by the run, and shards that partition the modules.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { join } from 'node:path'
import { goProcesses } from '../src/go/watch.js'
import { inShard } from '../src/go/modules.js'
import { causeOf, readTimings, slowestFirst, tidyModules, writeTimings } from '../src/tidy/tidy.js'
import type { GoModule } from '../src/types.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { GO_BIN, makeGoEnv, makeTempDir, writeModule, type GoEnv } from './helpers/gotest-env.js'

const go = { bin: GO_BIN, version: '1.26.8' }
let proxy: FixtureProxy
const envs: GoEnv[] = []
beforeAll(async () => {
  proxy = await startFixtureProxy({ modules: [{ path: 'example.com/Dep', version: 'v1.0.0' }] })
})
afterAll(async () => {
  await proxy.close()
  for (const e of envs) e.cleanup()
})

function modules(n: number, requires: Record<string, string> = {}, imports: string[] = []): GoModule[] {
  const root = makeTempDir('gtg-run-')
  return Array.from({ length: n }, (_, i) => {
    const dir = join(root, `m${i}`)
    writeModule(dir, { path: `example.com/m${i}`, requires, imports })
    return { dir, rel: `m${i}`, path: `example.com/m${i}` }
  })
}

test('no more go processes than the concurrency, results in the order given', async () => {
  const e = makeGoEnv(proxy.url)
  envs.push(e)
  const mods = modules(6, { 'example.com/Dep': 'v1.0.0' })
  let most = 0
  const sampler = setInterval(() => (most = Math.max(most, goProcesses())), 2)
  const results = await tidyModules(mods, { go, env: e.env, mode: 'check', tidyArgs: [], retries: 0, concurrency: 2 })
  clearInterval(sampler)
  expect(results.map((r) => r.module.rel)).toEqual(mods.map((m) => m.rel))
  expect(results.every((r) => r.status === 'drift')).toBe(true) // each requires Dep without importing it
  expect(most).toBe(2)
})

test('a failure whose cause already failed a module is not retried module by module', async () => {
  const e = makeGoEnv('https://proxy.invalid') // no such host: transient for go's classification, permanent here
  envs.push(e)
  const mods = modules(4, { 'example.com/Dep': 'v1.0.0' }, ['example.com/Dep'])
  const results = await tidyModules(mods, { go, env: e.env, mode: 'check', tidyArgs: [], retries: 3, concurrency: 1 })
  expect(results.map((r) => r.error?.class)).toEqual(['network', 'network', 'network', 'network'])
  expect(results.map((r) => r.attempts)).toEqual([4, 1, 1, 1])
})

test('timings round-trip through the module cache, and the slowest known module starts first, unknown ones before', () => {
  const cache = makeTempDir('gtg-modcache-')
  const mods = modules(3)
  writeTimings(cache, [
    { module: mods[0], durationMs: 50 },
    { module: mods[1], durationMs: 900 }
  ] as never)
  expect(readTimings(cache)).toEqual({ m0: 50, m1: 900 })
  expect(slowestFirst(mods, readTimings(cache)).map((m) => m.rel)).toEqual(['m2', 'm1', 'm0'])
  expect(readTimings(join(cache, 'missing'))).toEqual({})
})

test('the cause of a failure: class and host, found without backtracking over hostile text', () => {
  const e = (message: string) => ({ class: 'network' as const, transient: true, message, hint: '' })
  expect(causeOf(e('Get "https://proxy.invalid/x/@v/list": dial tcp: lookup proxy.invalid: no such host'))).toBe(
    'network proxy.invalid'
  )
  expect(causeOf(e('dial tcp: lookup mirror.corp.example on 127.0.0.53:53: no such host'))).toBe(
    'network mirror.corp.example'
  )
  expect(causeOf(e('reading example.com/x@v1.0.0 (.zip) through the relay: 502 Bad Gateway'))).toBe('network relay')
  const started = performance.now()
  causeOf(e('a'.repeat(1_000_000) + ':' + 'b'.repeat(1_000_000)))
  expect(performance.now() - started).toBeLessThan(1000)
})

test('shards partition the modules: each in exactly one, the same on every machine', () => {
  const dirs = Array.from({ length: 300 }, (_, i) => `services/svc-${i}`)
  const count = 8
  const owners = dirs.map((d) => [...Array(count).keys()].filter((k) => inShard(d, { index: k + 1, count })))
  expect(owners.every((o) => o.length === 1)).toBe(true)
  const sizes = [...Array(count).keys()].map((k) => owners.filter((o) => o[0] === k).length)
  expect(Math.min(...sizes)).toBeGreaterThan(15) // spread, not all in one
  expect(inShard('services/svc-7', { index: 1, count: 1 })).toBe(true)
})
