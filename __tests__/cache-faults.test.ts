// Caching is fail-soft: a missing, failing, conflicting or silent cache service is a warning, never a thrown error
// or a failed step; and the cases that must not save (restore-only, pull requests, a cache another step filled,
// an exact hit) never reach CreateCacheEntry.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { saveModuleCache } from '../src/cache/save.js'
import { holdsModules } from '../src/cache/state.js'
import { beginStep, captured, shortenBackoff, treeDigest } from './helpers/cache-steps.js'
import { makeCacheWorld, warnings, type CacheWorld } from './helpers/cache-world.js'
import { writeModule } from './helpers/gotest-env.js'
import { makeLargeModule } from './helpers/modzip.js'

let w: CacheWorld

beforeAll(async () => {
  // big: an archive of many compression blocks, so a corrupt one breaks off extraction midway.
  const big = makeLargeModule('example.com/big', 'v1.0.0', 2)
  w = await makeCacheWorld([
    { path: 'example.com/alpha', version: 'v1.0.0' },
    { path: 'example.com/beta', version: 'v1.2.0' },
    big
  ])
  writeModule(w.appDir, {
    path: 'example.com/app',
    imports: ['example.com/alpha', 'example.com/beta', 'example.com/big']
  })
  await w.tidy()
})
afterAll(async () => {
  // The abandoned requests of the "never answers" tests end (and log) when the service closes their sockets.
  await captured(async () => {
    await w.close()
    await new Promise((resolve) => setTimeout(resolve, 300))
  })
})
beforeEach(() => {
  w.svc.clear()
  w.svc.setFaults([])
  w.svc.log.splice(0)
})

const calls = (target: string): number => w.svc.log.filter((l) => l.target === target).length

/** main with an empty module cache, then what tidy would download: the state post then sees. */
async function restoredThenTidied(v: Parameters<CacheWorld['mainStep']>[0] = {}) {
  w.freshModCache()
  const main = await w.mainStep(v)
  await w.tidy()
  return main
}

describe('no saving where it must not', () => {
  test('restore-only restores but never saves', async () => {
    const main = await restoredThenTidied({ mode: 'restore-only' })
    expect(main.report.restore).toBe('miss')
    expect(calls('GetCacheEntryDownloadURL')).toBe(1)
    const post = await w.postStep(main.state)
    expect(post.report).toMatchObject({ saved: false, reason: '`cache: restore-only`' })
    expect(calls('CreateCacheEntry')).toBe(0)
    expect(post.summary).toContain('restore-only')
  })

  test.each(['pull_request', 'pull_request_target'])('a %s event restores but never saves', async (event) => {
    const main = await restoredThenTidied({ event })
    expect(main.report.restore).toBe('miss')
    const post = await w.postStep(main.state, { event })
    expect(post.report).toMatchObject({ saved: false, reason: expect.stringContaining('pull request') })
    expect(calls('CreateCacheEntry')).toBe(0)
    expect(warnings(post.annotations)).toEqual([])
  })

  test('a module cache an earlier step filled is neither restored over nor saved', async () => {
    w.freshModCache()
    await w.tidy()
    const before = treeDigest(w.gomodcache)
    expect(before.size).toBeGreaterThan(0)
    const main = await w.mainStep()
    expect(main.report.restore).toBe('skipped')
    expect(main.annotations).toEqual([
      expect.objectContaining({ level: 'notice', message: expect.stringContaining('already holds modules') })
    ])
    expect(main.report.note).toContain('already holds modules')
    expect(main.outputs['cache-hit']).toBe('false')
    expect(calls('GetCacheEntryDownloadURL')).toBe(0)
    expect(treeDigest(w.gomodcache)).toEqual(before)
    const post = await w.postStep(main.state)
    expect(post.report).toMatchObject({ saved: false })
    expect(calls('CreateCacheEntry')).toBe(0)
  })

  test('checksum tiles alone do not count as modules', async () => {
    w.freshModCache()
    mkdirSync(join(w.gomodcache, 'cache', 'download', 'sumdb'), { recursive: true })
    writeFileSync(join(w.gomodcache, 'cache', 'download', 'sumdb', 'x'), '')
    expect(holdsModules(w.gomodcache)).toBe(false)
    expect((await w.mainStep()).report.restore).toBe('miss')
  })

  test('cache: false saves no state; post then does nothing, quietly', async () => {
    const main = await restoredThenTidied({ mode: 'false' })
    expect(main.report.restore).toBe('disabled')
    expect(main.state['gtg-cache']).toBeUndefined()
    expect(w.svc.log).toEqual([])
    const post = await w.postStep(main.state)
    expect(post.report).toBeUndefined()
    expect(post.stdout).toBe('')
    expect(post.summary).toBe('')
  })
})

describe('fail-soft', () => {
  test('no cache service: one warning in main, a quiet post', async () => {
    const main = await restoredThenTidied({ service: false })
    expect(main.report.restore).toBe('failed')
    expect(warnings(main.annotations)).toEqual([expect.stringContaining('cache service is not available')])
    const post = await w.postStep(main.state, { service: false })
    expect(post.report).toMatchObject({ saved: false, reason: 'no cache service' })
    expect(warnings(post.annotations)).toEqual([])
  })

  test('a lookup answering 500 every time: a warning, a miss, and post still saves', async () => {
    w.svc.setFaults([{ target: 'GetCacheEntryDownloadURL', kind: 'status', status: 500 }])
    w.freshModCache()
    const undo = shortenBackoff()
    let main
    try {
      main = await w.mainStep()
    } finally {
      undo()
    }
    await w.tidy()
    expect(calls('GetCacheEntryDownloadURL')).toBe(5)
    expect(main.report.restore).toBe('failed')
    expect(main.report.note).toMatch(/Failed to restore: .*500/)
    expect(warnings(main.annotations).join('\n')).toContain('Failed to restore')
    expect(main.outputs['cache-hit']).toBe('false')
    const post = await w.postStep(main.state)
    expect(post.report?.saved).toBe(true)
  })

  test('a broken archive: a warning, and no half-extracted modules left for go to trust', async () => {
    const main1 = await restoredThenTidied()
    expect((await w.postStep(main1.state)).report?.saved).toBe(true)
    w.svc.setFaults([{ target: 'BlobGet', kind: 'corrupt' }])
    w.freshModCache()
    const main2 = await w.mainStep()
    expect(main2.report.restore).toBe('failed')
    expect(warnings(main2.annotations).length).toBeGreaterThan(0)
    expect(holdsModules(w.gomodcache)).toBe(false)
  })

  test('a save conflict (another job saved the key first) is a warning', async () => {
    const main = await restoredThenTidied()
    const first = await w.postStep(main.state)
    expect(first.report?.saved).toBe(true)
    const second = await w.postStep(main.state)
    expect(second.report).toMatchObject({
      saved: false,
      reason: expect.stringContaining('another job may be creating this cache')
    })
    expect(warnings(second.annotations)).toEqual([expect.stringContaining('another job may be creating this cache')])
    expect(w.svc.log.filter((l) => l.target === 'CreateCacheEntry').map((l) => l.status)).toEqual([200, 409])
  })

  test('reservation failing with 500 every time: a warning, nothing saved', async () => {
    const main = await restoredThenTidied()
    w.svc.setFaults([{ target: 'CreateCacheEntry', kind: 'status', status: 500 }])
    const undo = shortenBackoff()
    let post
    try {
      post = await w.postStep(main.state)
    } finally {
      undo()
    }
    expect(post.report?.saved).toBe(false)
    expect(warnings(post.annotations).length).toBeGreaterThan(0)
    expect(post.summary).toMatch(/saved: \*\*no\*\*/)
  })

  test('upload denied by the blob store: warnings, nothing committed', async () => {
    const main = await restoredThenTidied()
    w.svc.setFaults([{ target: 'BlobPut', kind: 'status', status: 403 }])
    const post = await w.postStep(main.state)
    expect(post.report?.saved).toBe(false)
    expect(warnings(post.annotations).length).toBeGreaterThan(0)
    expect(w.svc.entries().filter((e) => e.finalized)).toEqual([])
  })

  test('finalize refused: a warning, nothing saved', async () => {
    const main = await restoredThenTidied()
    w.svc.setFaults([{ target: 'FinalizeCacheEntryUpload', kind: 'not-ok', message: 'quota exceeded' }])
    const post = await w.postStep(main.state)
    expect(post.report?.saved).toBe(false)
    expect(warnings(post.annotations).join('\n')).toContain('quota exceeded')
  })

  test('a wrong runtime token: a warning, a miss', async () => {
    const main = await restoredThenTidied({ extra: { ACTIONS_RUNTIME_TOKEN: 'not-the-token' } })
    expect(main.report.restore).toBe('failed')
    expect(w.svc.log.map((l) => l.status)).toEqual([401])
  })

  test('a failed, drifted or cancelled main (nothing recorded): post saves nothing', async () => {
    const main = await restoredThenTidied({ passed: false })
    expect(main.report.restore).toBe('miss')
    const post = await w.postStep(main.state)
    expect(post.report).toMatchObject({ saved: false, reason: expect.stringContaining('the step did not pass') })
    expect(calls('CreateCacheEntry')).toBe(0)
    expect(warnings(post.annotations)).toEqual([])
  })
})

// Issue 10: a cache service that stalls is abandoned after a short bound, and a restore abandoned that way can
// never write into GOMODCACHE afterwards (tidy starts at once).
describe('a stalling cache service', () => {
  const bounds = { stallMs: 300 }
  const elapsed = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = Date.now()
    const value = await fn()
    return { value, ms: Date.now() - started }
  }

  test('a lookup that is never answered: main goes on uncached after the stall bound, naming the call', async () => {
    w.svc.setFaults([{ target: 'GetCacheEntryDownloadURL', kind: 'hang' }])
    w.freshModCache()
    const { value: main, ms } = await elapsed(() => w.mainStep({ bounds }))
    expect(ms).toBeLessThan(5_000)
    expect(main.report.restore).toBe('failed')
    const why = 'GetCacheEntryDownloadURL made no progress for 0.3 s (no answer from the cache service)'
    expect(main.report.note).toBe(`module cache not restored: ${why}; continuing without it`)
    expect(warnings(main.annotations)).toEqual([expect.stringContaining(why)])
    expect(calls('GetCacheEntryDownloadURL')).toBe(1) // not retried: abandoned
  })

  test('the whole restore is bounded too', async () => {
    w.svc.setFaults([{ target: 'GetCacheEntryDownloadURL', kind: 'hang' }])
    w.freshModCache()
    const { value: main, ms } = await elapsed(() => w.mainStep({ bounds: { stallMs: 60_000, totalMs: 400 } }))
    expect(ms).toBeLessThan(5_000)
    expect(main.report.note).toContain('the cache service took longer than 0.4 s')
  })

  test('an archive whose body stalls after the headers: abandoned, and what arrives later is never extracted', async () => {
    const first = await restoredThenTidied()
    expect((await w.postStep(first.state)).report?.saved).toBe(true)
    w.svc.setFaults([{ target: 'BlobGet', kind: 'stall-body' }])
    w.freshModCache()
    const { value: main, ms } = await elapsed(() => w.mainStep({ bounds }))
    expect(ms).toBeLessThan(5_000)
    expect(main.report.restore).toBe('failed')
    expect(main.report.note).toContain(
      'the archive download made no progress for 0.3 s (the cache service answered, then stopped sending)'
    )
    expect(w.svc.log.filter((l) => l.fault === 'stall-body')).toHaveLength(1)
    // What tidy would now see: the rest of the archive arrives, and nothing may unpack it under go's feet.
    const late = await captured(async () => {
      w.svc.releaseStalled()
      await new Promise((resolve) => setTimeout(resolve, 1_500))
    })
    expect(holdsModules(w.gomodcache)).toBe(false)
    expect(treeDigest(w.gomodcache).size).toBe(0)
    expect(late.stdout).not.toMatch(/Failed to restore|Cache restored/)
  })

  // A stalled upload is tested through the bundled action (cache.e2e.test.ts): the storage SDK goes on retrying it
  // in the background, which only the post step's exit ends.
  test('a reservation that is never answered: post gives up after the stall bound and says why', async () => {
    const why = 'CreateCacheEntry made no progress for 0.3 s (no answer from the cache service)'
    const main = await restoredThenTidied()
    w.svc.setFaults([{ target: 'CreateCacheEntry', kind: 'hang' }])
    beginStep({ ...w.svc.env(), GITHUB_WORKSPACE: w.workspace }, main.state)
    const { value: run, ms } = await elapsed(() => captured(() => saveModuleCache({ bounds })))
    expect(ms).toBeLessThan(10_000)
    expect(run.value).toMatchObject({ saved: false, timedOut: true, reason: `module cache not saved: ${why}` })
    expect(warnings(run.commands.annotations)).toEqual([`module cache not saved: ${why}`])
    expect(w.svc.entries().filter((e) => e.finalized)).toEqual([])
  })
})
