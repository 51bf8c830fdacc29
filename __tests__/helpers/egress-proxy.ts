// A corporate egress proxy on loopback: HTTP CONNECT tunnels and plain-HTTP absolute-URI requests, for test host
// names only (e.g. `mirror.test`, `git.corp.test`), each resolved to a loopback port. go never sends loopback
// hosts through HTTP(S)_PROXY, so tests give their servers such names; only this proxy can reach them, which
// proves the traffic went through it. Every request is logged, refused ones included.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'

export interface TunnelLogEntry {
  /** 'CONNECT' for tunnels, else the forwarded request's method. */
  method: string
  /** Host as requested (lower case), without port. */
  host: string
  /** Port as requested (443 / 80 when implied). */
  port: number
  /** For plain-HTTP requests: the path; for tunnels: ''. */
  path: string
  /** False when the host is not one this proxy knows (answered 502). */
  allowed: boolean
  /** The Proxy-Authorization header, if any. */
  proxyAuthorization?: string
}

export interface EgressProxyOptions {
  /** Test host name -> loopback port (every requested port of that name goes there). */
  hosts: Record<string, number>
  /** Require `Proxy-Authorization: Basic` with these credentials (407 otherwise). */
  auth?: { user: string; pass: string }
}

export interface EgressProxy {
  /** `http://127.0.0.1:<port>` for HTTP(S)_PROXY. */
  url: string
  port: number
  log: TunnelLogEntry[]
  /** Adds or changes a host mapping. */
  route(host: string, port: number): void
  /** Tunnels/requests that reached a known host. */
  allowed(host?: string): TunnelLogEntry[]
  close(): Promise<void>
}

function splitTarget(target: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target)
  return { host: (m?.[1] ?? target).toLowerCase(), port: m?.[2] ? Number(m[2]) : defaultPort }
}

interface Ctx {
  hosts: Map<string, number>
  log: TunnelLogEntry[]
  track(s: Socket | Duplex): void
  authOk(req: IncomingMessage): boolean
}

export async function startEgressProxy(opts: EgressProxyOptions): Promise<EgressProxy> {
  const sockets = new Set<Socket | Duplex>()
  const expectedAuth = opts.auth
    ? 'Basic ' + Buffer.from(`${opts.auth.user}:${opts.auth.pass}`).toString('base64')
    : undefined
  const ctx: Ctx = {
    hosts: new Map(Object.entries(opts.hosts).map(([h, p]) => [h.toLowerCase(), p])),
    log: [],
    track: (s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
    },
    authOk: (req) => !expectedAuth || req.headers['proxy-authorization'] === expectedAuth
  }
  const server: Server = createServer((req, res) => forward(ctx, req, res))
  server.on('connection', ctx.track)
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => tunnel(ctx, req, client, head))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log: ctx.log,
    route: (host, p) => void ctx.hosts.set(host.toLowerCase(), p),
    allowed: (host) => ctx.log.filter((e) => e.allowed && (host === undefined || e.host === host.toLowerCase())),
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function tunnel(ctx: Ctx, req: IncomingMessage, client: Duplex, head: Buffer): void {
  ctx.track(client)
  const { host, port } = splitTarget(req.url ?? '', 443)
  const target = ctx.hosts.get(host)
  ctx.log.push(entry('CONNECT', host, port, '', target !== undefined, req))
  if (!ctx.authOk(req)) {
    return void client.end(
      'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="egress"\r\nContent-Length: 0\r\n\r\n'
    )
  }
  if (target === undefined) return void client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n')
  const upstream = connect(target, '127.0.0.1', () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) upstream.write(head)
    upstream.pipe(client)
    client.pipe(upstream)
  })
  ctx.track(upstream)
  upstream.on('error', () => client.destroy())
  client.on('error', () => upstream.destroy())
  client.on('close', () => upstream.destroy())
}

function forward(ctx: Ctx, req: IncomingMessage, res: ServerResponse): void {
  let url: URL
  try {
    url = new URL(req.url ?? '')
  } catch {
    res.writeHead(400).end('egress proxy: absolute-URI requests only\n')
    return
  }
  const host = url.hostname.toLowerCase()
  const port = url.port ? Number(url.port) : 80
  const target = url.protocol === 'http:' ? ctx.hosts.get(host) : undefined
  ctx.log.push(entry(req.method ?? 'GET', host, port, url.pathname + url.search, target !== undefined, req))
  if (!ctx.authOk(req)) return void res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="egress"' }).end()
  if (target === undefined) return void res.writeHead(502).end(`egress proxy: unknown host ${host}\n`)
  const headers = { ...req.headers }
  delete headers['proxy-authorization']
  delete headers['proxy-connection']
  const up = httpRequest(
    { host: '127.0.0.1', port: target, method: req.method, path: url.pathname + url.search, headers },
    (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers)
      r.pipe(res)
    }
  )
  up.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end('egress proxy: upstream failed\n')))
  req.pipe(up)
}

function entry(
  method: string,
  host: string,
  port: number,
  path: string,
  allowed: boolean,
  req: IncomingMessage
): TunnelLogEntry {
  const e: TunnelLogEntry = { method, host, port, path, allowed }
  const pa = req.headers['proxy-authorization']
  if (pa) e.proxyAuthorization = pa
  return e
}
