// Error classification. Where a loopback fixture can provoke the failure, the text comes from a real `go mod tidy`
// run in this test; the rest (DNS, TLS, timeouts, git, sumdb) are texts taken from Go's and git's sources.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { classifyGoError } from '../src/tidy/classify.js'
import { addSecret, resetSecrets } from '../src/lib/redact.js'
import { goTelemetryOff } from './helpers/gotest-env.js'

let root = ''
let server: Server
let base = ''
let closedPort = 0

/** Module files the `ok` mode serves; everything else is 404. No zips: every case fails before needing one. */
const MODULES: Record<string, string> = {
  '/example.com/dep/@v/list': 'v1.0.0\n',
  '/example.com/dep/@v/v1.0.0.info': '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}',
  '/example.com/dep/@v/v1.0.0.mod': 'module example.com/dep\n\ngo 1.21\n',
  '/example.com/new/@v/v1.0.0.info': '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}',
  '/example.com/new/@v/v1.0.0.mod': 'module example.com/new\n\ngo 1.999\n'
}

/** The first path segment picks the fault: a status code, `reset`, `eof` (short body) or `ok`. */
function handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  const [, mode, ...rest] = (req.url ?? '/').split('/')
  const path = '/' + rest.join('/')
  if (mode === 'reset') return void req.socket.resetAndDestroy()
  if (mode === 'eof') {
    res.writeHead(200, { 'Content-Length': '1000' })
    res.write('module example.com/dep\n')
    setTimeout(() => req.socket.destroy(), 20)
    return
  }
  if (mode === 'ok' && MODULES[path] !== undefined) {
    res.writeHead(200, { 'Content-Type': 'text/plain' })
    return void res.end(MODULES[path])
  }
  const status = mode === 'ok' ? 404 : Number(mode)
  res.writeHead(status, { 'Content-Type': 'text/plain' })
  res.end('fixture says no\n')
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'classify-test-'))
  server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // A port that was just free: nothing listens there, so connecting is refused.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPort = (probe.address() as AddressInfo).port
  await new Promise<void>((resolve) => probe.close(() => resolve()))
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (root) {
    // The module cache is read-only by design.
    await new Promise((resolve) => execFile('chmod', ['-R', 'u+w', root], resolve))
    rmSync(root, { recursive: true, force: true })
  }
  resetSecrets()
})

let n = 0
/** Runs the real `go mod tidy` asynchronously (the fixture server lives in this process) and returns its failure. */
async function goTidy(opts: { goproxy: string; gomod: string; gosum?: string; imports?: string[] }) {
  const dir = join(root, `m${++n}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'go.mod'), opts.gomod)
  if (opts.gosum) writeFileSync(join(dir, 'go.sum'), opts.gosum)
  const imports = (opts.imports ?? []).map((i) => `import _ "${i}"\n`).join('')
  writeFileSync(join(dir, 'main.go'), `package main\n\n${imports}\nfunc main() {}\n`)
  goTelemetryOff(join(dir, '.home'))
  const env = {
    PATH: process.env.PATH,
    HOME: join(dir, '.home'),
    GOPATH: join(dir, '.gopath'),
    GOMODCACHE: join(dir, '.gopath', 'mod'),
    GOCACHE: join(root, 'gocache'),
    GOTOOLCHAIN: 'local',
    GOPROXY: opts.goproxy,
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod',
    GOWORK: 'off'
  }
  return new Promise<{ stderr: string; code: number }>((resolve) => {
    execFile('go', ['mod', 'tidy'], { cwd: dir, env, timeout: 30000 }, (err, _stdout, stderr) => {
      resolve({ stderr, code: err ? (typeof err.code === 'number' ? err.code : -1) : 0 })
    })
  })
}

const REQUIRE_DEP = 'module example.com/app\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n'

describe('classifyGoError on real go output', () => {
  test.each([
    ['401', 'auth', /: 401 Unauthorized$/],
    ['403', 'auth', /: 403 Forbidden$/],
    ['404', 'not-found', /: 404 Not Found$/],
    ['410', 'not-found', /: 410 Gone$/],
    ['503', 'network', /: 503 Service Unavailable$/],
    ['500', 'network', /: 500 Internal Server Error$/],
    ['reset', 'network', /read: connection reset by peer$/],
    ['eof', 'network', /: unexpected EOF$/]
  ])('proxy answering %s is %s', async (mode, cls, line) => {
    const r = await goTidy({ goproxy: `${base}/${mode}`, gomod: REQUIRE_DEP, imports: ['example.com/dep'] })
    expect(r.code).not.toBe(0)
    const c = classifyGoError(r.stderr, r.code)
    expect(c.class).toBe(cls)
    expect(c.transient).toBe(cls === 'network')
    expect(c.message).toMatch(line)
    expect(c.message).not.toContain('fixture says no')
    if (cls === 'auth') expect(c.hint).toContain('`token`')
  })

  test('a package no module provides is not found', async () => {
    const r = await goTidy({
      goproxy: `${base}/ok`,
      gomod: 'module example.com/app\n\ngo 1.22\n',
      imports: ['example.com/nope']
    })
    const c = classifyGoError(r.stderr, r.code)
    expect(c).toMatchObject({ class: 'not-found', transient: false })
    expect(c.message).toContain('cannot find module providing package example.com/nope')
  })

  test('connection refused is a transient network error', async () => {
    const r = await goTidy({
      goproxy: `http://127.0.0.1:${closedPort}`,
      gomod: REQUIRE_DEP,
      imports: ['example.com/dep']
    })
    const c = classifyGoError(r.stderr, r.code)
    expect(c).toMatchObject({ class: 'network', transient: true })
    expect(c.message).toMatch(/dial tcp 127\.0\.0\.1:\d+: connect: connection refused$/)
  })

  test('a go.sum mismatch is a security error, never transient', async () => {
    const gosum = 'example.com/dep v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n'
    // `go 1.16` (an unpruned module graph) makes tidy read every go.mod before any zip, so no zip is needed.
    const r = await goTidy({ goproxy: `${base}/ok`, gomod: REQUIRE_DEP.replace('1.22', '1.16'), gosum })
    expect(r.stderr).toContain('SECURITY ERROR')
    const c = classifyGoError(r.stderr, r.code)
    expect(c).toMatchObject({ class: 'security', transient: false })
    expect(c.message).toBe('verifying example.com/dep@v1.0.0/go.mod: checksum mismatch')
    // Beside a network hiccup it is still security.
    const mixed = classifyGoError(`go: dial tcp 127.0.0.1:1: connect: connection refused\n${r.stderr}`, 1)
    expect(mixed.class).toBe('security')
  })

  test('a go.mod needing a newer Go is a toolchain error', async () => {
    const r = await goTidy({ goproxy: 'off', gomod: 'module example.com/app\n\ngo 1.999\n' })
    const c = classifyGoError(r.stderr, r.code)
    expect(c).toMatchObject({ class: 'toolchain', transient: false })
    expect(c.message).toMatch(/^go: go\.mod requires go >= 1\.999 \(running go [^;]+; GOTOOLCHAIN=local\)$/)
    expect(c.hint).toContain('actions/setup-go')
    expect(c.hint).toContain('go-version-file')
  })

  test('a dependency needing a newer Go is a toolchain error', async () => {
    const gomod = 'module example.com/app\n\ngo 1.16\n\nrequire example.com/new v1.0.0\n'
    const r = await goTidy({ goproxy: `${base}/ok`, gomod })
    const c = classifyGoError(r.stderr, r.code)
    expect(c.class).toBe('toolchain')
    expect(c.message).toMatch(/example\.com\/new@v1\.0\.0 requires go >= 1\.999/)
  })

  test('credentials in the proxy URL never reach the message', async () => {
    addSecret('s3cret-pass')
    const goproxy = `http://alice:s3cret-pass@127.0.0.1:${(server.address() as AddressInfo).port}/401`
    const r = await goTidy({ goproxy, gomod: REQUIRE_DEP, imports: ['example.com/dep'] })
    // go refuses to send credentials over http, and shows the user name (not the password) in its error.
    expect(r.stderr).toContain('refusing to pass credentials to insecure URL: http://alice:')
    const c = classifyGoError(r.stderr + `\nGet "${goproxy}/x": EOF`, r.code)
    expect(c).toMatchObject({ class: 'auth', transient: false })
    expect(c.hint).toContain('https')
    expect(c.message).toContain('http://***@127.0.0.1:')
    expect(JSON.stringify(c)).not.toMatch(/s3cret|alice/)
    // The same credentials in a network error line are masked too.
    const net = classifyGoError(`Get "${goproxy}/x": dial tcp 127.0.0.1:1: connect: connection refused`, 1)
    expect(net.class).toBe('network')
    expect(JSON.stringify(net)).not.toMatch(/s3cret|alice/)
  })
})

describe('classifyGoError on texts from Go and git sources', () => {
  const U = 'https://proxy.example.invalid/example.com/dep/@v/v1.0.0.zip'
  test.each([
    [`example.com/dep@v1.0.0: Get "${U}": dial tcp: lookup proxy.example.invalid: no such host`, 'network', true],
    [`example.com/dep@v1.0.0: Get "${U}": dial tcp 192.0.2.1:443: i/o timeout`, 'network', true],
    [`example.com/dep@v1.0.0: Get "${U}": net/http: TLS handshake timeout`, 'network', true],
    [
      `example.com/dep@v1.0.0: Get "${U}": read tcp 10.0.0.2:51234->192.0.2.1:443: read: connection reset by peer`,
      'network',
      true
    ],
    [`example.com/dep@v1.0.0: reading ${U}: 502 Bad Gateway`, 'network', true],
    [`example.com/dep@v1.0.0: Get "${U}": net/http: timeout awaiting response headers`, 'network', true],
    [
      `example.com/dep@v1.0.0: Get "${U}": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
      'network',
      false
    ],
    [
      "fatal: unable to access 'https://git.example.invalid/x/': SSL certificate problem: unable to get local issuer certificate",
      'network',
      false
    ],
    ["fatal: could not read Username for 'https://git.example.invalid': terminal prompts disabled", 'auth', false],
    [
      "remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://git.example.invalid/x.git/'",
      'auth',
      false
    ],
    ['example.com/dep@v1.9.0: invalid version: unknown revision v1.9.0', 'not-found', false],
    ['go: example.com/dep@latest: no matching versions for query "latest"', 'not-found', false],
    ['verifying example.com/dep@v1.0.0: checksum missing from sumdb response', 'security', false],
    ['verifying module: example.com/dep@v1.0.0: malformed record data', 'security', false],
    ['go: verifying go.sum: example.com/dep@v1.0.0: security error: misbehaving server', 'security', false],
    [
      'go: example.com/app imports\n\texample.com/dep: example.com/dep@v1.0.0: verifying module: example.com/dep@v1.0.0: ' +
        'reading tree note: invalid signature for key sum.example.invalid+dfb73a03\nnote:\ngo.sum database tree\n2\n' +
        '6Il6d8GrhJAbGkiFJtLqof5Sk6ychyVFjDO/S34kfvs=\n\u2014 sum.example.invalid 37c6A56a+JTa6Cig=',
      'security',
      false
    ],
    [
      'verifying example.com/dep@v1.0.0/go.mod: reading tree note: unknown key sum.example.invalid+dfb73a03',
      'security',
      false
    ],
    ["go: errors parsing go.mod:\ngo.mod:3: invalid go version '1.21.0': must match format 1.23", 'toolchain', false],
    ['go: example.com/app: flag provided but not defined: -bogus', 'other', false]
  ])('%s', (text, cls, transient) => {
    const c = classifyGoError(text, 1)
    expect(c.class).toBe(cls)
    expect(c.transient).toBe(transient)
    expect(c.message).not.toContain('\n')
    expect(text).toContain(c.message)
    if (cls === 'network' && !transient) expect(c.hint).toContain('ca-certificates')
  })

  test('a server response cannot steer the class, and empty output names the exit code', () => {
    const text = `go: example.com/dep@v1.0.0: reading ${U}: 403 Forbidden\n\tserver response: checksum mismatch`
    expect(classifyGoError(text, 1).class).toBe('auth')
    expect(classifyGoError('', 2)).toMatchObject({ class: 'other', message: 'go exited with code 2' })
  })
})
