// The go command under the watchdog and under cancellation, with the real go against loopback servers that never
// answer: a cancelled job stops go at once and starts no other; the watchdog names the request go waited on.
import { afterAll, expect, test } from '@jest/globals'
import { cancelGo, runGoWatched, withoutTrace } from '../src/go/watch.js'
import { startBlackhole } from './helpers/fixture-proxy.js'
import { GO_BIN, makeGoEnv, makeTempDir, writeModule } from './helpers/gotest-env.js'

const go = { bin: GO_BIN }
const closers: Array<() => unknown> = []
afterAll(async () => {
  for (const c of closers) await c()
})

async function hangingModule(): Promise<{ dir: string; env: Record<string, string>; gomodcache: string }> {
  const hole = await startBlackhole()
  closers.push(() => hole.close())
  const e = makeGoEnv(hole.url)
  closers.push(() => e.cleanup())
  const dir = makeTempDir('gtg-watch-')
  writeModule(dir, { path: 'example.com/app', requires: { 'example.com/Dep': 'v1.0.0' }, imports: ['example.com/Dep'] })
  return { dir, env: e.env, gomodcache: e.env.GOMODCACHE }
}

test('the watchdog stops a go that waits on a silent proxy and names the request; the trace stays out of sight', async () => {
  const m = await hangingModule()
  const started = Date.now()
  const r = await runGoWatched(go, ['mod', 'tidy'], ['-diff'], {
    cwd: m.dir,
    env: m.env,
    stallMs: 800,
    gomodcache: m.gomodcache
  })
  expect(Date.now() - started).toBeLessThan(800 + 5000)
  expect(r.stalled?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/example\.com\/%21dep\/@v\/v1\.0\.0\.(mod|zip|info)$/)
  expect(r.stalled!.ms).toBeGreaterThanOrEqual(800)
  expect(r.stderr).toContain('# get ')
  expect(withoutTrace(r.stderr)).not.toContain('# get ')
})

test('a cancelled job stops the running go with its signal and starts no other', async () => {
  const m = await hangingModule()
  const running = runGoWatched(go, ['mod', 'tidy'], ['-diff'], { cwd: m.dir, env: m.env, stallMs: 0 })
  await new Promise((resolve) => setTimeout(resolve, 500))
  const started = Date.now()
  cancelGo('SIGTERM')
  const r = await running
  expect(Date.now() - started).toBeLessThan(3000)
  expect(r.exitCode).not.toBe(0)
  await expect(runGoWatched(go, ['mod', 'tidy'], [], { cwd: m.dir, env: m.env, stallMs: 0 })).rejects.toThrow(
    /cancelled \(SIGTERM\)/
  )
})
