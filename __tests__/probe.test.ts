// The staged probe against real loopback servers, and go's HTTP(S)_PROXY / NO_PROXY rules.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { egressProxyFor, useProxy } from '../src/net/egress.js'
import { probeUrl } from '../src/preflight/probe.js'
import { freePort, startBlackhole, startEgressProxy, startServer, type Started } from './helpers/preflight-servers.js'
import { issueCert, makeTestCA, type IssuedCert, type TestCA } from './helpers/tls.js'

const deadline = (ms: number): AbortSignal => AbortSignal.timeout(ms)
const noEnv: NodeJS.ProcessEnv = {}

describe('probeUrl', () => {
  let plain: Started
  let secure: Started
  let wrongName: Started
  let hole: Started
  let ca: TestCA
  let cert: IssuedCert
  const open: Started[] = []

  beforeAll(async () => {
    ca = makeTestCA('Probe Test CA')
    cert = issueCert(ca, ['127.0.0.1', 'localhost', 'mirror.test'])
    plain = await startServer((req, res) => {
      res.statusCode = req.headers.authorization === 'Basic ' + Buffer.from('al:pa ss').toString('base64') ? 200 : 404
      res.end()
    })
    secure = await startServer(200, cert)
    wrongName = await startServer(200, issueCert(ca, ['other.test']))
    hole = await startBlackhole()
    open.push(plain, secure, wrongName, hole)
  })
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()))
  })

  test('times each stage it ran, on the connection it built', async () => {
    const o = await probeUrl({
      url: `http://localhost:${plain.port}/example.com/x/@v/list`,
      signal: deadline(5000),
      env: noEnv
    })
    expect(o.failure).toBeUndefined()
    expect(o.status).toBe(404)
    expect(o.timings.dns).toEqual(expect.any(Number))
    expect(o.timings.tcp).toEqual(expect.any(Number))
    expect(o.timings.tls).toBeUndefined()
    expect(o.timings.http).toEqual(expect.any(Number))
    expect(plain.seen.at(-1)?.line).toBe('GET /example.com/x/@v/list')
  })

  test('an IP literal skips DNS; URL userinfo is sent as Basic auth', async () => {
    const o = await probeUrl({ url: `http://al:pa%20ss@127.0.0.1:${plain.port}/p`, signal: deadline(5000), env: noEnv })
    expect(o.status).toBe(200)
    expect(o.timings.dns).toBeUndefined()
  })

  test('refused, unresolvable and blackholed endpoints', async () => {
    const refused = await probeUrl({ url: `http://127.0.0.1:${await freePort()}/`, signal: deadline(5000), env: noEnv })
    expect(refused.failure).toMatchObject({ kind: 'refused', stage: 'tcp' })
    const dns = await probeUrl({ url: 'https://proxy.example.invalid/', signal: deadline(5000), env: noEnv })
    expect(dns.failure).toMatchObject({ kind: 'dns', stage: 'dns' })
    const started = Date.now()
    const hung = await probeUrl({ url: `http://127.0.0.1:${hole.port}/`, signal: deadline(300), env: noEnv })
    expect(hung.failure).toMatchObject({ kind: 'timeout', stage: 'http' })
    expect(hung.timings.tcp).toEqual(expect.any(Number))
    expect(Date.now() - started).toBeLessThan(3000)
  })

  test('an answer whose body stalls after the headers is a timeout, not ok', async () => {
    const stalling = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial') // then nothing more
    })
    open.push(stalling)
    const o = await probeUrl({
      url: `http://127.0.0.1:${stalling.port}/example.com/x/@v/list`,
      signal: deadline(400),
      env: noEnv
    })
    expect(o.failure).toMatchObject({ kind: 'timeout', stage: 'http' })
  })

  test('a TLS endpoint that hangs after the handshake is in the http stage; before it, the tls stage', async () => {
    const o = await probeUrl({ url: `https://127.0.0.1:${hole.port}/`, signal: deadline(300), env: noEnv })
    expect(o.failure).toMatchObject({ kind: 'timeout', stage: 'tls' })
  })

  test('an unknown CA is tls-untrusted with the certificate shown; trusted through extraCa it answers', async () => {
    const url = `https://localhost:${secure.port}/latest`
    const bad = await probeUrl({ url, signal: deadline(5000), env: noEnv })
    expect(bad.failure).toMatchObject({ kind: 'tls-untrusted', stage: 'tls' })
    expect(bad.certificate?.subject).toContain('CN=127.0.0.1')
    expect(bad.certificate?.issuer).toContain(ca.commonName)
    const good = await probeUrl({ url, signal: deadline(5000), env: noEnv, extraCa: [ca.cert] })
    expect(good.failure).toBeUndefined()
    expect(good.status).toBe(200)
    expect(good.timings.tls).toEqual(expect.any(Number))
  })

  test('a trusted certificate for another name is tls-other', async () => {
    const o = await probeUrl({
      url: `https://localhost:${wrongName.port}/`,
      signal: deadline(5000),
      env: noEnv,
      extraCa: [ca.cert]
    })
    expect(o.failure).toMatchObject({ kind: 'tls-other', stage: 'tls', code: 'ERR_TLS_CERT_ALTNAME_INVALID' })
  })

  describe('through an egress proxy', () => {
    let egress: Started
    let authEgress: Started
    beforeAll(async () => {
      egress = await startEgressProxy({ 'mirror.test': '127.0.0.1' })
      authEgress = await startEgressProxy(
        { 'mirror.test': '127.0.0.1' },
        'Basic ' + Buffer.from('eu:ep').toString('base64')
      )
      open.push(egress, authEgress)
    })

    test('https goes through a CONNECT tunnel to a name only the egress proxy resolves', async () => {
      const env = { HTTPS_PROXY: `http://127.0.0.1:${egress.port}` }
      const o = await probeUrl({
        url: `https://mirror.test:${secure.port}/latest`,
        signal: deadline(5000),
        env,
        extraCa: [ca.cert]
      })
      expect(o.failure).toBeUndefined()
      expect(o.status).toBe(200)
      expect(o.via).toBe(`http://127.0.0.1:${egress.port}`)
      expect(egress.seen.map((s) => s.line)).toContain(`CONNECT mirror.test:${secure.port}`)
    })

    test('http goes as an absolute-form request, with the egress credentials', async () => {
      const env = { http_proxy: `eu:ep@127.0.0.1:${authEgress.port}` } // go accepts host:port without a scheme
      const o = await probeUrl({ url: `http://mirror.test:${plain.port}/x`, signal: deadline(5000), env })
      expect(o.status).toBe(404)
      expect(o.via).toBe(`http://***@127.0.0.1:${authEgress.port}`)
      expect(authEgress.seen.at(-1)?.line).toBe(`GET http://mirror.test:${plain.port}/x`)
    })

    test('the egress proxy asking for credentials, or refusing a host, fails the tcp stage', async () => {
      const env = { HTTPS_PROXY: `http://127.0.0.1:${authEgress.port}` }
      const o = await probeUrl({ url: `https://mirror.test:${secure.port}/`, signal: deadline(5000), env })
      expect(o.failure).toMatchObject({ kind: 'egress', stage: 'tcp', status: 407 })
      const env2 = { HTTPS_PROXY: `http://127.0.0.1:${egress.port}` }
      const o2 = await probeUrl({ url: `https://elsewhere.test:${secure.port}/`, signal: deadline(5000), env: env2 })
      expect(o2.failure).toMatchObject({ kind: 'egress', stage: 'tcp', status: 502 })
    })

    test('NO_PROXY hosts go direct', async () => {
      const seenBefore = egress.seen.length
      const env = { HTTPS_PROXY: `http://127.0.0.1:${egress.port}`, NO_PROXY: 'example.org,.test' }
      const o = await probeUrl({ url: `https://mirror.test:${secure.port}/`, signal: deadline(5000), env })
      expect(o.via).toBeUndefined()
      expect(o.failure).toMatchObject({ kind: 'dns' }) // only the egress proxy knows mirror.test
      expect(egress.seen.length).toBe(seenBefore)
    })
  })
})

describe('egress proxy selection (go httpproxy rules)', () => {
  test('scheme picks the variable; upper case wins; bare host:port means http', () => {
    const env = { HTTPS_PROXY: 'proxy.corp:3128', https_proxy: 'http://lower:1', HTTP_PROXY: 'http://plain:8080' }
    expect(egressProxyFor('https://mirror.test/x', env)?.href).toBe('http://proxy.corp:3128/')
    expect(egressProxyFor('http://mirror.test/x', env)?.href).toBe('http://plain:8080/')
    expect(egressProxyFor('https://mirror.test/x', { https_proxy: 'http://lower:1' })?.host).toBe('lower:1')
    expect(egressProxyFor('https://mirror.test/x', { HTTP_PROXY: 'http://plain:8080' })).toBeUndefined()
  })

  test('loopback and localhost never use a proxy', () => {
    const env = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' }
    expect(egressProxyFor('https://127.0.0.1:8443/', env)).toBeUndefined()
    expect(egressProxyFor('http://127.9.9.9/', env)).toBeUndefined()
    expect(egressProxyFor('http://[::1]:80/', env)).toBeUndefined()
    expect(egressProxyFor('http://localhost:80/', env)).toBeUndefined()
    expect(egressProxyFor('http://10.1.2.3/', env)).toBeDefined()
  })

  test('NO_PROXY: names, suffixes, wildcards, ports, IPs and CIDRs', () => {
    expect(useProxy('mirror.test', '443', '*')).toBe(false)
    expect(useProxy('mirror.test', '443', 'mirror.test')).toBe(false)
    expect(useProxy('a.mirror.test', '443', 'mirror.test')).toBe(false)
    expect(useProxy('xmirror.test', '443', 'mirror.test')).toBe(true)
    expect(useProxy('mirror.test', '443', '.mirror.test')).toBe(true)
    expect(useProxy('a.mirror.test', '443', '.mirror.test')).toBe(false)
    expect(useProxy('mirror.test', '443', '*.mirror.test')).toBe(true)
    expect(useProxy('a.mirror.test', '443', '*.mirror.test')).toBe(false)
    expect(useProxy('mirror.test', '443', ' other.test , MIRROR.test:443')).toBe(false)
    expect(useProxy('mirror.test', '80', 'mirror.test:443')).toBe(true)
    expect(useProxy('10.1.2.3', '443', '10.0.0.0/8')).toBe(false)
    expect(useProxy('11.1.2.3', '443', '10.0.0.0/8')).toBe(true)
    expect(useProxy('10.1.2.3', '443', '10.1.2.3:80')).toBe(true)
    expect(useProxy('10.1.2.3', '80', '10.1.2.3:80')).toBe(false)
    expect(useProxy('fd00::5', '443', 'fd00::/8')).toBe(false)
    expect(useProxy('mirror.test', '443', '10.0.0.0/8')).toBe(true)
  })
})
