// Self-tests of the test harness: the fixture proxy speaks the GOPROXY protocol well enough for the real go,
// our go.sum hashes are the ones go computes, every fault mode is observable, and the runner emulation parses
// what a real action step writes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildModuleZip,
  goSumLines,
  hashGoMod,
  hashZip,
  makeLargeModule,
  moduleGoMod,
  wrongHash,
  type FixtureModule
} from './helpers/modzip.js'
import { refusedUrl, startBlackhole, startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, removeTree, runGo, writeModule } from './helpers/gotest-env.js'
import { issueCert, makeTestCA } from './helpers/tls.js'
import { REPO_ROOT, inputEnvName, makeWorkspace, parseWorkflowCommands, runAction } from './helpers/runner.js'

const alpha1: FixtureModule = { path: 'example.com/alpha', version: 'v1.0.0' }
const alpha2: FixtureModule = { path: 'example.com/alpha', version: 'v1.1.0', time: '2024-02-01T00:00:00Z' }
const alphaRc: FixtureModule = { path: 'example.com/alpha', version: 'v1.2.0-rc.1' }
const upper: FixtureModule = { path: 'example.com/Upper/Case', version: 'v0.1.0', compression: 'store' }
const beta: FixtureModule = {
  path: 'example.com/beta',
  version: 'v1.0.0',
  gomod: 'module example.com/beta\n\ngo 1.21\n\nrequire example.com/alpha v1.0.0\n',
  files: { 'beta.go': 'package beta\n\nimport _ "example.com/alpha"\n' }
}
const big = makeLargeModule('example.com/big', 'v1.0.0', 1)
const ALL = [alpha1, alpha2, alphaRc, upper, beta, big]

interface RawResult {
  status?: number
  headers: Record<string, unknown>
  body: Buffer
  error?: string
  timedOut: boolean
}

/** A plain HTTP client that reports exactly what it saw: status, bytes, error, or its own timeout. */
function rawGet(
  url: string,
  opts: { timeoutMs?: number; headers?: Record<string, string>; ca?: string } = {}
): Promise<RawResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const out: RawResult = { headers: {}, body: Buffer.alloc(0), timedOut: false }
    const done = (): void => resolve({ ...out, body: Buffer.concat(chunks) })
    const request = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = request(url, { headers: opts.headers, agent: false, ca: opts.ca }, (res) => {
      out.status = res.statusCode
      out.headers = res.headers
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', done)
      res.on('error', (e) => {
        out.error = e.message
        done()
      })
      res.on('aborted', () => {
        out.error ??= 'aborted'
      })
    })
    req.setTimeout(opts.timeoutMs ?? 5000, () => {
      out.timedOut = true
      req.destroy()
      done()
    })
    req.on('error', (e: NodeJS.ErrnoException) => {
      out.error ??= e.code ?? e.message
      if (!out.timedOut) done()
    })
    req.end()
  })
}

describe('fixture modules through the real go', () => {
  let proxy: FixtureProxy
  beforeAll(async () => {
    proxy = await startFixtureProxy({ modules: ALL })
  })
  afterAll(async () => {
    await proxy.close()
  })

  test('go mod download reports exactly the h1: hashes the helpers compute (deflate and store zips)', async () => {
    const g = makeGoEnv(proxy.url)
    try {
      const mods = [alpha1, alpha2, upper, big]
      const r = await runGo(['mod', 'download', '-json', ...mods.map((m) => `${m.path}@${m.version}`)], {
        cwd: g.dir,
        env: g.env
      })
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const got = r.stdout
        .split(/\n(?=\{)/)
        .map((s) => JSON.parse(s) as { Path: string; Version: string; Sum: string; GoModSum: string })
      for (const m of mods) {
        const d = got.find((x) => x.Path === m.path && x.Version === m.version)
        expect(d).toEqual(expect.objectContaining({ Sum: hashZip(m), GoModSum: hashGoMod(moduleGoMod(m)) }))
      }
      // The proxy was asked with `!`-encoded upper case.
      expect(proxy.log.some((e) => e.path === '/example.com/!upper/!case/@v/v0.1.0.zip' && e.status === 200)).toBe(true)
    } finally {
      g.cleanup()
    }
  })

  test('go mod tidy writes the go.sum lines goSumLines predicts; a wrong hash is a checksum mismatch', async () => {
    const g = makeGoEnv(proxy.url)
    try {
      const dir = join(g.dir, 'app')
      writeModule(dir, { path: 'example.com/app', imports: ['example.com/beta', 'example.com/Upper/Case'] })
      const r = await runGo(['mod', 'tidy'], { cwd: dir, env: g.env })
      expect(r.stderr).not.toMatch(/error|fail/i)
      expect(r.code).toBe(0)
      const gomod = readFileSync(join(dir, 'go.mod'), 'utf8')
      expect(gomod).toContain('example.com/beta v1.0.0')
      expect(gomod).toMatch(/example\.com\/alpha v1\.0\.0 \/\/ indirect/)
      const expected = [...goSumLines(beta), ...goSumLines(alpha1), ...goSumLines(upper)].sort()
      expect(readFileSync(join(dir, 'go.sum'), 'utf8').trim().split('\n').sort()).toEqual(expected)

      const bad = join(g.dir, 'bad')
      const [, modLine] = goSumLines(alpha2)
      writeModule(bad, {
        path: 'example.com/bad',
        requires: { 'example.com/alpha': 'v1.1.0' },
        imports: ['example.com/alpha'],
        gosum: `example.com/alpha v1.1.0 ${wrongHash()}\n${modLine}\n`
      })
      const r2 = await runGo(['mod', 'tidy'], { cwd: bad, env: g.env })
      expect(r2.code).not.toBe(0)
      expect(r2.stderr).toMatch(/checksum mismatch/)
    } finally {
      g.cleanup()
    }
  })

  test('protocol endpoints: list, info, latest, mod, zip, 404 text, Range', async () => {
    const base = proxy.url + '/example.com/alpha/@v/'
    const list = await rawGet(base + 'list')
    expect(list.body.toString()).toBe('v1.0.0\nv1.1.0\nv1.2.0-rc.1\n')
    expect(JSON.parse((await rawGet(base + 'v1.1.0.info')).body.toString())).toEqual({
      Version: 'v1.1.0',
      Time: '2024-02-01T00:00:00Z'
    })
    expect(JSON.parse((await rawGet(proxy.url + '/example.com/alpha/@latest')).body.toString()).Version).toBe('v1.1.0')
    expect((await rawGet(base + 'v1.0.0.mod')).body.toString()).toBe('module example.com/alpha\n\ngo 1.21\n')
    const zip = await rawGet(base + 'v1.0.0.zip')
    expect(zip.body.equals(buildModuleZip(alpha1))).toBe(true)
    for (const missing of [
      '/example.com/nope/@v/list',
      '/example.com/alpha/@v/v9.9.9.info',
      '/example.com/Upper/Case/@v/list'
    ]) {
      const r = await rawGet(proxy.url + missing)
      expect(r.status).toBe(404)
      expect(r.body.toString()).toMatch(/^not found: /)
    }
    const part = await rawGet(base + 'v1.0.0.zip', { headers: { Range: 'bytes=10-' } })
    expect(part.status).toBe(206)
    expect(part.headers['content-range']).toBe(`bytes 10-${zip.body.length - 1}/${zip.body.length}`)
    expect(part.body.equals(zip.body.subarray(10))).toBe(true)
    expect((await rawGet(base + 'v1.0.0.zip', { headers: { Range: `bytes=${zip.body.length}-` } })).status).toBe(416)
    expect(big.files && buildModuleZip(big).length).toBeGreaterThan(1024 * 1024)
  })

  test('basePath: go works through a proxy under a path prefix; other paths are 404', async () => {
    const sub = await startFixtureProxy({ modules: [alpha1], basePath: '/goproxy/' })
    const g = makeGoEnv(sub.url)
    try {
      expect(sub.url).toMatch(/\/goproxy$/)
      expect((await rawGet(sub.url.replace(/\/goproxy$/, '') + '/example.com/alpha/@v/list')).status).toBe(404)
      const r = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], { cwd: g.dir, env: g.env })
      expect(r.code).toBe(0)
      expect(sub.zipRequests()).toBe(1)
      expect(sub.bytesServed()).toBeGreaterThanOrEqual(buildModuleZip(alpha1).length)
    } finally {
      g.cleanup()
      await sub.close()
    }
  })
})

describe('fault modes', () => {
  let proxy: FixtureProxy
  const zipUrl = (): string => proxy.url + '/example.com/big/@v/v1.0.0.zip'
  beforeAll(async () => {
    proxy = await startFixtureProxy({ modules: [alpha1, big] })
  })
  afterAll(async () => {
    await proxy.close()
  })

  test('status 500 fails go with a single proxy; the same command passes once healed', async () => {
    const g = makeGoEnv(proxy.url)
    try {
      proxy.setFaults([{ kind: 'status', status: 500, match: 'example.com/alpha/' }])
      const r = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], { cwd: g.dir, env: g.env })
      expect(r.code).not.toBe(0)
      expect(r.stderr).toMatch(/500/)
      proxy.setFaults([])
      const ok = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], { cwd: g.dir, env: g.env })
      expect(ok.code).toBe(0)
    } finally {
      g.cleanup()
    }
  })

  test('`times` heals a fault after that many matches; delay answers later', async () => {
    proxy.setFaults([
      { kind: 'status', status: 503, match: /alpha\/@v\/list$/, times: 1 },
      { kind: 'delay', ms: 300, match: '.info' }
    ])
    expect((await rawGet(proxy.url + '/example.com/alpha/@v/list')).status).toBe(503)
    expect((await rawGet(proxy.url + '/example.com/alpha/@v/list')).status).toBe(200)
    const t0 = Date.now()
    const info = await rawGet(proxy.url + '/example.com/alpha/@v/v1.0.0.info')
    expect(info.status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290)
    proxy.setFaults([])
  })

  test('reset: the client gets headers and part of the body, then an error', async () => {
    proxy.setFaults([{ kind: 'reset', afterBytes: 65536, match: '.zip' }])
    const before = proxy.zipRequests()
    const r = await rawGet(zipUrl())
    expect(r.status).toBe(200)
    expect(Number(r.headers['content-length'])).toBe(buildModuleZip(big).length)
    expect(r.error).toBeDefined()
    expect(r.body.length).toBeGreaterThan(0)
    expect(r.body.length).toBeLessThanOrEqual(65536)
    expect(proxy.zipRequests()).toBe(before + 1)
    proxy.setFaults([])
  })

  test('stall: part of the body, then silence until the client gives up', async () => {
    proxy.setFaults([{ kind: 'stall', afterBytes: 1000, match: '.zip' }])
    const r = await rawGet(zipUrl(), { timeoutMs: 700 })
    expect(r.status).toBe(200)
    expect(r.timedOut).toBe(true)
    expect(r.body.length).toBe(1000)
    proxy.setFaults([])
  })

  test('blackhole: a plain client and go both hang until their own timeout', async () => {
    proxy.setFaults([{ kind: 'blackhole' }])
    const r = await rawGet(proxy.url + '/example.com/alpha/@v/list', { timeoutMs: 500 })
    expect(r.timedOut).toBe(true)
    expect(r.status).toBeUndefined()
    expect(proxy.log.at(-1)).toEqual(expect.objectContaining({ status: 0, fault: 'blackhole' }))
    const g = makeGoEnv(proxy.url)
    try {
      const go = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], {
        cwd: g.dir,
        env: g.env,
        timeoutMs: 2500
      })
      expect(go.timedOut).toBe(true)
    } finally {
      g.cleanup()
      proxy.setFaults([])
    }
  })

  test('startBlackhole accepts and never answers; refusedUrl refuses', async () => {
    const hole = await startBlackhole()
    try {
      const r = await rawGet(hole.url + '/x', { timeoutMs: 400 })
      expect(r.timedOut).toBe(true)
      expect(hole.connections()).toBeGreaterThanOrEqual(1)
    } finally {
      await hole.close()
    }
    expect((await rawGet((await refusedUrl()) + '/x')).error).toBe('ECONNREFUSED')
  })
})

describe('TLS and Basic auth', () => {
  const ca = makeTestCA()
  let tlsProxy: FixtureProxy
  let authProxy: FixtureProxy
  beforeAll(async () => {
    tlsProxy = await startFixtureProxy({ modules: [alpha1], tls: issueCert(ca, ['127.0.0.1', 'localhost']) })
    // HTTPS: go refuses to send credentials over plain http.
    authProxy = await startFixtureProxy({
      modules: [alpha1],
      tls: issueCert(ca),
      auth: { user: 'ci', pass: 's3cr3t-pw' }
    })
  })
  afterAll(async () => {
    await tlsProxy.close()
    await authProxy.close()
  })

  test('go rejects an untrusted certificate with x509 and accepts it once the CA is trusted', async () => {
    expect(tlsProxy.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const untrusted = makeGoEnv(tlsProxy.url)
    const trusted = makeGoEnv(tlsProxy.url, { SSL_CERT_FILE: ca.certFile })
    try {
      const bad = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], {
        cwd: untrusted.dir,
        env: untrusted.env
      })
      expect(bad.code).not.toBe(0)
      expect(bad.stderr).toMatch(/x509|certificate/)
      const ok = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], { cwd: trusted.dir, env: trusted.env })
      expect(ok.stderr).toBe('')
      expect(ok.code).toBe(0)
    } finally {
      untrusted.cleanup()
      trusted.cleanup()
    }
  })

  test('Basic auth: 401 without credentials, 200 with them, and go passes with credentials in GOPROXY', async () => {
    const path = authProxy.url + '/example.com/alpha/@v/list'
    const anon = await rawGet(path, { ca: ca.cert })
    expect(anon.status).toBe(401)
    expect(anon.headers['www-authenticate']).toMatch(/^Basic/)
    const auth = 'Basic ' + Buffer.from('ci:s3cr3t-pw').toString('base64')
    expect((await rawGet(path, { headers: { Authorization: auth }, ca: ca.cert })).status).toBe(200)
    expect(authProxy.log.at(-1)?.headers.authorization).toBe(auth)
    const g = makeGoEnv(authProxy.authUrl, { SSL_CERT_FILE: ca.certFile })
    try {
      const r = await runGo(['mod', 'download', 'example.com/alpha@v1.0.0'], { cwd: g.dir, env: g.env })
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(authProxy.log.filter((e) => e.path.endsWith('.zip')).map((e) => e.status)).toEqual([200])
    } finally {
      g.cleanup()
    }
  })
})

describe('runner emulation', () => {
  // Inside the repo (under the git-ignored .tmp/) so the throwaway action resolves @actions/core like dist/ would.
  let actionDir: string
  beforeAll(() => {
    mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true })
    actionDir = mkdtempSync(join(REPO_ROOT, '.tmp', 'action-'))
    mkdirSync(join(actionDir, 'dist'))
    writeFileSync(
      join(actionDir, 'action.yml'),
      [
        'name: throwaway',
        'inputs:',
        '  working-directory:',
        '    description: where',
        '    default: .',
        '  greeting:',
        "    description: 'a: b'",
        "    default: 'it''s ok'",
        '  empty:',
        "    default: ''",
        'outputs:',
        '  result:',
        '    description: r',
        'runs:',
        '  using: node20',
        '  main: dist/index.js',
        '  post: dist/post.js',
        ''
      ].join('\n')
    )
    writeFileSync(
      join(actionDir, 'dist', 'index.js'),
      `import * as core from '@actions/core'
import { writeFileSync } from 'node:fs'
core.setSecret('hunter2-token')
console.log('token is hunter2-token')
core.setOutput('result', 'line1\\nline2')
core.setOutput('wd', core.getInput('working-directory') + '|' + process.env['INPUT_GREETING'] + '|' + process.cwd())
core.exportVariable('GOPROXY_USED', 'http://127.0.0.1:1')
core.saveState('started', 'yes')
core.addPath('/opt/fake/bin')
core.debug('dbg')
core.startGroup('grp'); core.endGroup()
core.warning('w, with: colon', { file: 'go.mod', startLine: 3, title: 'T: 100%' })
core.notice('n')
await core.summary.addHeading('Report').addRaw('body').write()
writeFileSync('marker.txt', 'x')
core.setFailed('drift in\\nexample.com/app')
`
    )
    writeFileSync(
      join(actionDir, 'dist', 'post.js'),
      `import * as core from '@actions/core'
core.info('post sees ' + core.getState('started'))
core.setOutput('post', core.getState('started'))
`
    )
  })
  afterAll(() => {
    removeTree(actionDir)
  })

  test('main step: inputs, outputs, env, state, path, summary, annotations, masks, exit code', async () => {
    const workspace = makeWorkspace()
    const r = await runAction({
      actionDir,
      workspace,
      inputs: { 'working-directory': 'sub/dir', typo: 'x' },
      env: { HOME: workspace }
    })
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(1)
    expect(r.failed).toBe(true)
    expect(r.outputs).toEqual({ result: 'line1\nline2', wd: `sub/dir|it's ok|${workspace}` })
    expect(r.env).toEqual({ GOPROXY_USED: 'http://127.0.0.1:1' })
    expect(r.state).toEqual({ started: 'yes' })
    expect(r.path).toEqual(['/opt/fake/bin'])
    expect(r.summary).toContain('<h1>Report</h1>')
    expect(r.masks).toEqual(['hunter2-token'])
    expect(r.maskedStdout).toContain('token is ***')
    expect(r.debug).toEqual(['dbg'])
    expect(r.groups).toEqual(['grp'])
    expect(r.unexpectedInputs).toEqual(['typo'])
    expect(r.annotations).toEqual([
      { level: 'warning', file: 'go.mod', line: 3, title: 'T: 100%', message: 'w, with: colon' },
      { level: 'notice', message: 'n' },
      { level: 'error', message: 'drift in\nexample.com/app' }
    ])
    expect(existsSync(join(workspace, 'marker.txt'))).toBe(true)

    const post = await runAction({ actionDir, workspace, entry: 'post', state: r.state })
    expect(post.exitCode).toBe(0)
    expect(post.outputs).toEqual({ post: 'yes' })
    expect(post.stdout).toContain('post sees yes')
  })

  test('input variable names and command unescaping follow the runner', () => {
    expect(inputEnvName('working-directory')).toBe('INPUT_WORKING-DIRECTORY')
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT')
    const c = parseWorkflowCommands(
      '::error file=a%2Cb.go,line=7,title=x%3Ay::100%25%0Adone\n::stop-commands::tok\n::error::hidden\n::tok::\n::add-mask::%250A\n'
    )
    expect(c.annotations).toEqual([{ level: 'error', file: 'a,b.go', line: 7, title: 'x:y', message: '100%\ndone' }])
    expect(c.masks).toEqual(['%0A'])
  })

  test('the repository action.yml is readable by the emulation', async () => {
    const { readActionYml } = await import('./helpers/runner.js')
    const meta = readActionYml()
    expect(meta.main).toBe('dist/index.js')
    expect(meta.inputs['working-directory']).toBe('.')
    expect(meta.inputs.modules).toBe('')
  })
})
