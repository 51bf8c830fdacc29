// Issue 5 end to end: a private module fetched directly by the real go and git from a private git host
// (git.corp.test: HTTPS from a test CA, Basic auth) that only the test egress proxy can reach, next to public
// fixture modules from a loopback module proxy, with the `token`, `private-hosts` and `ca-certificates` inputs.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FixtureProxy } from '../helpers/fixture-proxy.js'
import { startEgressProxy, type EgressProxy } from '../helpers/egress-proxy.js'
import { startGitHost, type GitHost } from '../helpers/git-host.js'
import { makeGoEnv } from '../helpers/gotest-env.js'
import { issueCert, makeTestCA, type TestCA } from '../helpers/tls.js'
import {
  closeAll,
  expectPassed,
  exportedWith,
  exposures,
  fixtureProxy,
  onClose,
  PUB,
  runStep,
  tidyError,
  tidyTemplate,
  workspaceFrom,
  type Step
} from './enterprise-world.js'

const TOKEN = 'ghs_' + 'Pv4'.repeat(12)
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
const SECRETS = [TOKEN, BASIC]

let ca: TestCA
let git: GitHost
let egress: EgressProxy
let proxy: FixtureProxy
let template: string

beforeAll(async () => {
  ca = makeTestCA('Corp CA')
  git = onClose(
    await startGitHost({ tls: issueCert(ca, ['git.corp.test']), auth: { user: 'x-access-token', pass: TOKEN } })
  )
  egress = onClose(await startEgressProxy({ hosts: { 'git.corp.test': git.port } }))
  proxy = await fixtureProxy()
  // go itself, told everything by hand (the CA as the only root, the token as git's header), writes the tidy app.
  const env = makeGoEnv(proxy.url, {
    ...privateEnv(),
    SSL_CERT_FILE: ca.certFile,
    GIT_SSL_CAINFO: ca.certFile,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.https://git.corp.test/.extraheader',
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${BASIC}`
  })
  template = await tidyTemplate([git.modulePath, PUB.path], env.env)
  env.cleanup()
})
afterAll(closeAll)

/** The job environment: git.corp.test is reachable only through the egress proxy, and git may fetch it. */
function privateEnv(): Record<string, string> {
  return { HTTPS_PROXY: egress.url, GOVCS: 'git.corp.test:git', GOPRIVATE: 'git.corp.test' }
}

const baseInputs = (): Record<string, string> => ({
  goproxy: proxy.url,
  goprivate: 'git.corp.test',
  'private-hosts': 'git.corp.test',
  'ca-certificates': ca.cert
})

async function run(ws: string, inputs: Record<string, string>): Promise<Step> {
  return runStep(ws, { inputs: { ...baseInputs(), ...inputs }, env: privateEnv() })
}

/** git requests that the host served with the token, since `from` log entries. */
function authorizedFetches(from: number): number {
  return git.log
    .slice(from)
    .filter((e) => e.path.endsWith('/git-upload-pack') && e.status === 200 && e.authorization === `basic ${BASIC}`)
    .length
}

describe('a private git host behind the egress proxy', () => {
  test('with `token` (CA as PEM text, export-env true) the check passes; later steps get the token only in a 0600 file', async () => {
    const gitSeen = git.log.length
    const tunnels = egress.allowed('git.corp.test').length
    const r = await run(workspaceFrom(template), { token: TOKEN })
    expectPassed(r)
    expect(r.outputs.drift).toBe('false')
    expect(authorizedFetches(gitSeen)).toBeGreaterThan(0)
    expect(egress.allowed('git.corp.test').length).toBeGreaterThan(tunnels)
    expect(proxy.log.some((e) => e.path === `/${PUB.path}/@v/${PUB.version}.zip` && e.status === 200)).toBe(true)
    // goprivate keeps the private path away from the module proxy (GONOPROXY follows GOPRIVATE).
    expect(proxy.log.filter((e) => e.path.includes('git.corp.test'))).toEqual([])
    expect(exposures(r, SECRETS)).toEqual([])
    // Later steps get the same git config through a file git includes: the exported variables hold its path only.
    expect(r.masks).toEqual(expect.arrayContaining([TOKEN, BASIC]))
    expect(exportedWith(r, SECRETS)).toEqual([])
    const file = r.state['git-config-file']
    expect(r.env).toMatchObject({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'include.path', GIT_CONFIG_VALUE_0: file })
    expect(file.startsWith(r.runnerTemp + '/')).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    // An empty value first: it drops any other extraheader (actions/checkout's) so git sends one Authorization.
    expect(readFileSync(file, 'utf8')).toBe(
      `[http "https://git.corp.test/"]\n\textraheader =\n\textraheader = AUTHORIZATION: basic ${BASIC}\n`
    )
    expect(r.env.SSL_CERT_FILE).toMatch(/\.pem$/)
    // The post step (always()) deletes it.
    const post = await runStep(r.workspace, {
      entry: 'post',
      state: r.state,
      runnerTemp: r.runnerTemp,
      inputs: { ...baseInputs(), token: TOKEN },
      env: r.env
    })
    expect(post.exitCode).toBe(0)
    expect(existsSync(file)).toBe(false)
  })

  test('with `token` and the CA as a file in the workspace (export-env false) it passes and exports nothing', async () => {
    const ws = workspaceFrom(template)
    mkdirSync(join(ws, 'certs'))
    writeFileSync(join(ws, 'certs', 'corp-ca.pem'), ca.cert)
    const gitSeen = git.log.length
    const r = await run(ws, { token: TOKEN, 'ca-certificates': 'certs/corp-ca.pem', 'export-env': 'false' })
    expectPassed(r)
    expect(authorizedFetches(gitSeen)).toBeGreaterThan(0)
    expect(exposures(r, SECRETS)).toEqual([])
    expect(r.env).toEqual({})
    expect(existsSync(r.state['git-config-file'])).toBe(false) // gone when main ended
  })

  test('without `token` the step fails with the auth class and a hint naming `token`', async () => {
    const denied = git.log.filter((e) => e.status === 401).length
    const r = await run(workspaceFrom(template), {})
    expect(r.exitCode).toBe(1)
    // git really asked the host (through the egress proxy) and was refused.
    expect(git.log.filter((e) => e.status === 401).length).toBeGreaterThan(denied)
    const e = tidyError(r)
    expect(e?.class).toBe('auth')
    expect(e?.message).toMatch(/`token`/)
    expect(e?.message).toContain('git.corp.test')
    expect(r.summary).toMatch(/auth error/)
    expect(r.summary).toMatch(/💡 [^\n]*`token`/)
  })

  test('a wrong token is refused, and neither it nor its header form shows anywhere', async () => {
    const wrong = 'ghs_' + 'Wr0ng'.repeat(8)
    const wrongBasic = Buffer.from(`x-access-token:${wrong}`).toString('base64')
    const r = await run(workspaceFrom(template), { token: wrong })
    expect(r.exitCode).toBe(1)
    expect(tidyError(r)?.class).toBe('auth')
    expect(exposures(r, [wrong, wrongBasic])).toEqual([])
    expect(r.masks).toEqual(expect.arrayContaining([wrong, wrongBasic]))
  })
})
