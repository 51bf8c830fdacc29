// Preflight end to end against loopback servers: verdicts, hints, the shared deadline, early
// results, the egress proxy, redaction, and the checksum database route.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { orderHealthyFirst, startPreflight, type PreflightOptions } from '../src/preflight/preflight.js'
import { parseProxyList } from '../src/config/proxylist.js'
import type { ProbeResult, ProxyEntry } from '../src/types.js'
import { freePort, startBlackhole, startEgressProxy, startServer, type Started } from './helpers/preflight-servers.js'
import { issueCert, makeTestCA, type TestCA } from './helpers/tls.js'

const SUMDB = 'sum.example.invalid' // never resolves: a direct route shows up as a dns verdict

const list = (...urls: string[]): ProxyEntry[] => parseProxyList(urls.join(','))
const run = (o: Partial<PreflightOptions> & { proxies: ProxyEntry[] }) =>
  startPreflight({ gosumdb: 'off', timeoutMs: 3000, env: {}, ...o })

let ok: Started, e500: Started, e401: Started, secure: Started, hole: Started, sumProxy: Started, sumdb: Started
let ca: TestCA
let deadPort: number
const servers: Started[] = []

beforeAll(async () => {
  ca = makeTestCA('Preflight Test CA')
  ok = await startServer(404) // a proxy that does not have the probe module: it speaks the protocol
  e500 = await startServer(500)
  e401 = await startServer(401)
  secure = await startServer(410, issueCert(ca, ['127.0.0.1', 'localhost', 'mirror.test']))
  hole = await startBlackhole()
  // A proxy that relays the checksum database, and a database answering /latest.
  sumProxy = await startServer((req, res) => {
    res.statusCode = req.url === `/sumdb/${SUMDB}/supported` ? 200 : 404
    res.end()
  })
  sumdb = await startServer((req, res) => {
    res.statusCode = req.url === '/db/latest' ? 200 : 404
    res.end('go.sum database tree\n1\n')
  })
  servers.push(ok, e500, e401, secure, hole, sumProxy, sumdb)
  deadPort = await freePort()
})
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()))
})

const loop = (s: Started, path = ''): string => `http://127.0.0.1:${s.port}${path}`

describe('verdicts', () => {
  test('one per endpoint, in input order, each with an actionable hint, within the deadline', async () => {
    const proxies = list(
      loop(ok),
      `http://127.0.0.1:${deadPort}`,
      'https://proxy.example.invalid',
      loop(hole),
      `https://localhost:${secure.port}/mod`,
      loop(e500),
      loop(e401)
    )
    const started = Date.now()
    const results = await run({ proxies, timeoutMs: 1000 }).results
    expect(Date.now() - started).toBeLessThan(1000 + 2000)
    expect(results.map((r) => r.verdict)).toEqual([
      'ok',
      'refused',
      'dns',
      'timeout',
      'tls-untrusted',
      'http-500',
      'auth'
    ])
    expect(results.map((r) => r.endpoint)).toEqual(proxies.map((p) => p.display))
    expect(results.every((r) => r.role === 'proxy' && r.hint.length > 10 && !r.hint.includes('\n'))).toBe(true)
    const [, refused, dns, timeout, untrusted, , auth] = results
    expect(refused.hint).toContain(`127.0.0.1:${deadPort}`)
    expect(dns.hint).toContain('proxy.example.invalid')
    expect(dns.detail).toContain('ENOTFOUND')
    expect(timeout.hint).toContain('http stage')
    expect(timeout.timings.tcp).toEqual(expect.any(Number))
    expect(untrusted.certificate).toEqual({ subject: 'CN=127.0.0.1', issuer: expect.stringContaining(ca.commonName) })
    expect(untrusted.hint).toContain('`ca-certificates`')
    expect(untrusted.hint).toContain(ca.commonName)
    for (const w of ['`token`', '`netrc`', 'https://user:token@']) expect(auth.hint).toContain(w)
    // The protocol request was made, not GET /.
    expect(ok.seen.at(-1)?.line).toBe('GET /example.com/go-tidy-guard-probe/@v/list')
    expect(secure.seen).toEqual([])
  })

  test('the certificate trusted through extraCa answers ok', async () => {
    const [r] = await run({ proxies: list(`https://localhost:${secure.port}/mod`), extraCa: [ca.cert] }).results
    expect(r).toMatchObject({ verdict: 'ok', timings: { tls: expect.any(Number), http: expect.any(Number) } })
    expect(secure.seen.at(-1)?.line).toBe('GET /mod/example.com/go-tidy-guard-probe/@v/list')
  })

  test('ten endpoints with five dead finish within the deadline plus a margin', async () => {
    const urls: string[] = []
    for (let i = 0; i < 5; i++) urls.push(loop(ok, `/m${i}`), i % 2 ? loop(hole) : `http://127.0.0.1:${deadPort}`)
    const started = Date.now()
    const results = await run({ proxies: list(...urls), timeoutMs: 800 }).results
    expect(Date.now() - started).toBeLessThan(800 + 2000)
    expect(results.filter((r) => r.verdict === 'ok')).toHaveLength(5)
    expect(results.filter((r) => r.verdict === 'timeout')).toHaveLength(2)
    expect(results.filter((r) => r.verdict === 'refused')).toHaveLength(3)
  })

  test('credentials in a URL are sent as Basic auth and appear in no result field', async () => {
    const secret = 'pw-Zq81xK'
    const proxies = list(
      `http://alice:${secret}@127.0.0.1:${e401.port}/`,
      `https://bob:${secret}@localhost:${secure.port}/`
    )
    const results = await run({ proxies }).results
    expect(e401.seen.at(-1)?.authorization).toBe('Basic ' + Buffer.from(`alice:${secret}`).toString('base64'))
    const text = JSON.stringify(results)
    expect(text).not.toContain(secret)
    expect(text).not.toContain('alice')
    expect(text).not.toContain('bob')
    expect(results.map((r) => r.verdict)).toEqual(['auth', 'tls-untrusted'])
  })
})

describe('early results', () => {
  test('firstOk resolves with the healthy proxy while a blackholed one is still pending', async () => {
    const proxies = list(loop(hole), loop(ok))
    const pre = run({ proxies, timeoutMs: 3000 })
    let settled = false
    void pre.results.then(() => (settled = true))
    const first = await pre.firstOk
    expect(first).toMatchObject({ verdict: 'ok', endpoint: proxies[1].display })
    expect(settled).toBe(false)
    const seen: Array<[string, string | undefined]> = []
    pre.onResult((r, e) => seen.push([r.verdict, e?.display])) // a late subscriber gets the replay
    expect(seen).toEqual([['ok', proxies[1].display]])
    const all = await pre.results
    expect(all.map((r) => r.verdict)).toEqual(['timeout', 'ok'])
    expect(seen).toEqual([
      ['ok', proxies[1].display],
      ['timeout', proxies[0].display]
    ])
  })

  test('firstOk is undefined when no proxy is ok, and at once when there is none', async () => {
    expect(await run({ proxies: list(loop(e500)) }).firstOk).toBeUndefined()
    expect(await run({ proxies: parseProxyList('direct') }).firstOk).toBeUndefined()
    expect(await run({ proxies: parseProxyList('direct') }).results).toEqual([])
  })
})

describe('egress proxy', () => {
  let egress: Started
  beforeAll(async () => {
    egress = await startEgressProxy({ 'mirror.test': '127.0.0.1' })
    servers.push(egress)
  })

  test('HTTPS_PROXY carries the probe to a host only the egress proxy resolves; NO_PROXY bypasses it', async () => {
    const proxies = list(`https://mirror.test:${secure.port}/`)
    const env = { HTTPS_PROXY: `http://127.0.0.1:${egress.port}` }
    const [through] = await run({ proxies, env, extraCa: [ca.cert] }).results
    expect(through).toMatchObject({ verdict: 'ok', via: `http://127.0.0.1:${egress.port}` })
    expect(through.hint).toContain('egress proxy')
    expect(egress.seen.map((s) => s.line)).toContain(`CONNECT mirror.test:${secure.port}`)
    const count = egress.seen.length
    const [bypassed] = await run({ proxies, env: { ...env, NO_PROXY: 'mirror.test' }, extraCa: [ca.cert] }).results
    expect(bypassed.verdict).toBe('dns')
    expect(bypassed).not.toHaveProperty('via')
    expect(egress.seen.length).toBe(count)
  })
})

describe('checksum database', () => {
  test('reached through the first proxy that supports it', async () => {
    const proxies = list(loop(ok), loop(sumProxy))
    const results = await run({ proxies, gosumdb: `${SUMDB}+00000000+AAAA` }).results
    expect(results.map((r) => r.role)).toEqual(['proxy', 'proxy', 'sumdb'])
    expect(results[2]).toMatchObject({ verdict: 'ok', endpoint: `${loop(sumProxy)}/sumdb/${SUMDB}` })
    expect(sumProxy.seen.map((s) => s.line)).toContain(`GET /sumdb/${SUMDB}/supported`)
  })

  test('directly at https://<name> when no proxy supports it', async () => {
    const results = await run({ proxies: list(loop(ok)), gosumdb: SUMDB }).results
    expect(results[1]).toMatchObject({ role: 'sumdb', verdict: 'dns', endpoint: `https://${SUMDB}` })
  })

  test('unavailable when a proxy fails without a | fallback', async () => {
    const results = await run({ proxies: list(loop(e500), loop(sumProxy)), gosumdb: SUMDB }).results
    expect(results[2]).toMatchObject({ verdict: 'http-500', endpoint: `${loop(e500)}/sumdb/${SUMDB}` })
    expect(results[2].hint).toContain('GOSUMDB')
  })

  test('at the explicit GOSUMDB URL, which bypasses proxies', async () => {
    const good = await run({ proxies: list(loop(sumProxy)), gosumdb: `${SUMDB}+00000000+AAAA ${loop(sumdb, '/db')}` })
      .results
    expect(good[1]).toMatchObject({ role: 'sumdb', verdict: 'ok', endpoint: loop(sumdb, '/db') })
    expect(sumdb.seen.at(-1)?.line).toBe('GET /db/latest')
    const bad = await run({ proxies: [], gosumdb: `${SUMDB}+00000000+AAAA ${loop(sumdb, '/nothing')}` }).results
    expect(bad[0].verdict).toBe('http-404')
  })

  test('off is not probed; an invalid value is a verdict naming GOSUMDB', async () => {
    expect(await run({ proxies: [], gosumdb: 'off' }).results).toEqual([])
    const [r] = await run({ proxies: [], gosumdb: 'a b c' }).results
    expect(r).toMatchObject({ role: 'sumdb', verdict: 'unreachable' })
    expect(r.hint).toContain('GOSUMDB')
  })
})

describe('orderHealthyFirst', () => {
  const res = (endpoint: string, verdict: ProbeResult['verdict']): ProbeResult => ({
    endpoint,
    role: 'proxy',
    verdict,
    hint: '',
    timings: { total: 0 }
  })

  test('ok first, then pending, then failing; keywords stay last; separators keep their places', () => {
    const proxies = parseProxyList('https://a.invalid|https://u:p@b.invalid,https://c.invalid|https://d.invalid,direct')
    const results = [
      res('https://a.invalid', 'timeout'),
      res('https://***@b.invalid', 'http-500'),
      res('https://d.invalid', 'ok')
    ]
    const out = orderHealthyFirst(proxies, results)
    expect(out.map((p) => p.display)).toEqual([
      'https://d.invalid',
      'https://c.invalid',
      'https://a.invalid',
      'https://***@b.invalid',
      'direct'
    ])
    expect(out.map((p) => p.separator)).toEqual(proxies.map((p) => p.separator))
    expect(out[3].url).toBe('https://u:p@b.invalid')
    expect(orderHealthyFirst(proxies, [])).toEqual(proxies)
  })
})
