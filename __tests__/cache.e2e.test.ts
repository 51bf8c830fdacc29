// Issue 4 end to end: the bundled action's main and post steps, run as the runner runs them, against the loopback
// cache service and fixture proxy with the real go. A "fresh runner" has the same paths (HOME, workspace) as the
// last one, emptied: the cache's archive paths and version depend on them, as on GitHub's runners.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startCacheService, type CacheService } from './helpers/cache-service.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, removeTree, runGo, writeModule, type GoEnv } from './helpers/gotest-env.js'
import { REPO_ROOT, readActionYml, runAction, type ActionRun } from './helpers/runner.js'

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

/** main then post, as the runner runs them (post only after a successful main: `post-if: success()`). */
async function job(opts: { inputs?: Record<string, string>; service?: boolean; eventName?: string } = {}): Promise<Job> {
  const env = { ...goenv.env, ...(opts.service === false ? {} : svc.env()) }
  const inputs = { preflight: 'false', ...opts.inputs }
  const common = { workspace, env, inputs, eventName: opts.eventName, timeoutMs: 60_000 }
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
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.zip')).sort() : []
}

describe('module cache through main and post', () => {
  test('action.yml declares the post step, run only after a successful main', () => {
    expect(readActionYml().post).toBe('dist/post.js')
    expect(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')).toMatch(/^\s+post-if: success\(\)$/m)
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
