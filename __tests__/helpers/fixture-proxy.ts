// A loopback GOPROXY-protocol server over fixture modules, with a request log and injectable network faults
// (the failure modes our users' proxies show): any status, accept-and-never-answer, reset or stall mid-body, delay.
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { FixtureModule } from './modzip.js'
import { route, text, type Entry, type Reply } from './fixture-routes.js'
import { refusal, type ProxyFilter } from './proxy-filter.js'

export type { ProxyFilter } from './proxy-filter.js'
export { escapeModulePath, unescapeModulePath } from './modzip.js'
// Kept importable from here: tests and scripts take every fake endpoint from this module.
export { refusedUrl, startBlackhole, type Blackhole } from './blackhole.js'

interface FaultScope {
  /** Substring of, or RegExp tested on, the request path (`!`-encoded as logged, or with real upper case). Omitted: every request. */
  match?: string | RegExp
  /** Apply to this many matching requests, then heal. Omitted: forever. */
  times?: number
}

export type Fault = FaultScope &
  (
    | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
    /** Read the request, never answer, never close. */
    | { kind: 'blackhole' }
    /** Headers with the full Content-Length, `afterBytes` of the body (default half), then a TCP reset. */
    | { kind: 'reset'; afterBytes?: number }
    /** Headers with the full Content-Length, `afterBytes` of the body (default half), then silence forever. */
    | { kind: 'stall'; afterBytes?: number }
    /** Wait `ms`, then answer normally. */
    | { kind: 'delay'; ms: number }
  )

export interface LogEntry {
  method: string
  /** Request path, percent-decoded but still `!`-case-encoded (`/example.com/!foo/@v/list`), query removed. */
  path: string
  /** The request path exactly as received, still percent-encoded (`/example.com/%21foo/@v/list`), query removed. */
  raw: string
  /** 0 while unanswered (blackhole) or if the socket died before headers. */
  status: number
  headers: IncomingHttpHeaders
  /** Body bytes written. */
  bytes: number
  fault?: Fault['kind']
}

export interface FixtureProxyOptions {
  modules?: FixtureModule[]
  /** Serve HTTPS with this certificate. */
  tls?: { cert: string; key: string }
  /** Require Basic auth; 401 otherwise. */
  auth?: { user: string; pass: string }
  faults?: Fault[]
  /** URL path prefix, e.g. `/goproxy` (the proxy then lives at `<url>` = `http://127.0.0.1:port/goproxy`). */
  basePath?: string
  /** Host name used in `url` (the server always listens on 127.0.0.1). Default 127.0.0.1. */
  hostname?: string
  /** Filtering mirror: module requests outside `allow` get 403 (or 400) and a text/plain body (proxy-filter.ts). */
  filter?: ProxyFilter
}

export interface FixtureProxy {
  /** Base URL for GOPROXY, without a trailing slash and without credentials. */
  url: string
  /** `url` with `user:pass@` when auth is configured, else `url`. */
  authUrl: string
  host: string
  port: number
  log: LogEntry[]
  setFaults(faults: Fault[]): void
  addModules(modules: FixtureModule[]): void
  /** Number of `.zip` requests received (faulted ones included). */
  zipRequests(): number
  /** Body bytes written over all requests. */
  bytesServed(): number
  /** Destroys every socket (hung ones included) and stops listening. */
  close(): Promise<void>
}

/** go percent-encodes `!` (as %21); the log and routing use the decoded path. */
function percentDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

function authorized(req: IncomingMessage, auth: { user: string; pass: string }): boolean {
  const expected = 'Basic ' + Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')
  return req.headers.authorization === expected
}

/** Starts a GOPROXY on 127.0.0.1 (random port). */
export async function startFixtureProxy(opts: FixtureProxyOptions = {}): Promise<FixtureProxy> {
  const p = new ProxyServer(opts)
  await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve))
  const port = (p.server.address() as AddressInfo).port
  const host = opts.hostname ?? '127.0.0.1'
  const scheme = opts.tls ? 'https' : 'http'
  const creds = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : ''
  return {
    url: `${scheme}://${host}:${port}${p.basePath}`,
    authUrl: `${scheme}://${creds}${host}:${port}${p.basePath}`,
    host,
    port,
    log: p.log,
    setFaults: (f) => p.setFaults(f),
    addModules: (m) => p.addModules(m),
    zipRequests: () => p.log.filter((e) => e.path.endsWith('.zip')).length,
    bytesServed: () => p.log.reduce((n, e) => n + e.bytes, 0),
    close: () => p.close()
  }
}

class ProxyServer {
  readonly log: LogEntry[] = []
  readonly basePath: string
  readonly server: Server
  private readonly store = new Map<string, Map<string, Entry>>()
  private faults: Array<{ fault: Fault; left: number }> = []
  private readonly sockets = new Set<Socket>()
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(private readonly opts: FixtureProxyOptions) {
    this.basePath = (opts.basePath ?? '').replace(/\/+$/, '')
    this.addModules(opts.modules ?? [])
    this.setFaults(opts.faults ?? [])
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res)
    this.server = opts.tls
      ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler)
      : createHttpServer(handler)
    // Hung requests are the point of some faults: no server-side timeouts.
    this.server.requestTimeout = 0
    this.server.headersTimeout = 0
    this.server.timeout = 0
    this.server.keepAliveTimeout = 1000
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    this.server.on('tlsClientError', () => undefined)
  }

  addModules(mods: FixtureModule[]): void {
    for (const mod of mods) {
      if (!this.store.has(mod.path)) this.store.set(mod.path, new Map())
      this.store.get(mod.path)!.set(mod.version, { mod })
    }
  }

  setFaults(faults: Fault[]): void {
    this.faults = faults.map((fault) => ({ fault, left: fault.times ?? Infinity }))
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private pickFault(path: string): Fault | undefined {
    const decoded = path.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase())
    const hit = this.faults.find(({ fault, left }) => {
      if (left <= 0) return false
      const m = fault.match
      if (m === undefined) return true
      return typeof m === 'string' ? path.includes(m) || decoded.includes(m) : m.test(path) || m.test(decoded)
    })
    if (!hit) return undefined
    hit.left--
    return hit.fault
  }

  /** setTimeout that close() cancels. */
  private later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = (req.url ?? '/').split('?')[0]
    const entry: LogEntry = {
      method: req.method ?? 'GET',
      path: percentDecode(raw),
      raw,
      status: 0,
      headers: req.headers,
      bytes: 0
    }
    this.log.push(entry)
    const fault = this.pickFault(entry.path)
    if (fault) entry.fault = fault.kind
    if (fault?.kind === 'blackhole') return // the socket stays open until close()
    if (fault?.kind === 'delay') return this.later(fault.ms, () => this.serve(req, res, entry, undefined))
    this.serve(req, res, entry, fault)
  }

  private serve(req: IncomingMessage, res: ServerResponse, entry: LogEntry, fault: Fault | undefined): void {
    if (fault?.kind === 'status') {
      const body = Buffer.from(fault.body ?? `fixture fault: HTTP ${fault.status}\n`)
      return reply(res, entry, req.method, { status: fault.status, type: 'text/plain', body, headers: fault.headers })
    }
    if (this.opts.auth && !authorized(req, this.opts.auth)) {
      const r = text(401, 'unauthorized\n')
      return reply(res, entry, req.method, { ...r, headers: { 'WWW-Authenticate': 'Basic realm="fixture"' } })
    }
    const path = entry.path
    const base = this.basePath
    if (base && !(path === base || path.startsWith(base + '/'))) {
      return reply(res, entry, req.method, text(404, `not found: ${path}`))
    }
    const denied = refusal(this.opts.filter, path.slice(base.length))
    const r = denied ? text(denied.status, denied.body) : route(this.store, path.slice(base.length), req.headers.range)
    if (fault?.kind === 'reset' || fault?.kind === 'stall') return partial(res, entry, r, fault, this.later)
    reply(res, entry, req.method, r)
  }
}

function reply(res: ServerResponse, entry: LogEntry, method: string | undefined, r: Reply): void {
  entry.status = r.status
  res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Length': String(r.body.length), ...r.headers })
  if (method === 'HEAD') return void res.end()
  entry.bytes += r.body.length
  res.end(r.body)
}

/** Full headers, then part of the body, then a reset or silence: a body cut mid-way. */
function partial(
  res: ServerResponse,
  entry: LogEntry,
  r: Reply,
  fault: { kind: 'reset' | 'stall'; afterBytes?: number },
  later: (ms: number, fn: () => void) => void
): void {
  entry.status = r.status
  const cut = Math.max(0, Math.min(fault.afterBytes ?? Math.floor(r.body.length / 2), r.body.length - 1))
  res.writeHead(r.status, { 'Content-Type': r.type, 'Content-Length': String(r.body.length), ...r.headers })
  res.flushHeaders()
  entry.bytes += cut
  res.write(r.body.subarray(0, cut), () => {
    if (fault.kind === 'stall') return
    // A moment for the bytes to reach the client before the RST, so it sees a body cut mid-way.
    later(50, () => {
      const s = res.socket
      if (!s) return
      try {
        s.resetAndDestroy()
      } catch {
        s.destroy()
      }
    })
  })
}
