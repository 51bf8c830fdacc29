// The module cache stages in-process, as main and post run them, against the loopback cache service and a module
// cache filled by the real `go` from the loopback fixture proxy. Paths stay the same between "runs" (a fresh runner
// has the same HOME and workspace); "fresh" means the module cache directory is emptied.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { treeDigest } from './helpers/cache-steps.js'
import { makeCacheWorld, warnings, type CacheWorld } from './helpers/cache-world.js'
import { writeModule } from './helpers/gotest-env.js'
import type { FixtureModule } from './helpers/modzip.js'

const lib = (path: string, version: string, gomod?: string): FixtureModule => ({ path, version, gomod })
const FIXTURES: FixtureModule[] = [
  lib('example.com/alpha', 'v1.0.0'),
  lib('example.com/alpha', 'v1.1.0'),
  lib('example.com/beta', 'v1.0.0'),
  lib('example.com/delta', 'v1.0.0'),
  // Upper case exercises the module cache's `!` escaping. Gamma requires delta without importing it, and its
  // go 1.16 (an unpruned module graph) keeps delta's go.mod, but not its zip, in the app's go.sum.
  lib(
    'example.com/Gamma',
    'v1.0.0',
    'module example.com/Gamma\n\ngo 1.16\n\nrequire (\n\texample.com/beta v1.0.0\n\texample.com/delta v1.0.0\n)\n'
  )
]

let w: CacheWorld
let gomodcache = ''
let appDir = ''
beforeAll(async () => {
  w = await makeCacheWorld(FIXTURES)
  gomodcache = w.gomodcache
  appDir = w.appDir
})
afterAll(async () => {
  await w.close()
})

const savedPart = (rel: string): boolean =>
  rel === 'cache/vcs' || rel === 'cache/download/sumdb' || rel === 'cache/lock'
const twirpCalls = (name: string): number => w.svc.log.filter((l) => l.target === name).length

describe('save, then restore on a fresh runner', () => {
  let run1: Awaited<ReturnType<CacheWorld['mainStep']>>
  let saved: Map<string, string>

  test('run 1: miss, tidy downloads, post saves everything but checksum tiles and VCS clones', async () => {
    w.svc.clear()
    w.freshModCache()
    writeModule(appDir, {
      path: 'example.com/app',
      imports: ['example.com/alpha', 'example.com/Gamma', 'example.com/delta'],
      requires: { 'example.com/alpha': 'v1.0.0' }
    })
    run1 = await w.mainStep()
    expect(run1.report.restore).toBe('miss')
    expect(run1.report.key).toMatch(/^go-tidy-guard-Linux-X64-go1\.26\.8-[0-9a-f]{64}$/)
    expect(run1.outputs['cache-hit']).toBe('false')
    await w.tidy()
    expect(readFileSync(join(appDir, 'go.mod'), 'utf8')).toContain('example.com/alpha v1.0.0')
    // What go writes with a checksum database and direct fetches; neither belongs in the saved cache.
    mkdirSync(join(gomodcache, 'cache', 'download', 'sumdb', 'sum.example.invalid', 'tile'), { recursive: true })
    writeFileSync(join(gomodcache, 'cache', 'download', 'sumdb', 'sum.example.invalid', 'tile', '0'), 'tile')
    mkdirSync(join(gomodcache, 'cache', 'vcs', 'abc'), { recursive: true })
    writeFileSync(join(gomodcache, 'cache', 'vcs', 'abc', 'HEAD'), 'ref')
    saved = treeDigest(gomodcache, savedPart)
    const post = await w.postStep(run1.state)
    expect(post.report?.saved).toBe(true)
    expect(warnings(post.annotations)).toEqual([])
    // go.mod/go.sum changed under tidy: the saved key is the one the next run computes.
    expect(post.report?.key).not.toBe(run1.report.key)
    expect(w.svc.entries()).toEqual([expect.objectContaining({ key: post.report?.key, finalized: true })])
    expect(post.summary).toContain(post.report!.key!)
    expect(post.summary).toMatch(/saved: \*\*yes\*\*/)
    expect(saved.has('cache/download/example.com/alpha/@v/v1.0.0.zip')).toBe(true)
    expect(saved.has('example.com/!gamma@v1.0.0/gamma.go')).toBe(true)
  })

  test('run 2: exact hit restores identical files; tidy needs no proxy; post saves nothing', async () => {
    w.freshModCache()
    const zipsBefore = w.proxy.zipRequests()
    const run2 = await w.mainStep()
    expect(run2.report.restore).toBe('hit')
    expect(run2.report.matchedKey).toBe(run2.report.key)
    expect(run2.outputs['cache-hit']).toBe('true')
    expect(run2.report.sizeBytes).toBeGreaterThan(0)
    expect(treeDigest(gomodcache)).toEqual(saved)
    expect(existsSync(join(gomodcache, 'cache', 'download', 'sumdb'))).toBe(false)
    expect(existsSync(join(gomodcache, 'cache', 'vcs'))).toBe(false)
    await w.tidy({ offline: true })
    expect(w.proxy.zipRequests()).toBe(zipsBefore)
    const creates = twirpCalls('CreateCacheEntry')
    const post = await w.postStep(run2.state)
    expect(post.report).toMatchObject({ saved: false, reason: expect.stringContaining('exact key hit') })
    expect(twirpCalls('CreateCacheEntry')).toBe(creates)
  })

  test('run 3: a dependency change restores partially, then post prunes what no module needs and saves', async () => {
    w.freshModCache()
    writeModule(appDir, {
      path: 'example.com/app',
      imports: ['example.com/alpha', 'example.com/Gamma'],
      requires: { 'example.com/alpha': 'v1.1.0' }
    })
    const run3 = await w.mainStep()
    expect(run3.report.restore).toBe('partial')
    expect(run3.outputs['cache-hit']).toBe('false')
    expect(run3.report.matchedKey).not.toBe(run3.report.key)
    expect(existsSync(join(gomodcache, 'cache', 'download', 'example.com', 'alpha', '@v', 'v1.0.0.zip'))).toBe(true)
    await w.tidy()
    const gosum = readFileSync(join(appDir, 'go.sum'), 'utf8')
    expect(gosum).not.toContain('example.com/alpha v1.0.0')
    expect(gosum).not.toMatch(/example\.com\/delta v1\.0\.0 h1:/)
    const post = await w.postStep(run3.state)
    expect(post.report).toMatchObject({ saved: true })
    expect(post.report?.pruned?.removedVersions).toBeGreaterThanOrEqual(2)
    expect(post.summary).toMatch(/pruned \d+ unused module version/)
    const dl = (p: string) => join(gomodcache, 'cache', 'download', 'example.com', p)
    expect(existsSync(dl('alpha/@v/v1.0.0.zip'))).toBe(false)
    expect(existsSync(dl('alpha/@v/v1.0.0.mod'))).toBe(false)
    expect(existsSync(join(gomodcache, 'example.com', 'alpha@v1.0.0'))).toBe(false)
    expect(existsSync(dl('alpha/@v/v1.1.0.zip'))).toBe(true)
    expect(existsSync(join(gomodcache, 'example.com', 'alpha@v1.1.0', 'alpha.go'))).toBe(true)
    // delta is still in the module graph (Gamma requires it) but no package of it is built: go.mod only.
    expect(gosum).toContain('example.com/delta v1.0.0/go.mod')
    expect(existsSync(join(gomodcache, 'example.com', 'delta@v1.0.0'))).toBe(false)
    expect(existsSync(dl('delta/@v/v1.0.0.zip'))).toBe(false)
    expect(existsSync(dl('delta/@v/v1.0.0.ziphash'))).toBe(false)
    expect(existsSync(dl('delta/@v/v1.0.0.mod'))).toBe(true)
    expect(readFileSync(dl('alpha/@v/list'), 'utf8')).not.toContain('v1.0.0')
    assertCacheMatchesGoSum(gosum)
    // The pruned cache is what a later run restores, and it is enough for tidy.
    const pruned = treeDigest(gomodcache, savedPart)
    w.freshModCache()
    const run4 = await w.mainStep()
    expect(run4.report.restore).toBe('hit')
    expect(treeDigest(gomodcache)).toEqual(pruned)
    await w.tidy({ offline: true })
  })
})

/** Every zip in the cache has a `h1:` line in go.sum, and every go.sum line has its file in the cache. */
function assertCacheMatchesGoSum(gosum: string): void {
  const digest = treeDigest(join(gomodcache, 'cache', 'download'))
  const zips = [...digest.keys()].filter((f) => f.endsWith('.zip'))
  const esc = (s: string) => s.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase())
  const want = gosum
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => l.split(' '))
  const wantZips = want.filter(([, v]) => !v.endsWith('/go.mod')).map(([p, v]) => `${esc(p)}/@v/${esc(v)}.zip`)
  expect(zips.sort()).toEqual(wantZips.sort())
  for (const [p, v] of want.filter(([, v]) => v.endsWith('/go.mod'))) {
    expect(digest.has(`${esc(p)}/@v/${esc(v.replace('/go.mod', ''))}.mod`)).toBe(true)
  }
}
