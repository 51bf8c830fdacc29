import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { caBundle, systemBundleFile } from '../src/access/ca-trust.js'
import { credentialEnv } from '../src/access/credentials.js'
import { gitTokenConfig, gitTokenEnv, privateHosts, writeGitTokenConfig } from '../src/access/git-token.js'
import { netrcCredentialFor, parseNetrc, writeNetrc } from '../src/access/netrc.js'
import { removeCredentialFile } from '../src/access/credential-file.js'
import { authHint } from '../src/tidy/auth-hints.js'
import { classifyGoError } from '../src/tidy/classify.js'
import { InputError } from '../src/config/inputs.js'
import { redact } from '../src/lib/redact.js'
import { goEnv } from '../src/pipeline.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, runGo } from './helpers/gotest-env.js'
import { issueCert, makeTestCA, type TestCA } from './helpers/tls.js'

const TOKEN = 'ghp_' + 'Tk9'.repeat(10)

/** What real git reads from an environment (no config files at all). */
function gitConfig(env: Record<string, string>, args: string[]): string {
  const full = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: makeTempDir('gtg-home-'),
    GIT_CONFIG_NOSYSTEM: '1',
    ...env
  }
  try {
    return execFileSync('git', ['config', ...args], { env: full, encoding: 'utf8', cwd: full.HOME }).trim()
  } catch {
    return '' // git config exits 1 when nothing matches
  }
}

describe('the token for git', () => {
  const tokenEnv = async (
    hosts: string[],
    base: Record<string, string> = {}
  ): Promise<{ env: Record<string, string>; file: string }> => {
    const file = (await writeGitTokenConfig(TOKEN, hosts, makeTempDir('gtg-rt-')))!
    return { env: gitTokenEnv(file, base), file }
  }

  it('gives git an Authorization header for exactly the listed hosts, read by real git, from a 0600 file', async () => {
    const { env, file } = await tokenEnv(['git.corp.test', 'ghe.example.com:8443'])
    expect(env).toEqual({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'include.path', GIT_CONFIG_VALUE_0: file })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
    expect(gitConfig(env, ['--get-urlmatch', 'http.extraheader', 'https://git.corp.test/org/repo.git'])).toBe(
      `AUTHORIZATION: basic ${basic}`
    )
    expect(gitConfig(env, ['--get-urlmatch', 'http.extraheader', 'https://ghe.example.com:8443/x'])).toBe(
      `AUTHORIZATION: basic ${basic}`
    )
    expect(gitConfig(env, ['--get-urlmatch', 'http.extraheader', 'https://other.example.com/x'])).toBe('')
    expect(gitConfig(env, ['--get-urlmatch', 'http.extraheader', 'http://git.corp.test/x'])).toBe('')
  })

  it('the environment (and so what later steps get) holds only the path, never the token', async () => {
    const { env } = await tokenEnv(['git.corp.test'])
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
    expect(JSON.stringify(env)).not.toContain(TOKEN)
    expect(JSON.stringify(env)).not.toContain(basic)
  })

  it('appends after GIT_CONFIG_COUNT entries already in the environment, keeping them', async () => {
    const base = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.askpass', GIT_CONFIG_VALUE_0: '/bin/false' }
    const { env } = await tokenEnv(['git.corp.test'], base)
    expect(env).not.toHaveProperty('GIT_CONFIG_KEY_0')
    expect(env.GIT_CONFIG_KEY_1).toBe('include.path')
    expect(env.GIT_CONFIG_COUNT).toBe('2')
    const all = { ...base, ...env }
    expect(gitConfig(all, ['--get', 'core.askpass'])).toBe('/bin/false')
    expect(gitConfig(all, ['--get-urlmatch', 'http.extraheader', 'https://git.corp.test/'])).toMatch(
      /^AUTHORIZATION: basic /
    )
  })

  it('writes nothing without a token or hosts, and masks the token and its header form', async () => {
    expect(await writeGitTokenConfig('', ['git.corp.test'], makeTempDir('gtg-rt-'))).toBeUndefined()
    expect(await writeGitTokenConfig(TOKEN, [], makeTempDir('gtg-rt-'))).toBeUndefined()
    expect(gitTokenEnv(undefined, {})).toEqual({})
    gitTokenConfig(TOKEN, ['git.corp.test'])
    const basic = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
    expect(redact(`a ${TOKEN} b ${basic}`)).toBe('a *** b ***')
  })
})

describe('privateHosts', () => {
  it('defaults to the host of GITHUB_SERVER_URL', () => {
    expect(privateHosts('', 'https://GHE.example.com')).toEqual(['ghe.example.com'])
    expect(privateHosts('  ', 'https://ghe.example.com:8443/')).toEqual(['ghe.example.com:8443'])
    expect(privateHosts('', undefined)).toEqual([])
  })

  it('reads comma- and newline-separated hosts, lower-cased and deduplicated', () => {
    expect(privateHosts('git.corp.test, GIT.corp.test\nghe.example.com:8443\n', 'https://x.invalid')).toEqual([
      'git.corp.test',
      'ghe.example.com:8443'
    ])
  })

  it.each(['https://git.corp.test', 'git.corp.test/org', 'user@git.corp.test', 'two words'])(
    'rejects %p naming the input',
    (bad) => {
      expect(() => privateHosts(bad)).toThrow(InputError)
      expect(() => privateHosts(bad)).toThrow(/^private-hosts: .*host names such as/)
    }
  )
})

describe('netrc', () => {
  it('parses as go does: pairs per line, entries across lines, a lone default ends, macdef skipped', async () => {
    const text = [
      'machine a.example.com login ua password pa',
      'machine b.example.com',
      '  login ub',
      '  password pb',
      'macdef init',
      'machine hidden.example.com login x password y',
      '',
      'machine c.example.com:8443 login uc password pc',
      'machine d.example.com login ud password pd default login anon password anon',
      'default',
      'machine after.example.com login z password z'
    ].join('\n')
    expect(parseNetrc(text)).toEqual([
      { machine: 'a.example.com', login: 'ua', password: 'pa' },
      { machine: 'b.example.com', login: 'ub', password: 'pb' },
      { machine: 'c.example.com:8443', login: 'uc', password: 'pc' },
      { machine: 'd.example.com', login: 'ud', password: 'pd' }
    ])
    // A standard `default` line passes validation (go finds no entry in it).
    await expect(
      writeNetrc('machine a.example.com login u password p\ndefault login anon password anon\n', makeTempDir('gtg-rt-'))
    ).resolves.toMatch(/\.netrc$/)
  })

  it('writes a 0600 file under RUNNER_TEMP, masks the passwords, and removes it again', async () => {
    const temp = makeTempDir('gtg-rt-')
    const file = await writeNetrc('machine proxy.example.com login me password s3cr3t-netrc', temp)
    expect(file.startsWith(temp + '/')).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toBe('machine proxy.example.com login me password s3cr3t-netrc\n')
    expect(redact('password s3cr3t-netrc')).toBe('password ***')
    await removeCredentialFile(file)
    expect(existsSync(file)).toBe(false)
    await removeCredentialFile(file) // a second post run is fine
  })

  it.each([
    [
      'a URL as machine',
      'machine https://proxy.example.com login me password pw1secret',
      /line 1: machine "https:\/\/proxy.example.com" must be a host name/
    ],
    [
      'a keyword without value',
      'machine proxy.example.com login me password',
      /line 1: "password" has no value on the same line/
    ],
    ['an unknown keyword', 'machine proxy.example.com login me passwd pw2secret', /line 1: expected a keyword/],
    ['no complete entry', 'machine proxy.example.com login me', /no complete entry/]
  ])('rejects %s, naming the input and never echoing a secret', async (_name, text, re) => {
    const temp = makeTempDir('gtg-rt-')
    const err = await writeNetrc(text, temp).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(/^netrc: /)
    expect((err as Error).message).toMatch(re)
    expect((err as Error).message).toMatch(/machine proxy\.example\.com login USER password SECRET/)
    expect((err as Error).message).not.toMatch(/pw[12]secret/)
  })

  it('finds the credential go would send: https only, host:port, path prefixes, first line wins', () => {
    const entries = parseNetrc(
      'machine h.example.com login a password 1\nmachine h.example.com login b password 2\n' +
        'machine p.example.com:8443 login c password 3\nmachine q.example.com/team login d password 4\n'
    )
    expect(netrcCredentialFor(entries, 'https://h.example.com/mod/@v/list')?.login).toBe('a')
    expect(netrcCredentialFor(entries, 'http://h.example.com/mod')).toBeUndefined()
    expect(netrcCredentialFor(entries, 'https://p.example.com:8443/x')?.login).toBe('c')
    expect(netrcCredentialFor(entries, 'https://p.example.com/x')).toBeUndefined()
    expect(netrcCredentialFor(entries, 'https://q.example.com/team/goproxy/')?.login).toBe('d')
    expect(netrcCredentialFor(entries, 'https://q.example.com/other')).toBeUndefined()
  })
})

describe('caBundle', () => {
  let ca: TestCA
  beforeAll(() => {
    ca = makeTestCA()
  })

  it('writes the system bundle go would load plus the given PEM text', async () => {
    const temp = makeTempDir('gtg-rt-')
    const got = await caBundle(`\n${ca.cert}\n`, makeTempDir('gtg-ws-'), temp, {}, 'linux')
    expect(got).toBeDefined()
    expect(got!.bundleFile.startsWith(temp + '/')).toBe(true)
    expect(got!.pems).toHaveLength(1)
    expect(new X509Certificate(got!.pems[0]).subject).toContain(ca.commonName)
    const bundle = readFileSync(got!.bundleFile, 'utf8')
    const system = systemBundleFile({}, 'linux')
    if (system) {
      expect(got!.systemBundle).toBe(system)
      expect(bundle.startsWith(readFileSync(system, 'utf8'))).toBe(true)
    }
    expect(bundle.endsWith(got!.pems[0])).toBe(true)
  })

  it('reads a path relative to the workspace; SSL_CERT_FILE replaces the system list as in go', async () => {
    const ws = makeTempDir('gtg-ws-')
    const other = makeTestCA('Other CA')
    writeFileSync(join(ws, 'corp-ca.pem'), ca.cert + other.cert)
    const got = await caBundle('corp-ca.pem', ws, makeTempDir('gtg-rt-'), { SSL_CERT_FILE: other.certFile }, 'linux')
    expect(got!.pems).toHaveLength(2)
    expect(got!.systemBundle).toBe(other.certFile)
    expect(readFileSync(got!.bundleFile, 'utf8')).toBe(other.cert + ca.cert + other.cert)
  })

  it('holds only the given certificates on Windows, and nothing for an empty input', async () => {
    const got = await caBundle(ca.cert, makeTempDir('gtg-ws-'), makeTempDir('gtg-rt-'), {}, 'win32')
    expect(readFileSync(got!.bundleFile, 'utf8')).toBe(got!.pems.join(''))
    expect(await caBundle('  ', '/', '/')).toBeUndefined()
  })

  it.each([
    ['a missing file', 'certs/missing.pem', /cannot read "certs\/missing.pem" \(ENOENT\)/],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /holds no PEM certificate/],
    [
      'a corrupt certificate',
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n',
      /certificate 1 in the input text does not parse/
    ]
  ])('rejects %s naming the input and the accepted form', async (_name, input, re) => {
    const err = await caBundle(input, makeTempDir('gtg-ws-'), makeTempDir('gtg-rt-')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(/^ca-certificates: /)
    expect((err as Error).message).toMatch(re)
    expect((err as Error).message).toMatch(/path relative to the workspace to a PEM bundle, or the PEM text/)
  })
})

describe('credentialEnv', () => {
  it('composes NETRC, SSL_CERT_FILE, GIT_SSL_CAINFO and the git token config', () => {
    const env = credentialEnv({
      baseEnv: {},
      gitConfigFile: '/rt/x.gitconfig',
      netrcFile: '/rt/x.netrc',
      caBundleFile: '/rt/ca.pem'
    })
    expect(env).toMatchObject({
      NETRC: '/rt/x.netrc',
      SSL_CERT_FILE: '/rt/ca.pem',
      GIT_SSL_CAINFO: '/rt/ca.pem',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'include.path',
      GIT_CONFIG_VALUE_0: '/rt/x.gitconfig'
    })
    expect(env).not.toHaveProperty('GOAUTH') // unset GOAUTH means netrc
    expect(credentialEnv({ baseEnv: {} })).toEqual({})
  })

  it('keeps a user GOAUTH and adds netrc to it, but leaves GOAUTH=off alone', () => {
    expect(credentialEnv({ baseEnv: { GOAUTH: 'git /src' }, netrcFile: '/n' }).GOAUTH).toBe('git /src;netrc')
    expect(credentialEnv({ baseEnv: { GOAUTH: 'netrc; git /src' }, netrcFile: '/n' })).not.toHaveProperty('GOAUTH')
    expect(credentialEnv({ baseEnv: { GOAUTH: 'off' }, netrcFile: '/n' })).not.toHaveProperty('GOAUTH')
  })
})

describe('netrc Basic auth against an HTTPS proxy, with real go', () => {
  const MOD = { path: 'example.com/secretlib', version: 'v1.0.0' }
  const PASS = 'netrc-pass-' + 'Qw8'.repeat(6)
  let ca: TestCA
  let proxy: FixtureProxy
  let bundle: string

  beforeAll(async () => {
    ca = makeTestCA()
    proxy = await startFixtureProxy({
      modules: [MOD],
      tls: issueCert(ca, ['127.0.0.1']),
      auth: { user: 'bot', pass: PASS }
    })
    bundle = (await caBundle(ca.cert, makeTempDir('gtg-ws-'), makeTempDir('gtg-rt-')))!.bundleFile
  })
  afterAll(async () => {
    await proxy?.close()
  })

  async function download(netrc?: string): Promise<{ code: number | null; out: string }> {
    const base = makeGoEnv(proxy.url).env
    const netrcFile = netrc ? await writeNetrc(netrc, makeTempDir('gtg-rt-')) : undefined
    const env = { ...base, ...credentialEnv({ baseEnv: base, netrcFile, caBundleFile: bundle }) }
    const r = await runGo(['mod', 'download', '-json', `${MOD.path}@${MOD.version}`], { cwd: base.HOME, env })
    return { code: r.code, out: r.stdout + r.stderr }
  }

  it('downloads with the netrc credentials (machine host:port) and never prints the password', async () => {
    const before = proxy.log.length
    const r = await download(`machine 127.0.0.1:${proxy.port}\n  login bot\n  password ${PASS}\n`)
    expect(r.out).not.toContain(PASS)
    expect(r.code).toBe(0)
    expect(r.out).toContain('"Zip"')
    const basic = 'Basic ' + Buffer.from(`bot:${PASS}`).toString('base64')
    expect(
      proxy.log
        .slice(before)
        .some((e) => e.path.endsWith('.zip') && e.status === 200 && e.headers.authorization === basic)
    ).toBe(true)
  })

  it('fails with 401 without netrc; classified auth, and the hint names the netrc input', async () => {
    const r = await download()
    expect(r.code).not.toBe(0)
    expect(r.out).toMatch(/401 Unauthorized/)
    expect(classifyGoError(r.out, 1).class).toBe('auth')
    expect(authHint(r.out, { tokenSet: false, privateHosts: [], netrcHosts: [] })).toMatch(
      /`netrc` line "machine 127\.0\.0\.1:\d+ login USER/
    )
  })

  it('fails with 401 when the netrc machine lacks the port; the hint says the credentials did not apply', async () => {
    const r = await download(`machine 127.0.0.1 login bot password ${PASS}`)
    expect(r.code).not.toBe(0)
    expect(r.out).not.toContain(PASS)
    expect(authHint(r.out, { tokenSet: false, privateHosts: [], netrcHosts: ['127.0.0.1'] })).toMatch(/host:port/)
  })
})

describe('authHint', () => {
  const ctx = { tokenSet: true, privateHosts: ['git.corp.test'], netrcHosts: ['proxy.example.com'] }

  it('names private-hosts when the token is not sent to the host git asked about', () => {
    const out = "fatal: could not read Username for 'https://ghe.example.com': terminal prompts disabled"
    expect(authHint(out, ctx)).toMatch(/add ghe\.example\.com to the `private-hosts` input/)
  })

  it('tells 403 from 401, plain http from https, and relay answers from direct ones', () => {
    expect(authHint('reading https://proxy.example.com/m/@v/list: 403 Forbidden', ctx)).toMatch(
      /403 Forbidden: the credentials were accepted but lack access/
    )
    expect(authHint('reading https://proxy.example.com/m/@v/list: 401 Unauthorized', ctx)).toMatch(
      /rejected the credentials from the `netrc` input/
    )
    expect(authHint('reading http://mirror.example.com/m/@v/list: 401 Unauthorized', ctx)).toMatch(/over plain http/)
    const relay = { ...ctx, relayUrl: 'http://127.0.0.1:5000/abc' }
    expect(authHint('reading http://127.0.0.1:5000/abc/m/@v/list: 401 Unauthorized', relay)).toMatch(
      /An upstream proxy answered 401/
    )
    expect(authHint('dial tcp: connection refused', ctx)).toBeUndefined()
  })
})

describe("go's environment", () => {
  it("is this process's without the step's inputs (its token and netrc among them), with the run's settings", () => {
    const settings = {
      GOPROXY: 'http://127.0.0.1:1',
      GOPRIVATE: 'example.com/Private',
      GONOPROXY: '',
      GONOSUMDB: '',
      GOSUMDB: 'off'
    }
    const env = goEnv(settings as Parameters<typeof goEnv>[0], {
      PATH: '/usr/bin',
      INPUT_TOKEN: TOKEN,
      INPUT_NETRC: `machine example.com login x password ${TOKEN}`,
      'INPUT_PREFLIGHT-TIMEOUT': '5',
      GOPROXY: 'http://127.0.0.1:2',
      MY_INPUT_TOKEN: 'kept'
    })
    expect(env).toEqual({ PATH: '/usr/bin', MY_INPUT_TOKEN: 'kept', ...settings })
    expect(JSON.stringify(env)).not.toContain(TOKEN)
  })
})
