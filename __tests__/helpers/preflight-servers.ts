// Loopback servers for the preflight tests: a status server, a blackhole, a free (refusing) port,
// and a tiny HTTP CONNECT egress proxy that alone resolves test host names (e.g. mirror.test).
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import { refusedUrl, startBlackhole as blackhole } from './blackhole.js'

export interface Started {
  port: number
  /** Requests seen: "METHOD path" plus the Authorization header, if any. */
  seen: Array<{ line: string; authorization?: string; proxyAuthorization?: string }>
  close(): Promise<void>
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

function track(server: net.Server): () => Promise<void> {
  const sockets = new Set<net.Socket>()
  server.on('connection', (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as net.AddressInfo).port
}

/** An http (or, with `tls`, https) server answering every request with `handler`. */
export async function startServer(
  handler: Handler | number,
  tlsOpts?: { cert: string; key: string }
): Promise<Started> {
  const seen: Started['seen'] = []
  const h: Handler =
    typeof handler === 'number'
      ? (_req, res) => {
          res.statusCode = handler
          res.end('answer\n')
        }
      : handler
  const onRequest: Handler = (req, res) => {
    seen.push({ line: `${req.method} ${req.url}`, authorization: req.headers.authorization })
    h(req, res)
  }
  const server = tlsOpts ? https.createServer(tlsOpts, onRequest) : http.createServer(onRequest)
  const close = track(server)
  return { port: await listen(server), seen, close }
}

/** Accepts TCP connections and never answers (blackhole.ts's, as a Started). */
export async function startBlackhole(): Promise<Started> {
  const hole = await blackhole()
  return { port: hole.port, seen: [], close: hole.close }
}

/** A port nothing listens on (taken, then released). */
export async function freePort(): Promise<number> {
  return Number(new URL(await refusedUrl()).port)
}

/**
 * An egress proxy: CONNECT tunnels and absolute-form http requests, to hosts in `hosts` only
 * (name -> loopback address); any other host gets 502. With `auth`, requires that exact
 * Proxy-Authorization value and answers 407 otherwise.
 */
export async function startEgressProxy(hosts: Record<string, string>, auth?: string): Promise<Started> {
  const seen: Started['seen'] = []
  const allowed = (req: http.IncomingMessage): boolean => !auth || req.headers['proxy-authorization'] === auth
  const server = http.createServer((req, res) => {
    seen.push({ line: `${req.method} ${req.url}`, proxyAuthorization: req.headers['proxy-authorization'] })
    if (!allowed(req)) return void res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end()
    const u = new URL(req.url ?? '')
    const address = hosts[u.hostname]
    if (!address) return void res.writeHead(502).end()
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    const up = http.request({
      host: address,
      port: u.port || 80,
      path: u.pathname + u.search,
      method: req.method,
      headers
    })
    up.on('response', (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    })
    up.on('error', () => res.writeHead(502).end())
    req.pipe(up)
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ line: `CONNECT ${req.url}`, proxyAuthorization: req.headers['proxy-authorization'] })
    client.on('error', () => {})
    if (!allowed(req)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
    const [host, port] = (req.url ?? '').split(':')
    const address = hosts[host]
    if (!address) return void client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    const up = net.connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) up.write(head)
      up.pipe(client)
      client.pipe(up)
    })
    up.on('error', () => client.destroy())
    client.on('close', () => up.destroy())
  })
  const close = track(server)
  return { port: await listen(server), seen, close }
}
