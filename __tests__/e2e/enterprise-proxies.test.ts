// Issue 5 end to end: private module proxies as enterprises run them. A proxy behind Basic auth with the
// credentials in the `netrc` input (and the netrc file's life: main, then post), a proxy whose certificate
// comes from a corporate CA (`ca-certificates`), and an HTTPS_PROXY egress proxy with NO_PROXY exclusions.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, statSync } from 'node:fs'
import { startEgressProxy } from '../helpers/egress-proxy.js'
import { startFixtureProxy, type FixtureProxy } from '../helpers/fixture-proxy.js'
import { makeGoEnv } from '../helpers/gotest-env.js'
import { issueCert, makeTestCA, type TestCA } from '../helpers/tls.js'
import {
  closeAll,
  expectPassed,
  exposures,
  fixtureProxy,
  LIB,
  onClose,
  preflightOf,
  probeOf,
  PUB,
  relayRequests,
  runStep,
  tidyError,
  tidyTemplate,
  workspaceFrom
} from './enterprise-world.js'

let template: string
let ca: TestCA

beforeAll(async () => {
  ca = makeTestCA('Corp Proxy CA')
  const open = await fixtureProxy()
  const env = makeGoEnv(open.url)
  template = await tidyTemplate([PUB.path, LIB.path], env.env)
  env.cleanup()
})
afterAll(closeAll)

/** Module zips `p` served in full (preflight's probes are not zips). */
const zips = (p: FixtureProxy): number => p.log.filter((e) => e.path.endsWith('.zip') && e.status === 200).length

describe('a module proxy behind Basic auth, credentials from `netrc`', () => {
  const PASS = 'netrc-' + 'Hj6'.repeat(8)
  const BASIC = Buffer.from(`bot:${PASS}`).toString('base64')
  let secured: FixtureProxy
  let netrc: string

  beforeAll(async () => {
    secured = await fixtureProxy({ tls: issueCert(ca, ['127.0.0.1']), auth: { user: 'bot', pass: PASS } })
    netrc = `machine 127.0.0.1:${secured.port}\n  login bot\n  password ${PASS}\n`
  })

  const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
    goproxy: secured.url,
    'ca-certificates': ca.cert,
    ...extra
  })

  test('passes with `netrc` (export-env true); the netrc file lives until post, which deletes it', async () => {
    const r = await runStep(workspaceFrom(template), { inputs: inputs({ netrc }) })
    expectPassed(r)
    expect(probeOf(r, secured.url).verdict).toBe('ok')
    expect(zips(secured)).toBeGreaterThanOrEqual(2)
    expect(
      secured.log.filter((e) => e.path.endsWith('.zip')).every((e) => e.headers.authorization === `Basic ${BASIC}`)
    ).toBe(true)
    const file = r.state['netrc-file']
    expect(file).toBeTruthy()
    expect(file.startsWith(r.runnerTemp + '/')).toBe(true)
    expect(existsSync(file)).toBe(true)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(r.env.NETRC).toBe(file) // later steps' go reads the same file
    expect(r.env.GOPROXY).toBe(secured.url) // what the user wrote: the credentials stay in the netrc file
    expect(exposures(r, [PASS, BASIC])).toEqual([])
    expect(r.masks).toContain(PASS)

    const post = await runStep(r.workspace, {
      entry: 'post',
      state: r.state,
      runnerTemp: r.runnerTemp,
      inputs: inputs({ netrc }),
      env: r.env
    })
    expect(post.exitCode).toBe(0)
    expect(existsSync(file)).toBe(false)
    expect(post.annotations.filter((a) => a.level !== 'notice')).toEqual([])
  })

  test('with export-env false the netrc file is gone when main ends', async () => {
    const r = await runStep(workspaceFrom(template), { inputs: inputs({ netrc, 'export-env': 'false' }) })
    expectPassed(r)
    const file = r.state['netrc-file']
    expect(file).toBeTruthy()
    expect(existsSync(file)).toBe(false)
    expect(r.env).toEqual({})
  })

  test('without `netrc` the step fails with the auth class and a hint naming `netrc`', async () => {
    const denied = secured.log.filter((e) => e.status === 401).length
    const r = await runStep(workspaceFrom(template), { inputs: inputs({ retries: '0' }) })
    expect(r.exitCode).toBe(1)
    expect(secured.log.filter((e) => e.status === 401).length).toBeGreaterThan(denied)
    expect(probeOf(r, secured.url).verdict).toBe('auth')
    const e = tidyError(r)
    expect(e?.class).toBe('auth')
    expect(e?.message).toMatch(/`netrc`/)
    expect(r.state['netrc-file']).toBeUndefined()
  })
})

describe('a module proxy with a certificate from a corporate CA', () => {
  let corp: FixtureProxy
  beforeAll(async () => {
    corp = await fixtureProxy({ tls: issueCert(ca, ['127.0.0.1']) })
  })

  test('without `ca-certificates`: preflight says tls-untrusted, shows the certificate and names the input', async () => {
    const r = await runStep(workspaceFrom(template), { inputs: { goproxy: corp.url, retries: '0' } })
    const p = probeOf(r, corp.url)
    expect(p.verdict).toBe('tls-untrusted')
    expect(p.hint).toMatch(/`ca-certificates`/)
    expect(p.certificate?.issuer).toContain(ca.commonName)
    const row = r.summary.split('\n').find((l) => l.startsWith(`| \`${corp.url}\` | proxy |`)) ?? ''
    expect(row).toContain('tls-untrusted')
    expect(row).toMatch(new RegExp(`subject: [^;]*127\\.0\\.0\\.1[^;]*; issuer: [^)]*${ca.commonName}`))
    expect(row).toContain('`ca-certificates`')
    expect(r.annotations.some((a) => a.title === 'Preflight' && /tls-untrusted/.test(a.message))).toBe(true)
    // Nothing was downloaded over the untrusted connection, so tidy cannot succeed either.
    expect(r.exitCode).toBe(1)
    expect(zips(corp)).toBe(0)
  })

  test('with `ca-certificates` the check passes', async () => {
    const r = await runStep(workspaceFrom(template), { inputs: { goproxy: corp.url, 'ca-certificates': ca.cert } })
    expectPassed(r)
    expect(probeOf(r, corp.url).verdict).toBe('ok')
    expect(zips(corp)).toBeGreaterThanOrEqual(2)
  })
})

describe('an egress proxy (HTTPS_PROXY) with NO_PROXY', () => {
  test('preflight and relay tunnel to mirror.test; NO_PROXY and loopback hosts go direct; the relay never tunnels', async () => {
    // One certificate for both names: had nearby.invalid been tunnelled it would verify, and the probe pass.
    const mirror = await fixtureProxy({
      tls: issueCert(ca, ['mirror.test', 'nearby.invalid']),
      hostname: 'mirror.test'
    })
    // Loopback, and empty: preflight may well rank it first (it answers first), and its 404s pass go on.
    const local = onClose(await startFixtureProxy({ modules: [] }))
    const egress = onClose(
      await startEgressProxy({ hosts: { 'mirror.test': mirror.port, 'nearby.invalid': mirror.port } })
    )
    const nearby = `https://nearby.invalid:${mirror.port}`
    const r = await runStep(workspaceFrom(template), {
      inputs: { goproxy: `${mirror.url},${nearby},${local.url}`, 'ca-certificates': ca.cert },
      env: { HTTPS_PROXY: egress.url, NO_PROXY: 'nearby.invalid' }
    })
    expectPassed(r)
    expect(r.summary).toContain(`**Egress proxy** \`${egress.url} (NO_PROXY: nearby.invalid)\``)
    // Preflight: mirror.test through the egress proxy, the NO_PROXY host looked up directly (and unknown).
    const viaMirror = probeOf(r, mirror.url)
    expect(viaMirror.verdict).toBe('ok')
    expect(viaMirror.via).toBe(egress.url)
    expect(probeOf(r, nearby).verdict).toBe('dns')
    expect(probeOf(r, nearby).via).toBeUndefined()
    expect(probeOf(r, local.url).verdict).toBe('ok')
    expect(probeOf(r, local.url).via).toBeUndefined()
    // Relay: the zips came from mirror.test, which only the egress proxy can reach.
    expect(relayRequests(r, mirror.url)).toBeGreaterThan(0)
    expect(zips(mirror)).toBeGreaterThanOrEqual(2)
    expect(zips(local)).toBe(0)
    const tunnels = egress.log.filter((e) => e.method === 'CONNECT' && e.host === 'mirror.test' && e.allowed)
    expect(tunnels.length).toBeGreaterThanOrEqual(2) // preflight's and the relay's own connections
    expect(egress.log.filter((e) => e.host !== 'mirror.test')).toEqual([])
    expect(preflightOf(r).filter((p) => p.role === 'proxy')).toHaveLength(3)
  })
})
