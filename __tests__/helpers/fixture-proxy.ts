// A loopback GOPROXY-protocol server over fixture modules, with a request log and injectable network faults
// (the failure modes our users' proxies show): any status, accept-and-never-answer, reset or stall mid-body, delay.
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import { buildModuleZip, moduleGoMod, DEFAULT_MODULE_TIME, type FixtureModule } from './modzip.js'

interface FaultScope {
  /** Substring of, or RegExp tested on, the request path (escaped as sent, or decoded). Omitted: every request. */
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
  /** Request path as sent (escaped), query removed. */
  path: string
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

/** `example.com/!foo` -> `example.com/Foo`; null when the text is not a valid escaped path. */
export function unescapeModulePath(escaped: string): string | null {
  if (/[A-Z]/.test(escaped)) return null
  let bad = false
  const out = escaped.replace(/!(.?)/g, (_, c: string) => {
    if (!/[a-z]/.test(c)) bad = true
    return c.toUpperCase()
  })
  return bad ? null : out
}

/** `example.com/Foo` -> `example.com/!foo` (what go puts in proxy URLs). */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase())
}

type SemverParts = { nums: number[]; pre: string[] }
function parseSemver(v: string): SemverParts | null {
  const m = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v)
  return m ? { nums: [+m[1], +m[2], +m[3]], pre: m[4] ? m[4].split('.') : [] } : null
}

/** Semver order (prerelease rules included); unparsable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const x = parseSemver(a)
  const y = parseSemver(b)
  if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0)
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i]
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i]
    const q = y.pre[i]
    if (p === q) continue
    const pn = /^\d+$/.test(p)
    const qn = /^\d+$/.test(q)
    if (pn && qn) return Number(p) - Number(q)
    if (pn !== qn) return pn ? -1 : 1
    return p < q ? -1 : 1
  }
  return x.pre.length - y.pre.length
}

export const isPseudoVersion = (v: string): boolean => /-(?:0\.|\d+\.)?\d{14}-[0-9a-f]{12}(?:\+incompatible)?$/.test(v)

type Entry = { mod: FixtureModule; zip?: Buffer }
type Reply = { status: number; type: string; body: Buffer; headers?: Record<string, string> }

const text = (status: number, body: string): Reply => ({ status, type: 'text/plain; charset=utf-8', body: Buffer.from(body) })

function latestOf(entries: Entry[]): Entry | undefined {
  const sorted = [...entries].sort((a, b) => compareVersions(a.mod.version, b.mod.version))
  const release = sorted.filter((e) => !isPseudoVersion(e.mod.version) && parseSemver(e.mod.version)?.pre.length === 0)
  return release.at(-1) ?? sorted.filter((e) => !isPseudoVersion(e.mod.version)).at(-1) ?? sorted.at(-1)
}

function info(e: Entry): Reply {
  const body = JSON.stringify({ Version: e.mod.version, Time: e.mod.time ?? DEFAULT_MODULE_TIME })
  return { status: 200, type: 'application/json', body: Buffer.from(body) }
}

/** Answers one GOPROXY-protocol path (basePath already removed). */
function route(store: Map<string, Map<string, Entry>>, path: string, range: string | undefined): Reply {
  const m = /^\/(.+?)\/(@latest|@v\/list|@v\/(.+)\.(info|mod|zip))$/.exec(path)
  if (!m) return text(404, `not found: ${path}`)
  const modPath = unescapeModulePath(m[1])
  const versions = modPath === null ? undefined : store.get(modPath)
  if (!versions || versions.size === 0) return text(404, `not found: module ${modPath ?? m[1]}: no such module`)
  if (m[2] === '@v/list') {
    const list = [...versions.keys()].filter((v) => !isPseudoVersion(v)).sort(compareVersions)
    return text(200, list.map((v) => v + '\n').join(''))
  }
  if (m[2] === '@latest') return info(latestOf([...versions.values()])!)
  const version = unescapeModulePath(m[3])
  const e = version === null ? undefined : versions.get(version)
  if (!e) return text(404, `not found: ${modPath}@${version ?? m[3]}: invalid version: unknown revision ${version ?? m[3]}`)
  if (m[4] === 'info') return info(e)
  if (m[4] === 'mod') return text(200, moduleGoMod(e.mod))
  e.zip ??= buildModuleZip(e.mod)
  return zipReply(e.zip, range)
}

function zipReply(zip: Buffer, range: string | undefined): Reply {
  const base = { type: 'application/zip', headers: { 'Accept-Ranges': 'bytes' } }
  const r = range ? /^bytes=(\d+)-(\d*)$/.exec(range.trim()) : null
  if (!r) return { ...base, status: 200, body: zip }
  const start = Number(r[1])
  const end = r[2] ? Math.min(Number(r[2]), zip.length - 1) : zip.length - 1
  if (start >= zip.length || end < start) {
    return { ...base, status: 416, body: Buffer.alloc(0), headers: { 'Content-Range': `bytes */${zip.length}` } }
  }
  return {
    ...base,
    status: 206,
    body: zip.subarray(start, end + 1),
    headers: { ...base.headers, 'Content-Range': `bytes ${start}-${end}/${zip.length}` }
  }
}

function authorized(req: IncomingMessage, auth: { user: string; pass: string }): boolean {
  const expected = 'Basic ' + Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')
  return req.headers.authorization === expected
}

/** Starts a GOPROXY on 127.0.0.1 (random port). */
export async function startFixtureProxy(opts: FixtureProxyOptions = {}): Promise<FixtureProxy> {
  const store = new Map<string, Map<string, Entry>>()
  const addModules = (mods: FixtureModule[]): void => {
    for (const mod of mods) {
      if (!store.has(mod.path)) store.set(mod.path, new Map())
      store.get(mod.path)!.set(mod.version, { mod })
    }
  }
  addModules(opts.modules ?? [])
  let faults: Array<{ fault: Fault; left: number }> = []
  const setFaults = (f: Fault[]): void => {
    faults = f.map((fault) => ({ fault, left: fault.times ?? Infinity }))
  }
  setFaults(opts.faults ?? [])
  const log: LogEntry[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const basePath = (opts.basePath ?? '').replace(/\/+$/, '')

  const pickFault = (path: string): Fault | undefined => {
    let decoded = path
    try {
      decoded = decodeURIComponent(path.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase()))
    } catch {
      // keep the raw path
    }
    const hit = faults.find(({ fault, left }) => {
      if (left <= 0) return false
      const m = fault.match
      if (m === undefined) return true
      return typeof m === 'string' ? path.includes(m) || decoded.includes(m) : m.test(path) || m.test(decoded)
    })
    if (!hit) return undefined
    hit.left--
    return hit.fault
  }

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  const serve = (req: IncomingMessage, res: ServerResponse, entry: LogEntry, fault: Fault | undefined): void => {
    if (fault?.kind === 'status') {
      const body = Buffer.from(fault.body ?? `fixture fault: HTTP ${fault.status}\n`)
      return reply(res, entry, req.method, { status: fault.status, type: 'text/plain', body, headers: fault.headers })
    }
    if (opts.auth && !authorized(req, opts.auth)) {
      const r = text(401, 'unauthorized\n')
      return reply(res, entry, req.method, { ...r, headers: { 'WWW-Authenticate': 'Basic realm="fixture"' } })
    }
    let path = entry.path
    if (basePath && !(path === basePath || path.startsWith(basePath + '/'))) {
      return reply(res, entry, req.method, text(404, `not found: ${path}`))
    }
    path = path.slice(basePath.length)
    try {
      path = decodeURIComponent(path)
    } catch {
      return reply(res, entry, req.method, text(404, `not found: ${path}`))
    }
    const r = route(store, path, req.headers.range)
    if (fault?.kind === 'reset' || fault?.kind === 'stall') return partial(res, entry, r, fault, later)
    reply(res, entry, req.method, r)
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const entry: LogEntry = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0], status: 0, headers: req.headers, bytes: 0 }
    log.push(entry)
    const fault = pickFault(entry.path)
    if (fault) entry.fault = fault.kind
    if (fault?.kind === 'blackhole') return // the socket stays open until close()
    if (fault?.kind === 'delay') return later(fault.ms, () => serve(req, res, entry, undefined))
    serve(req, res, entry, fault)
  }

  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttpServer(handler)
  // Hung requests are the point of some faults: no server-side timeouts.
  server.requestTimeout = 0
  server.headersTimeout = 0
  server.timeout = 0
  server.keepAliveTimeout = 1000
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const host = opts.hostname ?? '127.0.0.1'
  const scheme = opts.tls ? 'https' : 'http'
  const url = `${scheme}://${host}:${port}${basePath}`
  const creds = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : ''
  return {
    url,
    authUrl: `${scheme}://${creds}${host}:${port}${basePath}`,
    host,
    port,
    log,
    setFaults,
    addModules,
    zipRequests: () => log.filter((e) => e.path.endsWith('.zip')).length,
    bytesServed: () => log.reduce((n, e) => n + e.bytes, 0),
    close: async () => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
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

export interface Blackhole {
  url: string
  host: string
  port: number
  /** Connections accepted so far. */
  connections(): number
  close(): Promise<void>
}

/** A TCP server that accepts connections and never answers (a firewall that swallows traffic). */
export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>()
  let count = 0
  const server = createNetServer((s) => {
    count++
    sockets.add(s)
    s.on('error', () => undefined)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** `http://127.0.0.1:<port>` where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
