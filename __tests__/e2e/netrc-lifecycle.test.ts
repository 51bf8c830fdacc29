// Issue 10 point 5: the netrc file (0600, with the password) never outlives the step that needs it. The bundled
// action runs as the runner runs it: main, then post with main's state (action.yml runs post `always()`; that line
// is checked in cache.e2e.test.ts). Also: a job cancelled during main (SIGINT, SIGTERM: index.ts stops go and lets
// main finish) takes the file along.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { startBlackhole, refusedUrl, type Blackhole } from '../helpers/blackhole.js'
import { startCacheService, type CacheService } from '../helpers/cache-service.js'
import { makeGoEnv, makeTempDir } from '../helpers/gotest-env.js'
import { REPO_ROOT, runAction, type ActionRun } from '../helpers/runner.js'
import { closeAll, fixtureProxy, LIB, onClose, PUB, runStep, tidyTemplate, workspaceFrom } from './enterprise-world.js'

const ACTION_DIR = process.env.GTG_ACTION_DIR ?? REPO_ROOT
const PASS = 'lifecycle-' + 'Qz7'.repeat(8)
const NETRC = `machine 127.0.0.1 login bot password ${PASS}\n`

let template: string
let goproxy: string
let svc: CacheService

beforeAll(async () => {
  const open = await fixtureProxy()
  goproxy = open.url
  const env = makeGoEnv(open.url)
  template = await tidyTemplate([PUB.path, LIB.path], env.env)
  env.cleanup()
  svc = onClose(await startCacheService())
})
afterAll(closeAll)

/** netrc files in a step's RUNNER_TEMP. */
const netrcFiles = (r: ActionRun): string[] => readdirSync(r.runnerTemp).filter((f) => f.endsWith('.netrc'))

function post(r: ActionRun, env: Record<string, string> = {}): Promise<ActionRun> {
  return runStep(r.workspace, {
    entry: 'post',
    state: r.state,
    runnerTemp: r.runnerTemp,
    env: { ...r.env, ...env },
    actionDir: ACTION_DIR
  })
}

describe('the netrc file after a step that did not pass', () => {
  test('main fails before NETRC is exported (export-env true): the file is gone when main ends', async () => {
    const r = await runStep(workspaceFrom(template), {
      inputs: { netrc: NETRC, goproxy: await refusedUrl(), preflight: 'strict', 'preflight-timeout': '1' },
      actionDir: ACTION_DIR
    })
    expect(r.exitCode).toBe(1)
    const file = r.state['netrc-file']
    expect(file?.startsWith(r.runnerTemp + '/')).toBe(true)
    expect(r.env.NETRC).toBeUndefined()
    expect(existsSync(file)).toBe(false)
    const p = await post(r)
    expect(p.exitCode).toBe(0)
    expect(netrcFiles(p)).toEqual([])
  })

  test('drifted (export-env true): later steps keep NETRC until post, which deletes it and saves no module cache', async () => {
    const ws = workspaceFrom(template)
    rmSync(join(ws, 'go.sum'))
    const r = await runStep(ws, {
      inputs: { netrc: NETRC, goproxy, cache: 'true' },
      env: svc.env(),
      actionDir: ACTION_DIR
    })
    expect(r.exitCode).toBe(1)
    expect(r.outputs.drift).toBe('true')
    const file = r.state['netrc-file']
    expect(r.env.NETRC).toBe(file) // a later `if: always()` step may still use it
    expect(existsSync(file)).toBe(true)
    const p = await post(r, svc.env())
    expect(p.exitCode).toBe(0)
    expect(existsSync(file)).toBe(false)
    expect(p.summary).toContain('the step did not pass')
    expect(svc.log.filter((l) => l.target === 'CreateCacheEntry')).toEqual([])
  })

  test('a passing main with export-env true still saves the cache in post', async () => {
    const r = await runStep(workspaceFrom(template), {
      inputs: { netrc: NETRC, goproxy, cache: 'true' },
      env: svc.env(),
      actionDir: ACTION_DIR
    })
    expect(r.exitCode).toBe(0)
    const p = await post(r, svc.env())
    expect(p.summary).toMatch(/saved: \*\*yes\*\*/)
    expect(netrcFiles(p)).toEqual([])
  })
})

describe('a job cancelled during main', () => {
  let hole: Blackhole
  let wrapperDir: string

  beforeAll(async () => {
    hole = onClose(await startBlackhole())
    // The action as the runner sees it, with a main that first tells the test its pid, then runs the real bundle.
    wrapperDir = makeTempDir('gtg-signal-action-')
    copyFileSync(join(ACTION_DIR, 'action.yml'), join(wrapperDir, 'action.yml'))
    mkdirSync(join(wrapperDir, 'dist'))
    const real = pathToFileURL(resolve(ACTION_DIR, 'dist', 'index.js')).href
    writeFileSync(
      join(wrapperDir, 'dist', 'index.js'),
      `import { writeFileSync } from 'node:fs'\nwriteFileSync(process.env.GTG_TEST_PID_FILE, String(process.pid))\nawait import(${JSON.stringify(real)})\n`
    )
  })

  // export-env false: nothing later needs the file. true: whether or not main got to export NETRC, post (run
  // `always()`, also in a cancelled job) leaves none.
  test.each([
    ['SIGTERM', 'false'],
    ['SIGINT', 'false'],
    ['SIGTERM', 'true']
  ])(
    '%s while go waits on a silent proxy (export-env %s): the netrc file goes with the step',
    async (signal, exportEnv) => {
      const pidFile = join(makeTempDir('gtg-pid-'), 'pid')
      const runnerTemp = makeTempDir('gtg-runner-temp-')
      const connections = hole.connections()
      const step = runAction({
        actionDir: wrapperDir,
        workspace: workspaceFrom(template),
        runnerTemp,
        env: { ...makeGoEnv('http://127.0.0.1:9/unused').env, GTG_TEST_PID_FILE: pidFile },
        inputs: { netrc: NETRC, goproxy: hole.url, cache: 'false', 'export-env': exportEnv, 'preflight-timeout': '30' },
        timeoutMs: 60_000
      })
      // The netrc file exists before anything touches the network: once the proxy is contacted, cancel.
      const deadline = Date.now() + 30_000
      while (hole.connections() === connections && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(hole.connections()).toBeGreaterThan(connections)
      const pid = Number(readFileSync(pidFile, 'utf8'))
      expect(readdirSync(runnerTemp).filter((f) => f.endsWith('.netrc'))).toHaveLength(1)
      process.kill(pid, signal)
      const r = await step
      expect(r.timedOut).toBe(false)
      expect(r.failed).toBe(true)
      expect(r.state['netrc-file']).toBeTruthy()
      if (exportEnv === 'false' || r.env.NETRC === undefined) expect(netrcFiles(r)).toEqual([])
      expect(netrcFiles(await post(r))).toEqual([])
    }
  )
})
