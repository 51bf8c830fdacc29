// Proxy URLs in go's messages, told as the module and version they ask for; and a 403 sent without credentials
// told as a mirror's policy refusing that module, not as a credentials problem.
import { describe, expect, test } from '@jest/globals'
import { policyRefusal, type AuthContext } from '../src/tidy/auth-hints.js'
import { describeProxyPath, describeRelayUrls } from '../src/tidy/proxy-request.js'

const RELAY = 'http://127.0.0.1:41234/Zq8-kP0aR'

describe('describeProxyPath', () => {
  test.each([
    ['/example.com/%21big%21corp/%21lib/@v/v1.2.0.mod', 'example.com/BigCorp/Lib@v1.2.0 (.mod)'],
    ['/example.com/!big!corp/lib/@v/v1.0.0-!r!c.1.zip', 'example.com/BigCorp/lib@v1.0.0-RC.1 (.zip)'],
    ['/gopkg.in/yaml.v3/@v/list', 'the version list of gopkg.in/yaml.v3'],
    ['/example.com/tools/v2/@latest', 'example.com/tools/v2@latest'],
    ['/example.com/legacy/@v/v2.0.0+incompatible.info', 'example.com/legacy@v2.0.0+incompatible (.info)'],
    [
      '/sumdb/sum.example.invalid/lookup/example.com/x@v1.0.0',
      'the checksum database sum.example.invalid (lookup/example.com/x@v1.0.0)'
    ]
  ])('%s', (path, words) => {
    expect(describeProxyPath(path)).toBe(words)
  })

  test.each(['/example.com/Big/@v/v1.0.0.mod', '/example.com/x/@v/', '/favicon.ico', '/%zz/@v/list'])(
    'not a module request: %s',
    (p) => {
      expect(describeProxyPath(p)).toBeUndefined()
    }
  )
})

describe('describeRelayUrls', () => {
  test("the relay's random address never reaches the user", () => {
    const go =
      `go: example.com/BigCorp/Lib@v1.2.0: reading ${RELAY}/example.com/%21big%21corp/%21lib/@v/v1.2.0.mod: 403 Forbidden\n` +
      `\tGet "${RELAY}/example.com/x/@v/list": EOF\n` +
      `reading ${RELAY}/not-a-module: 502 Bad Gateway`
    const out = describeRelayUrls(go, RELAY)
    expect(out).not.toContain('127.0.0.1:41234')
    expect(out).toContain('reading example.com/BigCorp/Lib@v1.2.0 (.mod) through the relay: 403 Forbidden')
    expect(out).toContain('Get "the version list of example.com/x through the relay": EOF')
    expect(out).toContain('reading the relay: 502 Bad Gateway')
  })

  test('linear in the size of hostile text', () => {
    const hostile = (RELAY + '/' + 'a'.repeat(50)).repeat(20_000) + 'x'.repeat(1_000_000)
    const started = performance.now()
    describeRelayUrls(hostile, RELAY)
    expect(performance.now() - started).toBeLessThan(1500)
  })
})

describe('policyRefusal', () => {
  const ctx = (o: Partial<AuthContext> = {}): AuthContext => ({
    tokenSet: false,
    privateHosts: [],
    netrcHosts: [],
    ...o
  })
  const direct =
    'go: example.com/app imports\n\texample.com/lib: example.com/lib@v1.0.0: reading ' +
    'https://mirror.corp.example/artifactory/api/go/golang/example.com/lib/@v/v1.0.0.zip: 403 Forbidden\n' +
    '\tserver response: this module version is not available\n'

  test('a 403 from a proxy that got no credentials is its policy, naming module@version and what the mirror said', () => {
    const e = policyRefusal(direct, ctx())
    expect(e).toMatchObject({ class: 'policy', transient: false })
    expect(e?.message).toBe(
      'The module proxy mirror.corp.example refused example.com/lib@v1.0.0 with 403 Forbidden ("this module version is not available"), and no credentials were configured for it'
    )
    expect(e?.hint).toContain('`goprivate`')
  })

  test('through the relay, the module is named without the relay address', () => {
    const viaRelay = `go: example.com/lib@v1.0.0: reading ${RELAY}/example.com/lib/@v/v1.0.0.mod: 403 Forbidden\n`
    expect(policyRefusal(viaRelay, ctx({ relayUrl: RELAY }))?.message).toContain(
      'An upstream module proxy refused example.com/lib@v1.0.0'
    )
  })

  test('with credentials for that proxy (URL or netrc), a 403 stays an auth failure; a 401 always is', () => {
    expect(policyRefusal(direct, ctx({ proxyCredentialHosts: ['mirror.corp.example'] }))).toBeUndefined()
    expect(policyRefusal(direct, ctx({ netrcHosts: ['mirror.corp.example'] }))).toBeUndefined()
    expect(policyRefusal(direct.replace('403 Forbidden', '401 Unauthorized'), ctx())).toBeUndefined()
  })
})
