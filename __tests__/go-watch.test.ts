// The go command under the watchdog and under cancellation, with the real go against loopback servers that never
// answer: a cancelled job stops go at once and starts no other; the watchdog names the request go waited on. Both
// with go started directly and through the shells a run starts it with (go/launch.ts).
import { afterAll, expect, test } from '@jest/globals'
import { cancelGo, runGoWatched, withoutTrace } from '../src/go/watch.js'
import { directLauncher, shellLauncher, type Launcher } from '../src/go/launch.js'
import { startBlackhole } from './helpers/fixture-proxy.js'
import { GO_BIN, makeGoEnv, makeTempDir, writeModule } from './helpers/gotest-env.js'

const go = { bin: GO_BIN }
const closers: Array<() => unknown> = []
afterAll(async () => {
  for (const c of closers) await c()
})
const shells = shellLauncher()
closers.push(() => shells.close())
const launchers: Array<[string, Launcher]> = [
  ['directly', directLauncher],
  ['through a shell', shells]
]

async function hangingModule(): Promise<{ dir: string; env: Record<string, string>; gomodcache: string }> {
  const hole = await startBlackhole()
  closers.push(() => hole.close())
  const e = makeGoEnv(hole.url)
  closers.push(() => e.cleanup())
  const dir = makeTempDir('gtg-watch-')
  writeModule(dir, { path: 'example.com/app', requires: { 'example.com/Dep': 'v1.0.0' }, imports: ['example.com/Dep'] })
  return { dir, env: e.env, gomodcache: e.env.GOMODCACHE }
}

test.each(launchers)(
  'the watchdog stops a go (started %s) that waits on a silent proxy and names the request; the trace stays out of sight',
  async (_, launcher) => {
    const m = await hangingModule()
    const started = Date.now()
    const r = await runGoWatched(go, ['mod', 'tidy'], ['-diff'], {
      cwd: m.dir,
      env: m.env,
      stallMs: 800,
      gomodcache: m.gomodcache,
      launcher
    })
    expect(Date.now() - started).toBeLessThan(800 + 5000)
    expect(r.stalled?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/example\.com\/%21dep\/@v\/v1\.0\.0\.(mod|zip|info)$/)
    expect(r.stalled!.ms).toBeGreaterThanOrEqual(800)
    expect(r.stderr).toContain('# get ')
    expect(withoutTrace(r.stderr)).not.toContain('# get ')
  }
)

// Last: a cancelled job starts no go any more.
test('a cancelled job stops the running go with its signal, whichever way it started, and starts no other', async () => {
  const m = await hangingModule()
  const opts = { cwd: m.dir, env: m.env, stallMs: 0 }
  const running = launchers.map(([, launcher]) => runGoWatched(go, ['mod', 'tidy'], ['-diff'], { ...opts, launcher }))
  await new Promise((resolve) => setTimeout(resolve, 500))
  const started = Date.now()
  cancelGo('SIGINT')
  const [direct, shell] = await Promise.all(running)
  expect(Date.now() - started).toBeLessThan(3000)
  expect(direct.exitCode).not.toBe(0)
  expect(direct.stderr).toMatch(/go was killed by SIGINT$/)
  expect(shell.exitCode).not.toBe(0)
  expect(shell.stderr).toMatch(/go was killed by SIGINT$/)
  await expect(runGoWatched(go, ['mod', 'tidy'], [], { ...opts, launcher: shells })).rejects.toThrow(
    /cancelled \(SIGINT\)/
  )
})
