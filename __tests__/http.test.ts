// createDispatcher through the relay: the environment's proxy as go reads it, and the CAs go would trust.
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { createDispatcher } from '../src/net/dispatcher.js'
import { startRelay } from '../src/relay/relay.js'
import { entry, fetchOnce, startUpstream } from './helpers/relay-upstreams.js'
import { issueCert, makeTestCA } from './helpers/tls.js'
import { closeAll, onCleanup, onClose } from './helpers/closers.js'

const INFO = '/example.com/a/@v/v1.0.0.info'
const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']
afterEach(closeAll)

function setEnv(vars: Record<string, string | undefined>): void {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]))
  onCleanup(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })
  for (const k of PROXY_VARS) delete process.env[k]
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) process.env[k] = v
}

/**
 * An egress proxy that records what it was asked for and sends everything to `port`: absolute-form requests
 * (plain http, as go sends them) are forwarded, CONNECT requests are tunnelled.
 */
async function startConnectProxy(port: number): Promise<{ hostPort: string; targets: string[]; tunnels: string[] }> {
  const targets: string[] = []
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  const server = createHttpServer((req, res) => {
    const target = new URL(req.url ?? '')
    targets.push(target.host)
    const fwd = httpRequest({ host: '127.0.0.1', port, path: target.pathname, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    fwd.on('error', () => res.destroy())
    req.pipe(fwd)
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '')
    const up = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      up.write(head)
      up.pipe(client).pipe(up)
    })
    for (const s of [client, up]) {
      sockets.add(s)
      s.on('error', () => undefined)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  )
  return { hostPort: `127.0.0.1:${(server.address() as AddressInfo).port}`, targets, tunnels }
}

describe('createDispatcher', () => {
  it('sends plain-http upstream requests through HTTP_PROXY in absolute form (a bare host:port, as go accepts) but never loopback', async () => {
    const up = await startUpstream((req, res) => res.end(req.headers.host))
    onClose(up)
    const proxy = await startConnectProxy(Number(new URL(up.origin).port))
    setEnv({ HTTP_PROXY: proxy.hostPort, NO_PROXY: 'skip.example.invalid' })

    const viaProxy = await startRelay({ upstreams: [entry('http://mirror.example.invalid:8080/')], retries: 0 })
    onClose(viaProxy)
    const got = await fetchOnce(viaProxy.url + INFO)
    expect(got.status).toBe(200)
    expect(got.body.toString()).toBe('mirror.example.invalid:8080')
    expect(proxy.targets).toEqual(['mirror.example.invalid:8080'])
    expect(proxy.tunnels).toEqual([])

    const direct = await startRelay({ upstreams: [entry(up.origin)], retries: 0 })
    onClose(direct)
    expect((await fetchOnce(direct.url + INFO)).status).toBe(200)
    expect(proxy.targets).toHaveLength(1)
  })

  it('honours NO_PROXY', async () => {
    setEnv({ HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '.example.invalid' })
    const r = await startRelay({
      upstreams: [entry('http://mirror.example.invalid/')],
      retries: 0,
      connectTimeoutMs: 2000
    })
    onClose(r)
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(502)
    // Direct, so the unresolvable name fails in DNS rather than at the (refusing) proxy.
    expect(got.body.toString()).toMatch(/ENOTFOUND|EAI_AGAIN/)
  })

  it('trusts an extra CA only when given it', async () => {
    setEnv({})
    const ca = makeTestCA()
    const leaf = issueCert(ca, ['127.0.0.1'])
    const server = createHttpsServer({ cert: leaf.cert, key: leaf.key }, (_req, res) => res.end('{}'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`

    for (const extraCa of [undefined, [ca.cert]]) {
      const dispatcher = createDispatcher({ connectTimeoutMs: 2000, extraCa })
      onCleanup(() => dispatcher.destroy())
      const r = await startRelay({ upstreams: [entry(url)], retries: 0, dispatcher })
      onClose(r)
      const got = await fetchOnce(r.url + INFO)
      if (extraCa) expect(got.status).toBe(200)
      else {
        expect(got.status).toBe(502)
        expect(got.body.toString()).toMatch(/certificate/i)
      }
    }
  })
})
