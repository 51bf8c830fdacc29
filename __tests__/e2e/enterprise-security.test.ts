// Issue 5 end to end: the security review. Each finding appears exactly when its configuration is in force, as a
// warning annotation and in the job summary, and a configuration without any weakness gets no finding at all.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startEgressProxy } from '../helpers/egress-proxy.js'
import type { FixtureProxy } from '../helpers/fixture-proxy.js'
import { makeGoEnv } from '../helpers/gotest-env.js'
import {
  closeAll,
  expectPassed,
  exposures,
  fixtureProxy,
  LIB,
  onClose,
  PUB,
  relayRequests,
  runStep,
  securityWarnings,
  summarySecurity,
  tidyTemplate,
  workspaceFrom,
  type Step,
  type StepOptions
} from './enterprise-world.js'

const SUMDB_OFF = 'Checksum database disabled'
const INSECURE = 'Insecure module fetches allowed'
const GOFLAGS_INSECURE = 'GOFLAGS contains -insecure'
const NOSUMDB_BROAD = 'GONOSUMDB broader than GOPRIVATE'
const PLAIN_HTTP = 'Credentials over plain http'
const LEAK = 'Private proxy fails over to a public one'

/**
 * A configuration without weaknesses: a checksum database by name (a `.invalid` one: GONOSUMDB covers every
 * fixture path, so go never asks it), GONOSUMDB within GOPRIVATE, and GONOPROXY set to a pattern that matches
 * nothing so that the private paths still come from the module proxy.
 */
const CLEAN: Record<string, string> = {
  GOSUMDB: 'sum.example.invalid',
  GONOSUMDB: 'example.com',
  GOPRIVATE: 'example.com',
  GONOPROXY: 'nothing.invalid'
}

let template: string
let open: FixtureProxy

beforeAll(async () => {
  open = await fixtureProxy()
  const env = makeGoEnv(open.url)
  template = await tidyTemplate([PUB.path, LIB.path], env.env)
  env.cleanup()
})
afterAll(closeAll)

async function check(o: StepOptions): Promise<Step> {
  const r = await runStep(workspaceFrom(template), { ...o, inputs: { goproxy: open.url, ...o.inputs } })
  expectPassed(r) // a finding is a warning: it never fails the step
  return r
}

/** The findings as the runner shows them: annotations and summary agree. */
function findings(r: Step): string[] {
  const shown = securityWarnings(r)
  expect(summarySecurity(r)).toEqual(shown)
  return shown
}

describe('findings from the go environment and inputs', () => {
  const cases: Array<[string, StepOptions, string[]]> = [
    ['GOSUMDB=off in the environment (the hermetic default)', {}, [SUMDB_OFF]],
    ['a clean configuration', { env: CLEAN }, []],
    ['input gosumdb: off over a clean environment', { env: CLEAN, inputs: { gosumdb: 'off' } }, [SUMDB_OFF]],
    ['GONOSUMDB without GOPRIVATE (a named GOSUMDB)', { env: { ...CLEAN, GOPRIVATE: '' } }, [NOSUMDB_BROAD]],
    [
      'input gonosumdb broader than input goprivate',
      { env: CLEAN, inputs: { goprivate: 'example.com/pub', gonoproxy: 'nothing.invalid', gonosumdb: 'example.com' } },
      [NOSUMDB_BROAD]
    ],
    ['GOINSECURE set', { env: { ...CLEAN, GOINSECURE: 'example.com/legacy' } }, [INSECURE]],
    // go 1.26 still accepts -insecure in GOFLAGS for `go mod tidy` (and ignores it there): the step passes.
    ['GOFLAGS with -insecure', { env: { ...CLEAN, GOFLAGS: '-mod=mod -insecure' } }, [GOFLAGS_INSECURE]]
  ]
  test.each(cases)('%s', async (_name, o, want) => {
    const r = await check(o)
    expect(findings(r)).toEqual([...want].sort())
    for (const title of want) expect(r.annotations.some((a) => a.level === 'warning' && a.title === title)).toBe(true)
    if (want.length === 0) expect(r.summary).not.toContain('Security review')
  })
})

describe('findings about credentials', () => {
  const USER = 'ci-bot'
  const PASS = 'pw-' + 'Xk2'.repeat(8)
  const SECRETS = [PASS, Buffer.from(`${USER}:${PASS}`).toString('base64')]

  test('credentials over plain http to a non-loopback host (through the egress proxy)', async () => {
    const mirror = await fixtureProxy({ auth: { user: USER, pass: PASS }, hostname: 'mirror.test' })
    const egress = onClose(await startEgressProxy({ hosts: { 'mirror.test': mirror.port } }))
    expect(mirror.authUrl).toBe(`http://${USER}:${PASS}@mirror.test:${mirror.port}`)
    const r = await check({ env: { ...CLEAN, HTTP_PROXY: egress.url }, inputs: { goproxy: mirror.authUrl } })
    expect(findings(r)).toEqual([PLAIN_HTTP])
    const warning = r.annotations.find((a) => a.title === PLAIN_HTTP)!
    expect(warning.message).toContain(`http://***@mirror.test:${mirror.port}`)
    // The credentials really went to mirror.test, which only the egress proxy reaches: preflight as go does it
    // (absolute-URI requests), the relay by a tunnel or the same way.
    const basic = `Basic ${SECRETS[1]}`
    expect(egress.allowed('mirror.test').some((e) => e.method === 'GET')).toBe(true)
    const probes = mirror.log.filter(
      (e) => e.headers['user-agent'] === 'go-tidy-guard-preflight' && e.path.endsWith('.info')
    )
    expect(probes.length).toBeGreaterThan(0)
    expect(probes.every((e) => e.headers.authorization === basic && e.status === 200)).toBe(true)
    expect(
      mirror.log.filter((e) => e.path.endsWith('.zip') && e.status === 200 && e.headers.authorization === basic)
    ).toHaveLength(2)
    expect(exposures(r, SECRETS)).toEqual([])
  })

  test.each([
    ['GOPRIVATE empty: paths would leak', {}, [SUMDB_OFF, LEAK]],
    ['GOPRIVATE covering the private paths: no finding', { env: CLEAN }, []]
  ] as Array<[string, StepOptions, string[]]>)(
    'a private proxy followed by a public one, %s',
    async (_name, o, want) => {
      const priv = await fixtureProxy({ auth: { user: USER, pass: PASS } })
      const publicUrl = 'https://proxy.public.invalid'
      const r = await check({ ...o, inputs: { goproxy: `${priv.authUrl},${publicUrl}` } })
      expect(findings(r)).toEqual(want)
      if (want.includes(LEAK)) {
        const warning = r.annotations.find((a) => a.title === LEAK)!
        expect(warning.message).toContain(publicUrl)
        expect(warning.message).toContain(`http://***@127.0.0.1:${priv.port}`)
      }
      expect(relayRequests(r, `http://***@127.0.0.1:${priv.port}`)).toBeGreaterThan(0)
      expect(exposures(r, SECRETS)).toEqual([])
    }
  )
})
