// Private modules fetched directly by the real go and git: a loopback git host (HTTPS from a test CA, Basic auth)
// reached only through the test egress proxy, with the token given to git by gitTokenEnv and the CA by caBundle.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { caBundle } from '../src/access/ca-trust.js'
import { credentialEnv } from '../src/access/credentials.js'
import { privateHosts, writeGitTokenConfig } from '../src/access/git-token.js'
import { authHint } from '../src/tidy/auth-hints.js'
import { classifyGoError } from '../src/tidy/classify.js'
import { startEgressProxy, type EgressProxy } from './helpers/egress-proxy.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { startGitHost, type GitHost } from './helpers/git-host.js'
import { makeGoEnv, makeTempDir, runGo, writeModule } from './helpers/gotest-env.js'
import { issueCert, makeTestCA, type TestCA } from './helpers/tls.js'

const TOKEN = 'ghs_' + 'Zq7'.repeat(10)
const PUBLIC = { path: 'example.com/pub', version: 'v1.2.0' }

let ca: TestCA
let git: GitHost
let egress: EgressProxy
let proxy: FixtureProxy
let bundleFile: string

beforeAll(async () => {
  ca = makeTestCA()
  git = await startGitHost({ tls: issueCert(ca, ['git.corp.test']), auth: { user: 'x-access-token', pass: TOKEN } })
  egress = await startEgressProxy({ hosts: { 'git.corp.test': git.port } })
  proxy = await startFixtureProxy({ modules: [PUBLIC] })
  const runnerTemp = makeTempDir('gtg-rt-')
  bundleFile = (await caBundle(ca.cert, makeTempDir('gtg-ws-'), runnerTemp))!.bundleFile
})

afterAll(async () => {
  await Promise.all([git?.close(), egress?.close(), proxy?.close()])
})

/** A go env for the private host: only the egress proxy can resolve git.corp.test. */
async function privateEnv(opts: { token?: string; ca?: boolean } = {}): Promise<Record<string, string>> {
  const base = makeGoEnv(proxy.url, {
    GOPRIVATE: 'git.corp.test',
    GOVCS: 'private:git,public:off',
    HTTPS_PROXY: egress.url,
    GIT_TERMINAL_PROMPT: '0'
  }).env
  const gitConfigFile = await writeGitTokenConfig(
    opts.token ?? '',
    privateHosts('', 'https://git.corp.test'),
    makeTempDir('gtg-rt-')
  )
  const add = credentialEnv({
    baseEnv: base,
    gitConfigFile,
    caBundleFile: opts.ca === false ? undefined : bundleFile
  })
  return { ...base, ...add }
}

/** An app importing the private module and a public one. */
function app(): string {
  const dir = makeTempDir('gtg-app-')
  writeModule(dir, { path: 'example.com/app', imports: [git.modulePath, PUBLIC.path] })
  return dir
}

describe('private git host through the egress proxy', () => {
  it('go mod tidy fetches the private module with the token, through the egress proxy, and never prints the token', async () => {
    const dir = app()
    const before = egress.allowed('git.corp.test').length
    const r = await runGo(['mod', 'tidy', '-x'], { cwd: dir, env: await privateEnv({ token: TOKEN }) })
    expect(r.stderr).not.toContain('terminal prompts disabled')
    expect(r.code).toBe(0)
    const gomod = readFileSync(join(dir, 'go.mod'), 'utf8')
    expect(gomod).toContain(`${git.modulePath} v1.0.0`)
    expect(gomod).toContain(`${PUBLIC.path} ${PUBLIC.version}`)
    // Both go (go-get=1) and git tunnelled through the egress proxy.
    expect(egress.allowed('git.corp.test').length).toBeGreaterThan(before)
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
    expect(
      git.log.some(
        (e) => e.path.endsWith('/git-upload-pack') && e.status === 200 && e.authorization === `basic ${basic}`
      )
    ).toBe(true)
    for (const text of [r.stdout, r.stderr, gomod]) {
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(basic)
    }
  })

  it('fails without the token with git\'s "terminal prompts disabled", classified auth with a hint naming `token`', async () => {
    const denied = git.log.filter((e) => e.status === 401).length
    const r = await runGo(['mod', 'tidy'], { cwd: app(), env: await privateEnv() })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/terminal prompts disabled/)
    expect(git.log.filter((e) => e.status === 401).length).toBeGreaterThan(denied)
    expect(classifyGoError(r.stderr, r.code ?? 1).class).toBe('auth')
    const hint = authHint(r.stderr, { tokenSet: false, privateHosts: ['git.corp.test'], netrcHosts: [] })
    expect(hint).toMatch(/`token`/)
    expect(hint).toContain('git.corp.test')
  })

  it('fails with a wrong token, and the hint says the token was refused', async () => {
    const r = await runGo(['mod', 'tidy'], { cwd: app(), env: await privateEnv({ token: 'ghs_wrongwrongwrong' }) })
    expect(r.code).not.toBe(0)
    expect(r.stderr).not.toContain('ghs_wrongwrongwrong')
    const hint = authHint(r.stderr, { tokenSet: true, privateHosts: ['git.corp.test'], netrcHosts: [] })
    expect(hint).toMatch(/refused the `token`/)
  })

  // actions/checkout (persist-credentials) configures `http.https://<host>/.extraheader AUTHORIZATION: basic ...`;
  // a workflow may also set it (or a URL-less http.extraheader) globally. git sends every extraheader it collected.
  it.each([
    ['http.https://git.corp.test/.extraheader', '[http "https://git.corp.test/"]'],
    ['http.extraheader', '[http]']
  ])(
    "with a checkout-style %s in the git config go's git reads, git sends one Authorization: the token's",
    async (_key, section) => {
      const env = await privateEnv({ token: TOKEN })
      const checkout = Buffer.from('x-access-token:ghs_checkoutsOwnTokenForTheRepo').toString('base64')
      writeFileSync(join(env.HOME, '.gitconfig'), `${section}\n\textraheader = AUTHORIZATION: basic ${checkout}\n`)
      const from = git.log.length
      const r = await runGo(['mod', 'tidy'], { cwd: app(), env })
      const seen = git.log.slice(from).filter((e) => !e.query.includes('go-get=1'))
      expect(seen.length).toBeGreaterThan(0)
      expect(seen.filter((e) => e.authorizations > 1)).toEqual([])
      expect(r.code).toBe(0)
      const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
      expect(seen.every((e) => e.authorization === `basic ${basic}`)).toBe(true)
    }
  )

  it('fails on TLS without the CA bundle (the host is signed by the test CA)', async () => {
    const r = await runGo(['mod', 'tidy'], { cwd: app(), env: await privateEnv({ token: TOKEN, ca: false }) })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/x509: certificate signed by unknown authority|certificate is not trusted/)
  })
})

describe('test helpers', () => {
  // Async git: the servers share this process's event loop, so a synchronous child would deadlock them.
  it('the git host serves go-import tags openly and git only with credentials', async () => {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: makeTempDir('gtg-home-'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_SSL_CAINFO: ca.certFile,
      HTTPS_PROXY: egress.url
    }
    const url = `https://x-access-token:${TOKEN}@git.corp.test/private.git`
    const cwd = env.HOME
    const ok = await runGo(['ls-remote', url], { cwd, env, bin: 'git' })
    expect(ok.stdout).toMatch(/refs\/tags\/v1\.0\.0/)
    const denied = await runGo(['ls-remote', git.repoUrl], { cwd, env, bin: 'git' })
    expect(denied.code).not.toBe(0)
    expect(denied.stderr).toMatch(/terminal prompts disabled/)
    const page = await runGo(
      ['-s', '--proxy', egress.url, '--cacert', ca.certFile, `https://git.corp.test/private/sub?go-get=1`],
      { cwd, env, bin: 'curl' }
    )
    expect(page.stdout).toContain(`<meta name="go-import" content="${git.modulePath} git ${git.repoUrl}">`)
  })

  it('the egress proxy refuses unknown hosts and logs the attempt', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(egress.port, '127.0.0.1', () =>
        s.write('CONNECT elsewhere.invalid:443 HTTP/1.1\r\nHost: elsewhere.invalid:443\r\n\r\n')
      )
      let got = ''
      s.on('data', (d) => (got += d.toString()))
      s.on('end', () => resolve(got))
      s.on('error', reject)
    })
    expect(reply).toMatch(/^HTTP\/1\.1 502/)
    expect(egress.log.some((e) => e.host === 'elsewhere.invalid' && !e.allowed)).toBe(true)
  })

  it('the egress proxy forwards plain-HTTP absolute-URI requests to the mapped host', async () => {
    egress.route('mirror.test', proxy.port)
    const body = await new Promise<string>((resolve, reject) => {
      const s = connect(egress.port, '127.0.0.1', () =>
        s.write(
          `GET http://mirror.test/${PUBLIC.path}/@v/list HTTP/1.1\r\nHost: mirror.test\r\nConnection: close\r\n\r\n`
        )
      )
      let got = ''
      s.on('data', (d) => (got += d.toString()))
      s.on('end', () => resolve(got))
      s.on('error', reject)
    })
    expect(body).toMatch(/^HTTP\/1\.1 200/)
    expect(body).toContain(PUBLIC.version)
    expect(egress.allowed('mirror.test').some((e) => e.method === 'GET')).toBe(true)
  })
})
