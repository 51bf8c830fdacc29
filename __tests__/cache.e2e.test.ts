// Issue 4 end to end: the bundled action's main and post steps, run as the runner runs them, against the loopback
// cache service and fixture proxy with the real go. A "fresh runner" has the same paths (HOME, workspace) as the
// last one, emptied: the cache's archive paths and version depend on them, as on GitHub's runners.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startCacheService, type CacheService } from './helpers/cache-service.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, removeTree, runGo, writeModule, type GoEnv } from './helpers/gotest-env.js'
import { REPO_ROOT, readActionYml, runAction, type ActionRun } from './helpers/runner.js'
import { treeDigest } from './helpers/cache-steps.js'

/** The bundle under test: GTG_ACTION_DIR (a bundle of a working tree), else the repository's dist/. */
const ACTION_DIR = process.env.GTG_ACTION_DIR ?? REPO_ROOT

const MODULES = [
  { path: 'example.com/greeting', version: 'v1.0.0' },
  { path: 'example.com/greeting', version: 'v1.1.0' },
  { path: 'example.com/extra', version: 'v1.0.0' }
]

let svc: CacheService
let proxy: FixtureProxy
let goenv: GoEnv
let workspace = ''

beforeAll(async () => {
  svc = await startCacheService()
  proxy = await startFixtureProxy({ modules: MODULES })
  goenv = makeGoEnv(proxy.url)
  workspace = join(makeTempDir('gtg-cache-e2e-'), 'workspace')
})
afterAll(async () => {
  await svc.close()
  await proxy.close()
  goenv.cleanup()
})

/**
 * A fresh runner at the same paths (empty HOME, GOPATH with the module cache, build cache, workspace) and a
 * checkout of a tidy app module, made by go with its own, separate module cache.
 */
async function freshRunner(greeting: string, imports = ['example.com/greeting']): Promise<void> {
  for (const d of [workspace, goenv.env.HOME, goenv.env.GOPATH, goenv.env.GOCACHE]) {
    removeTree(d)
    mkdirSync(d, { recursive: true })
  }
  writeModule(workspace, { path: 'example.com/app', requires: { 'example.com/greeting': greeting }, imports })
  const author = makeGoEnv(proxy.url)
  try {
    const r = await runGo(['mod', 'tidy'], { cwd: workspace, env: author.env })
    if (r.code !== 0) throw new Error(`go mod tidy: ${r.stderr}`)
  } finally {
    author.cleanup()
  }
}

interface Job {
  main: ActionRun
  post: ActionRun
}

type JobOptions = {
  inputs?: Record<string, string>
  service?: boolean
  eventName?: string
  env?: Record<string, string>
}

function stepOptions(opts: JobOptions) {
  const env = { ...goenv.env, ...(opts.service === false ? {} : svc.env()), ...opts.env }
  const inputs = { preflight: 'false', ...opts.inputs }
  return { workspace, env, inputs, eventName: opts.eventName, timeoutMs: 60_000, actionDir: ACTION_DIR }
}

/** main then post, as the runner runs them (post runs `always()`; these mains pass). */
async function job(opts: JobOptions = {}): Promise<Job> {
  const common = stepOptions(opts)
  const main = await runAction(common)
  expect(main.failed).toBe(false)
  const post = await runAction({ ...common, entry: 'post', state: main.state })
  expect(post.failed).toBe(false)
  return { main, post }
}

// The hermetic env turns the checksum database off, which the security review rightly flags: not a cache matter.
const warnings = (r: ActionRun): string[] =>
  r.annotations.filter((a) => a.level !== 'notice' && a.title !== 'Checksum database disabled').map((a) => a.message)
const creates = (): number => svc.log.filter((l) => l.target === 'CreateCacheEntry').length
const downloads = (mod: string): string[] => {
  const dir = join(goenv.env.GOMODCACHE, 'cache', 'download', 'example.com', mod, '@v')
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.zip'))
        .sort()
    : []
}

describe('module cache through main and post', () => {
  test('action.yml declares the post step, run always (it deletes the netrc file; it saves only after main passed)', () => {
    expect(readActionYml(ACTION_DIR).post).toBe('dist/post.js')
    expect(readFileSync(join(ACTION_DIR, 'action.yml'), 'utf8')).toMatch(/^\s+post-if: always\(\)$/m)
  })

  test('run 1 saves in post; run 2 on a fresh runner restores it: cache-hit, and the proxy serves no zip', async () => {
    svc.clear()
    await freshRunner('v1.0.0')
    const run1 = await job()
    expect(run1.main.outputs['cache-hit']).toBe('false')
    expect(warnings(run1.main)).toEqual([])
    expect(svc.entries()).toEqual([expect.objectContaining({ finalized: true })])
    expect(run1.post.summary).toMatch(/saved: \*\*yes\*\*/)
    expect(run1.post.summary).toContain(svc.entries()[0].key)

    await freshRunner('v1.0.0')
    const zips = proxy.zipRequests()
    const run2 = await job()
    expect(run2.main.outputs['cache-hit']).toBe('true')
    expect(proxy.zipRequests()).toBe(zips)
    expect(run2.main.summary).toContain('hit')
    expect(creates()).toBe(1)
    expect(run2.post.summary).toContain('exact key hit')
  })

  test('a partial restore followed by a dependency change saves a pruned cache', async () => {
    await freshRunner('v1.1.0')
    const run3 = await job()
    expect(run3.main.outputs['cache-hit']).toBe('false')
    expect(run3.main.summary).toContain('partial')
    expect(run3.post.summary).toMatch(/saved: \*\*yes\*\*.*pruned 1 unused module version/)
    expect(downloads('greeting')).toEqual(['v1.1.0.zip'])

    await freshRunner('v1.1.0')
    const zips = proxy.zipRequests()
    const run4 = await job()
    expect(run4.main.outputs['cache-hit']).toBe('true')
    expect(proxy.zipRequests()).toBe(zips)
    expect(downloads('greeting')).toEqual(['v1.1.0.zip'])
  })

  test('restore-only and pull requests restore but never save', async () => {
    await freshRunner('v1.1.0', ['example.com/greeting', 'example.com/extra'])
    const before = creates()
    const ro = await job({ inputs: { cache: 'restore-only' } })
    expect(ro.main.outputs['cache-hit']).toBe('false')
    expect(ro.post.summary).toContain('restore-only')
    await freshRunner('v1.1.0', ['example.com/greeting', 'example.com/extra'])
    const pr = await job({ eventName: 'pull_request' })
    expect(pr.post.summary).toContain('pull request')
    expect(creates()).toBe(before)
    expect([...warnings(ro.main), ...warnings(ro.post), ...warnings(pr.main), ...warnings(pr.post)]).toEqual([])
  })

  test('service errors and a missing service are warnings on a passing step', async () => {
    await freshRunner('v1.1.0')
    // The archive download fails; then saving meets the entry run 3 saved under this key: a conflict.
    svc.setFaults([{ target: 'BlobGet', kind: 'status', status: 500 }])
    const failing = await job()
    svc.setFaults([])
    expect(failing.main.outputs['cache-hit']).toBe('false')
    expect(warnings(failing.main).join('\n')).toContain('Failed to restore')
    expect(warnings(failing.post)).toEqual([expect.stringContaining('another job may be creating this cache')])

    await freshRunner('v1.1.0')
    const none = await job({ service: false })
    expect(none.main.outputs['cache-hit']).toBe('false')
    expect(warnings(none.main)).toEqual([expect.stringContaining('cache service is not available')])
    expect(warnings(none.post)).toEqual([])
  })
})

// Issue 10: a cache service that stalls costs a step seconds, not minutes (GTG_CACHE_STALL_SECONDS shortens the
// 10 s stall bound for these tests), and the warning says what stalled.
describe('a stalling cache service', () => {
  const stall = { env: { GTG_CACHE_STALL_SECONDS: '1' } }
  const timed = async (opts: Parameters<typeof runAction>[0]): Promise<{ run: ActionRun; ms: number }> => {
    const started = Date.now()
    const run = await runAction(opts)
    return { run, ms: Date.now() - started }
  }
  afterEach(() => svc.setFaults([]))

  test('main: a lookup that is never answered; tidy runs uncached after the bound, and the warning says why', async () => {
    await freshRunner('v1.0.0')
    svc.setFaults([{ target: 'GetCacheEntryDownloadURL', kind: 'hang' }])
    const { run: main, ms } = await timed(stepOptions(stall))
    expect(main.timedOut).toBe(false)
    expect(main.failed).toBe(false)
    expect(ms).toBeLessThan(20_000)
    expect(warnings(main)).toEqual([
      'module cache not restored: GetCacheEntryDownloadURL made no progress for 1 s (no answer from the cache service); continuing without it'
    ])
    expect(main.outputs['cache-hit']).toBe('false')
    expect(downloads('greeting')).toEqual(['v1.0.0.zip']) // from the proxy
  })

  test('main: an archive that stalls after its headers; nothing arrives in GOMODCACHE after the step went on', async () => {
    svc.clear()
    await freshRunner('v1.0.0')
    await job() // saves an entry
    await freshRunner('v1.0.0')
    svc.setFaults([{ target: 'BlobGet', kind: 'stall-body' }])
    const { run: main, ms } = await timed(stepOptions(stall))
    expect(main.failed).toBe(false)
    expect(ms).toBeLessThan(20_000)
    expect(warnings(main)).toEqual([
      'module cache not restored: the archive download made no progress for 1 s (the cache service answered, then stopped sending); continuing without it'
    ])
    expect(svc.log.filter((l) => l.fault === 'stall-body')).toHaveLength(1)
    const tidied = treeDigest(goenv.env.GOMODCACHE)
    svc.releaseStalled()
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(treeDigest(goenv.env.GOMODCACHE)).toEqual(tidied)
  })

  test.each([
    ['CreateCacheEntry', 'CreateCacheEntry made no progress for 1 s (no answer from the cache service)'],
    ['BlobPut', 'the archive upload made no progress for 1 s (no answer from the cache service)']
  ] as const)('post: %s never answered; post ends after the bound and says why', async (target, why) => {
    svc.clear()
    await freshRunner('v1.0.0')
    const main = await runAction(stepOptions(stall))
    expect(main.failed).toBe(false)
    svc.setFaults([{ target, kind: 'hang' }])
    const { run: post, ms } = await timed({ ...stepOptions(stall), entry: 'post', state: main.state })
    expect(post.timedOut).toBe(false)
    expect(post.failed).toBe(false)
    expect(ms).toBeLessThan(20_000)
    expect(warnings(post)).toEqual([`module cache not saved: ${why}`])
    expect(post.summary).toContain(why)
    expect(svc.entries().filter((e) => e.finalized)).toEqual([])
  })
})
