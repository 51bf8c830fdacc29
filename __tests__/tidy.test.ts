// The tidy stage on its own, with the real go: the -diff path (Go 1.23+) and the snapshot path that older Go
// needs (forced here by declaring an older version), which must restore the user's files byte for byte.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { goSumLines } from './helpers/modzip.js'
import { GO_BIN, makeGoEnv, makeTempDir, runGo, writeModule, type GoEnv } from './helpers/gotest-env.js'
import { tidyWithRetries } from '../src/tidy/module.js'
import type { GoModule } from '../src/types.js'

let proxy: FixtureProxy
let goenv: GoEnv
beforeAll(async () => {
  proxy = await startFixtureProxy({
    modules: [
      { path: 'example.com/greeting', version: 'v1.0.0' },
      { path: 'example.com/unused', version: 'v1.0.0' }
    ]
  })
  goenv = makeGoEnv(proxy.url)
})
afterAll(async () => {
  await proxy.close()
  goenv.cleanup()
})

/** A module that requires example.com/unused without importing it, and a go.sum line for it. */
async function driftedModule(): Promise<GoModule> {
  const dir = makeTempDir('gtg-tidy-')
  writeModule(dir, {
    path: 'example.com/app',
    requires: { 'example.com/greeting': 'v1.0.0' },
    imports: ['example.com/greeting']
  })
  const r = await runGo(['mod', 'tidy'], { cwd: dir, env: goenv.env })
  expect(r.code).toBe(0)
  expect((await runGo(['mod', 'edit', '-require=example.com/unused@v1.0.0'], { cwd: dir, env: goenv.env })).code).toBe(
    0
  )
  writeFileSync(
    join(dir, 'go.sum'),
    readFileSync(join(dir, 'go.sum'), 'utf8') +
      goSumLines({ path: 'example.com/unused', version: 'v1.0.0' }).join('\n') +
      '\n'
  )
  return { dir, rel: 'app', path: 'example.com/app' }
}

const files = (dir: string): (Buffer | undefined)[] =>
  ['go.mod', 'go.sum'].map((f) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined))

describe.each([
  ['1.26.8', '-diff'],
  ['1.22.5', 'a copy of go.mod and go.sum (-modfile)']
])('go %s (%s)', (version) => {
  const go = { bin: GO_BIN, version }

  test('check mode reports the drift and leaves both files byte for byte', async () => {
    const m = await driftedModule()
    const before = files(m.dir)
    const r = await tidyWithRetries(m, { go, env: goenv.env, mode: 'check', tidyArgs: [], retries: 0 })
    expect(r.status).toBe('drift')
    expect(r.changedFiles).toEqual(['app/go.mod', 'app/go.sum'])
    expect(r.diff).toContain('--- a/app/go.mod')
    expect(r.diff).toMatch(/^-\texample\.com\/unused v1\.0\.0$/m)
    expect(files(m.dir)).toEqual(before)
    expect(r.annotations.map((a) => a.file)).toEqual(['app/go.mod', 'app/go.sum'])
  })

  test('check mode never writes go.mod or go.sum, not even to put them back', async () => {
    const m = await driftedModule()
    const stamps = (): number[] =>
      ['go.mod', 'go.sum'].flatMap((f) => [statSync(join(m.dir, f)).mtimeMs, statSync(join(m.dir, f)).ctimeMs])
    const before = stamps()
    await new Promise((resolve) => setTimeout(resolve, 20)) // a write now would show in the time stamps
    const r = await tidyWithRetries(m, { go, env: goenv.env, mode: 'check', tidyArgs: [], retries: 0 })
    expect(r.status).toBe('drift')
    expect(stamps()).toEqual(before)
  })

  test('fix mode writes the tidy files', async () => {
    const m = await driftedModule()
    const r = await tidyWithRetries(m, { go, env: goenv.env, mode: 'fix', tidyArgs: [], retries: 0 })
    expect(r.status).toBe('fixed')
    expect(readFileSync(join(m.dir, 'go.mod'), 'utf8')).not.toContain('example.com/unused')
    expect(readFileSync(join(m.dir, 'go.sum'), 'utf8')).not.toContain('example.com/unused')
  })

  test('a go failure is classified and leaves the files alone', async () => {
    const m = await driftedModule()
    writeFileSync(join(m.dir, 'main.go'), 'package main\n\nimport _ "example.com/missing"\n\nfunc main() {}\n')
    const before = files(m.dir)
    const r = await tidyWithRetries(m, { go, env: goenv.env, mode: 'fix', tidyArgs: [], retries: 2 })
    expect(r.status).toBe('error')
    expect(r.error?.class).toBe('not-found')
    expect(r.attempts).toBe(1) // not transient: never retried
    expect(r.error?.output).toContain('example.com/missing')
    expect(files(m.dir)).toEqual(before)
  })
})

test('a go.sum with CRLF line endings is not drift: go mod tidy itself leaves it as it is', async () => {
  const dir = makeTempDir('gtg-tidy-')
  writeModule(dir, {
    path: 'example.com/app',
    requires: { 'example.com/greeting': 'v1.0.0' },
    imports: ['example.com/greeting']
  })
  expect((await runGo(['mod', 'tidy'], { cwd: dir, env: goenv.env })).code).toBe(0)
  writeFileSync(join(dir, 'go.sum'), readFileSync(join(dir, 'go.sum'), 'utf8').replace(/\n/g, '\r\n'))
  const m = { dir, rel: '.', path: 'example.com/app' }
  const before = files(dir)
  for (const version of ['1.26.8', '1.22.5']) {
    const r = await tidyWithRetries(m, {
      go: { bin: GO_BIN, version },
      env: goenv.env,
      mode: 'check',
      tidyArgs: [],
      retries: 0
    })
    expect([version, r.status]).toEqual([version, 'tidy'])
    expect(files(dir)).toEqual(before)
  }
})
