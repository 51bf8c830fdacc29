// The command line's check and fix (issue 13), run from the bundle (dist/cli.js) as a subprocess on a copy of
// examples/ against loopback proxies: exit codes, the --json RunResult, the human output on a pipe (no control
// characters) and under a pseudo-terminal (a spinner, colour), and the annotation formats.
import { afterAll, expect, test } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResult } from '../../src/types.js'
import { refusedUrl, startBlackhole } from '../helpers/fixture-proxy.js'
import { issueCert, makeTestCA } from '../helpers/tls.js'
import { CONTROL, runCli } from '../helpers/cli-run.js'
import { cliEnv, closeAll, demoProxy, examples, onClose } from './cli-world.js'

afterAll(closeAll)

test('check on a pipe: a silent first proxy, drift in service; exit 1, plain text only, what to do last', async () => {
  const healthy = await demoProxy()
  const silent = onClose(await startBlackhole())
  const ws = examples()
  const r = await runCli(['check', '.', '--preflight-timeout', '1'], {
    cwd: ws,
    env: cliEnv(`${silent.url},${healthy.url}`)
  })
  expect(r.stderr).toBe('')
  expect(r.code).toBe(1)
  expect(r.stdout).not.toMatch(CONTROL)
  expect(r.stdout).not.toContain('::') // no workflow commands, no ::add-mask:: outside Actions
  expect(r.stdout).toMatch(/^ {2}ok {4}hello {2}\(\d/m)
  expect(r.stdout).toMatch(/^ {2}drift service {2}\(.*\) service\/go\.mod/m)
  expect(r.stdout).toContain('Preflight')
  expect(r.stdout).toMatch(new RegExp(`${silent.url}\\s+proxy\\s+timeout`))
  expect(r.stdout).toContain('--- a/service/go.mod')
  expect(r.stdout).toMatch(/^-\s+example\.com\/unused v1\.0\.0/m)
  expect(r.stdout).toMatch(/^Relay$/m)
  expect(r.stdout).toMatch(new RegExp(`${healthy.url}\\s+[1-9]`))
  expect(r.stdout).toMatch(/service\/go\.mod:\d+: error: /) // plain annotations
  const lines = r.stdout.trimEnd().split('\n')
  expect(lines[lines.length - 1]).toBe('✖ not tidy: service; run `go-tidy-guard fix` to tidy them')
  expect(readFileSync(join(ws, 'service', 'go.mod'), 'utf8')).toContain('example.com/unused') // check never writes
})

test('--json prints the RunResult; 503s from the first proxy are failed over, as the action does', async () => {
  const failing = await demoProxy({ faults: [{ kind: 'status', status: 503 }] })
  const healthy = await demoProxy()
  const r = await runCli(['check', '--json', '--goproxy', `${failing.url}|${healthy.url}`, '--retries', '1'], {
    cwd: examples(),
    env: cliEnv('http://127.0.0.1:9/unused')
  })
  expect(r.code).toBe(1)
  const result = JSON.parse(r.stdout) as RunResult
  expect(result.mode).toBe('check')
  expect(result.modules.map((m) => [m.module.rel, m.status])).toEqual([
    ['hello', 'tidy'],
    ['service', 'drift']
  ])
  expect(result.goproxy).toBe(`${failing.url}|${healthy.url}`)
  expect(result.preflight?.find((p) => p.endpoint === failing.url)?.verdict).toBe('http-503')
  expect(result.relay?.map((s) => s.upstream).sort()).toEqual([failing.url, healthy.url].sort())
  expect(result.relay?.find((s) => s.upstream === healthy.url)?.requests).toBeGreaterThan(0)
})

test('fix tidies service (exit 0), after which check passes (exit 0)', async () => {
  const healthy = await demoProxy()
  const ws = examples()
  const env = cliEnv(healthy.url)
  const fixed = await runCli(['fix', ws], { cwd: '/', env })
  expect(fixed.code).toBe(0)
  expect(fixed.stdout).toMatch(/^ {2}fixed service/m)
  expect(fixed.stdout).toContain('✔ tidied service; review and commit go.mod/go.sum')
  expect(readFileSync(join(ws, 'service', 'go.mod'), 'utf8')).not.toContain('example.com/unused')
  const again = await runCli(['check'], { cwd: ws, env })
  expect(again.code).toBe(0)
  expect(again.stdout.trimEnd().split('\n').pop()).toBe('✔ all 2 modules are tidy')
})

test('a network failure exits 2 and points at doctor; a proxy behind an unknown CA is named, and trusted with --ca-certificates', async () => {
  const refused = await refusedUrl()
  const down = await runCli(['check', '--goproxy', refused, '--retries', '0'], {
    cwd: examples(),
    env: cliEnv(refused)
  })
  expect(down.code).toBe(2)
  expect(down.stdout).toContain('run `go-tidy-guard doctor` to see what is wrong with the network')
  const ca = makeTestCA('Intercepting Gateway CA')
  const tlsProxy = await demoProxy({ tls: issueCert(ca) })
  const ws = examples()
  const untrusted = await runCli(['check', '--goproxy', tlsProxy.url, '--retries', '0'], {
    cwd: ws,
    env: cliEnv(tlsProxy.url)
  })
  expect(untrusted.code).toBe(2)
  expect(untrusted.stdout).toMatch(/proxy\s+tls-untrusted/)
  expect(untrusted.stdout).toContain('certificate: subject')
  expect(untrusted.stdout).toContain(ca.commonName)
  writeFileSync(join(ws, 'gateway.pem'), ca.cert)
  const trusted = await runCli(['check', '--goproxy', tlsProxy.url, '--ca-certificates', 'gateway.pem'], {
    cwd: ws,
    env: cliEnv(tlsProxy.url)
  })
  expect(trusted.code).toBe(1) // works: only the drift remains
})

test('bad usage exits 3 and names the flag with the accepted form', async () => {
  const env = cliEnv('http://127.0.0.1:9/unused')
  const r = await runCli(['check', '--preflight', 'maybe'], { cwd: examples(), env })
  expect(r.code).toBe(3)
  expect(r.stderr).toContain('--preflight: "maybe" is not accepted; use one of: true, false, strict')
  expect((await runCli(['check', '--no-such-flag'], { cwd: examples(), env })).code).toBe(3)
  expect((await runCli(['check', '--tidy-args', '-go=9.0'], { cwd: examples(), env })).code).toBe(3)
  const help = await runCli(['--help'], { cwd: examples(), env })
  expect(help.code).toBe(0)
  expect(help.stdout).toContain('3  bad usage')
})

test('--format gitlab writes a Code Quality report; --format github prints workflow commands', async () => {
  const healthy = await demoProxy()
  const ws = examples()
  const env = cliEnv(healthy.url)
  const gl = await runCli(['check', '--format', 'gitlab', '--report-file', 'cq.json'], { cwd: ws, env })
  expect(gl.code).toBe(1)
  const report = JSON.parse(readFileSync(join(ws, 'cq.json'), 'utf8')) as Array<{
    location: { path: string; lines: { begin: number } }
    severity: string
    fingerprint: string
  }>
  expect(report.length).toBeGreaterThan(0)
  expect(
    report.every(
      (f) =>
        f.location.path === 'service/go.mod' || f.location.path === 'service/go.sum' || f.location.path === 'go.mod'
    )
  ).toBe(true)
  expect(
    report.some((f) => f.location.path === 'service/go.mod' && f.severity === 'major' && f.location.lines.begin > 0)
  ).toBe(true)
  expect(existsSync(join(ws, 'gl-code-quality-report.json'))).toBe(false)
  const gh = await runCli(['check', '--format', 'github'], { cwd: ws, env })
  expect(gh.stdout).toMatch(/^::error title=go\.mod is not tidy,file=service\/go\.mod,line=\d+::/m)
  expect(gh.stdout).not.toContain('::add-mask::')
})

test('under a terminal: a spinner while go runs, then coloured verdict lines', async () => {
  const healthy = await demoProxy({ faults: [{ kind: 'delay', ms: 300 }] })
  const r = await runCli(['check'], { cwd: examples(), env: cliEnv(healthy.url), tty: true, timeoutMs: 40_000 })
  expect(r.timedOut).toBe(false)
  expect(r.code).toBe(1)
  expect(r.stdout).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏](\x1b\[39m)? go mod tidy: hello, service/) // the spinner's live line
  expect(r.stdout).toContain('\x1b[') // colour and cursor control
  expect(r.stdout).toMatch(/drift.*service/)
  const plain = await runCli(['check'], {
    cwd: examples(),
    env: cliEnv(healthy.url, { NO_COLOR: '1' }),
    tty: true,
    timeoutMs: 40_000
  })
  expect(plain.code).toBe(1)
  expect(plain.stdout).not.toMatch(CONTROL)
}, 90_000)

test("a proxy's password is used, never printed, and no ::add-mask:: line shows it outside Actions", async () => {
  const secret = await demoProxy({ auth: { user: 'ci-bot', pass: 'pa55word-cli' } })
  const ws = examples()
  const r = await runCli(['check', '--goproxy', secret.authUrl], { cwd: ws, env: cliEnv('http://127.0.0.1:9/unused') })
  expect(r.code).toBe(1) // drift only: the credentials worked
  const json = await runCli(['check', '--json', '--goproxy', secret.authUrl], {
    cwd: ws,
    env: cliEnv('http://127.0.0.1:9/unused')
  })
  for (const text of [r.stdout, r.stderr, json.stdout, json.stderr]) {
    expect(text).not.toContain('pa55word-cli')
    expect(text).not.toContain('::add-mask::')
  }
  expect(r.stdout).toContain('***@127.0.0.1')
})
