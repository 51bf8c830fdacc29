// Redirects through the relay follow go's rules (cmd/go/internal/web/http.go): an https request is never redirected
// to plain http ("redirected from secure URL to insecure URL"), and an upstream's credentials never reach another
// origin (issue 10, point 7). Loopback https upstreams from a test CA; the plain-http targets record every request.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Dispatcher } from 'undici'
import { createDispatcher } from '../src/net/dispatcher.js'
import { probeUrl } from '../src/preflight/probe.js'
import { startRelay, type Relay } from '../src/relay/relay.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, runGo } from './helpers/gotest-env.js'
import { entry, fetchOnce, startUpstream, type Hit, type TestUpstream } from './helpers/relay-upstreams.js'
import { issueCert, makeTestCA, type TestCA } from './helpers/tls.js'

const INFO = '/example.com/a/@v/v1.0.0.info'
const INFO_JSON = '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}'
const PASS = 'relay-pass-' + 'Xy4'.repeat(6)
const BASIC = 'Basic ' + Buffer.from(`bot:${PASS}`).toString('base64')

let ca: TestCA
let dispatcher: Dispatcher
const closers: Array<() => Promise<void>> = []
beforeAll(() => {
  ca = makeTestCA()
  dispatcher = createDispatcher({ extraCa: [ca.cert], connectTimeoutMs: 2_000 })
})
afterAll(async () => {
  for (const c of closers.reverse()) await c()
  await dispatcher.destroy()
})

type Handler = (req: IncomingMessage, res: ServerResponse) => void
const serveInfo: Handler = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(INFO_JSON)
const redirectTo =
  (url: () => string): Handler =>
  (_req, res) =>
    void res.writeHead(302, { location: url() }).end()

/** An https upstream on 127.0.0.1, named `host` (127.0.0.1 or localhost: two origins), recording every request. */
async function httpsUpstream(handler: Handler, host = '127.0.0.1'): Promise<TestUpstream> {
  const hits: Hit[] = []
  const server: Server = createServer(issueCert(ca, ['127.0.0.1', 'localhost']), (req, res) => {
    hits.push({ path: req.url ?? '', headers: req.headers })
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = (): Promise<void> =>
    new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections()))
  closers.push(close)
  return { origin: `https://${host}:${(server.address() as AddressInfo).port}`, hits, close }
}

async function httpUpstream(handler: Handler): Promise<TestUpstream> {
  const u = await startUpstream(handler)
  closers.push(() => u.close())
  return u
}

async function relayOver(url: string): Promise<Relay> {
  const r = await startRelay({ upstreams: [entry(url)], retries: 2, backoffBaseMs: 5, dispatcher })
  closers.push(() => r.close())
  return r
}

const withCredentials = (origin: string): string => origin.replace('://', `://bot:${PASS}@`)

describe('relay redirects', () => {
  it('refuses an https -> http redirect as go does, and the http server gets no request', async () => {
    const plain = await httpUpstream(serveInfo)
    const secure = await httpsUpstream(redirectTo(() => `${plain.origin}/storage/a.info`))
    const r = await relayOver(withCredentials(secure.origin))
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(502)
    const text = got.body.toString()
    expect(text).toContain(
      `redirected from secure URL ${secure.origin}${INFO} to insecure URL ${plain.origin}/storage/a.info`
    )
    expect(text).not.toContain(PASS)
    expect(secure.hits.length).toBe(1) // a refusal, not a transient failure: not retried
    expect(plain.hits).toEqual([])
  })

  it('refuses a downgrade on a later hop, after an https -> https hop to another origin', async () => {
    const plain = await httpUpstream(serveInfo)
    const storage = await httpsUpstream(
      redirectTo(() => `${plain.origin}/z`),
      'localhost'
    )
    const secure = await httpsUpstream(redirectTo(() => `${storage.origin}/y`))
    const got = await fetchOnce((await relayOver(secure.origin)).url + INFO)
    expect(got.status).toBe(502)
    expect(got.body.toString()).toContain(
      `redirected from secure URL ${storage.origin}/y to insecure URL ${plain.origin}/z`
    )
    expect(storage.hits).toHaveLength(1)
    expect(plain.hits).toEqual([])
  })

  it('drops the credentials on a hop to another origin, keeps them on the same origin', async () => {
    const storage = await httpsUpstream(serveInfo, 'localhost')
    const secure = await httpsUpstream((req, res) =>
      req.url === INFO
        ? redirectTo(() => '/moved' + INFO)(req, res)
        : redirectTo(() => `${storage.origin}/blob`)(req, res)
    )
    const got = await fetchOnce((await relayOver(withCredentials(secure.origin))).url + INFO)
    expect(got.status).toBe(200)
    expect(got.body.toString()).toBe(INFO_JSON)
    expect(secure.hits.map((h) => [h.path, h.headers.authorization])).toEqual([
      [INFO, BASIC],
      ['/moved' + INFO, BASIC]
    ])
    expect(storage.hits.map((h) => [h.path, h.headers.authorization])).toEqual([['/blob', undefined]])
  })

  it('follows http -> https -> http, which go allows (its first URL was not secure)', async () => {
    const plain = await httpUpstream(serveInfo)
    const secure = await httpsUpstream(redirectTo(() => `${plain.origin}/back`))
    const first = await httpUpstream(redirectTo(() => `${secure.origin}/up`))
    const got = await fetchOnce((await relayOver(first.origin)).url + INFO)
    expect(got.status).toBe(200)
    expect(plain.hits.map((h) => h.path)).toEqual(['/back'])
  })
})

describe("preflight's probe", () => {
  it('does not follow an https -> http redirect: it reports the status and the Location, and sends nothing there', async () => {
    const plain = await httpUpstream(serveInfo)
    const secure = await httpsUpstream(redirectTo(() => `${plain.origin}/storage`))
    const o = await probeUrl({
      url: `${withCredentials(secure.origin)}${INFO}`,
      signal: AbortSignal.timeout(5_000),
      env: {},
      extraCa: [ca.cert]
    })
    expect(o.failure).toBeUndefined()
    expect(o.status).toBe(302)
    expect(o.location).toBe(`${plain.origin}/storage`)
    expect(secure.hits.map((h) => h.headers.authorization)).toEqual([BASIC])
    expect(plain.hits).toEqual([])
  })
})

describe('real go against an https proxy that redirects a zip to plain http', () => {
  const MOD = { path: 'example.com/redir', version: 'v1.0.0' }
  let secure: FixtureProxy
  let plain: FixtureProxy

  beforeAll(async () => {
    plain = await startFixtureProxy({ modules: [MOD] })
    secure = await startFixtureProxy({ modules: [MOD], tls: issueCert(ca, ['127.0.0.1']) })
    secure.setFaults([
      {
        kind: 'status',
        status: 302,
        match: '.zip',
        headers: { location: `${plain.url}/${MOD.path}/@v/${MOD.version}.zip` }
      }
    ])
    closers.push(
      () => plain.close(),
      () => secure.close()
    )
  })

  async function download(goproxy: string): Promise<{ code: number | null; out: string }> {
    const env = makeGoEnv(goproxy, { SSL_CERT_FILE: ca.certFile })
    closers.push(async () => env.cleanup())
    const r = await runGo(['mod', 'download', `${MOD.path}@${MOD.version}`], { cwd: env.env.HOME, env: env.env })
    return { code: r.code, out: r.stdout + r.stderr }
  }

  it('fails directly and through the relay alike, naming the insecure redirect; the http proxy is never asked', async () => {
    const direct = await download(secure.url)
    expect(direct.code).not.toBe(0)
    expect(direct.out).toContain('redirected from secure URL')
    const relay = await relayOver(secure.url)
    const relayed = await download(relay.url)
    expect(relayed.code).not.toBe(0)
    expect(relayed.out).toContain(
      `redirected from secure URL ${secure.url}/${MOD.path}/@v/${MOD.version}.zip to insecure URL ${plain.url}/`
    )
    expect(secure.log.filter((e) => e.path.endsWith('.zip')).length).toBe(2) // once for go, once for the relay
    expect(plain.log).toEqual([])
  })
})
