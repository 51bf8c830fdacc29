// `go-tidy-guard relay` (issue 13) from the bundle: a long-lived loopback module proxy. go mod download through
// it completes with a silent first upstream; SIGINT and SIGTERM stop it cleanly (exit 0) with its statistics.
import { afterAll, expect, test } from '@jest/globals'
import { createServer, type AddressInfo } from 'node:net'
import { refusedUrl, startBlackhole } from '../helpers/fixture-proxy.js'
import { makeTempDir, runGo, writeModule } from '../helpers/gotest-env.js'
import { runCli, startCli } from '../helpers/cli-run.js'
import { cliEnv, closeAll, demoProxy, onClose } from './cli-world.js'

afterAll(closeAll)

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((resolve) => s.close(() => resolve()))
  return port
}

test.each(['SIGINT', 'SIGTERM'] as const)(
  'go mod download through the relay with a silent first upstream; %s stops it with stats',
  async (signal) => {
    const silent = onClose(await startBlackhole())
    const healthy = await demoProxy()
    const env = cliEnv(`${silent.url},${healthy.url}`)
    const port = await freePort()
    const relay = startCli(['relay', '--listen', `127.0.0.1:${port}`, '--preflight-timeout', '1'], {
      cwd: makeTempDir('gtg-relay-'),
      env
    })
    const line = await relay.waitFor(/export GOPROXY=\S+/)
    const goproxy = line.slice('export GOPROXY='.length)
    expect(goproxy).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/[A-Za-z0-9_-]{24}$`))
    const dir = makeTempDir('gtg-relay-mod-')
    writeModule(dir, {
      path: 'example.com/app',
      requires: { 'example.com/greeting': 'v1.1.0', 'example.com/unused': 'v1.0.0' }
    })
    const r = await runGo(['mod', 'download', 'example.com/greeting@v1.1.0', 'example.com/unused@v1.0.0'], {
      cwd: dir,
      env: { ...env, GOPROXY: goproxy } as Record<string, string>,
      timeoutMs: 60_000
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    relay.signal(signal)
    const exit = await relay.exited
    expect(exit).toEqual({ code: 0, signal: null })
    const out = relay.output()
    expect(out).toContain(`${signal}: stopping the relay`)
    expect(out).toMatch(new RegExp(`${healthy.url}\\s+[1-9]\\d*\\s`)) // the healthy upstream served the requests
    expect(out).toContain(silent.url)
  },
  90_000
)

test('a listen address that is not loopback is refused (exit 3)', async () => {
  const env = cliEnv('http://127.0.0.1:9/unused')
  const r = await runCli(['relay', '--listen', '0.0.0.0:8080'], { cwd: makeTempDir('gtg-relay-'), env })
  expect(r.code).toBe(3)
  expect(r.stderr).toContain('is not a loopback address')
})

test('--preflight strict: a proxy that refuses connections stops the relay before it serves (exit 2, named)', async () => {
  const refused = await refusedUrl()
  const healthy = await demoProxy()
  const env = cliEnv(`${healthy.url},${refused}`)
  const r = await runCli(['relay', '--preflight', 'strict', '--preflight-timeout', '2'], {
    cwd: makeTempDir('gtg-relay-'),
    env,
    timeoutMs: 20_000
  })
  expect(r.timedOut).toBe(false)
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('preflight (strict) failed')
  expect(r.stderr).toContain(`${refused} is refused`)
  expect(r.stdout).not.toContain('export GOPROXY=')
}, 30_000)

test('--relay false is refused as a usage error (exit 3)', async () => {
  const env = cliEnv('http://127.0.0.1:9/unused')
  const r = await runCli(['relay', '--relay', 'false'], { cwd: makeTempDir('gtg-relay-'), env, timeoutMs: 20_000 })
  expect(r.timedOut).toBe(false)
  expect(r.code).toBe(3)
  expect(r.stderr).toContain('--relay false')
})

test('--preflight strict with a healthy proxy: serves, and prints each verdict once', async () => {
  const healthy = await demoProxy()
  const env = cliEnv(healthy.url)
  const relay = startCli(['relay', '--preflight', 'strict'], { cwd: makeTempDir('gtg-relay-'), env })
  await relay.waitFor(/export GOPROXY=\S+/)
  await relay.waitFor(`preflight: ${healthy.url} ok`)
  relay.signal('SIGTERM')
  expect(await relay.exited).toEqual({ code: 0, signal: null })
  const lines = relay.output().split('\n')
  expect(lines.filter((l) => l.startsWith(`preflight: ${healthy.url} `))).toHaveLength(1)
}, 30_000)
