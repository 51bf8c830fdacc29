// The relay: an in-process module proxy on 127.0.0.1 that go uses as its GOPROXY. It serves only under a
// random path prefix, so another local process cannot borrow the upstreams' credentials through it, and
// forwards module and checksum-database requests to the user's upstreams (see relay/serve.ts): hedged
// across upstreams when one is silent or stalls, and answered only from a complete body.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import type { Dispatcher } from 'undici'
import { UpstreamPool, type RelayUpstreamStats } from './breaker.js'
import { createDispatcher } from '../net/dispatcher.js'
import { pathEscape, unescapePath, unescapeVersion } from '../lib/modpath.js'
import { redactUrl } from '../lib/redact.js'
import { parseUpstream } from './fetch.js'
import { followingRedirects } from './redirect.js'
import { fetchPath, serve, type ServeConfig } from './serve.js'
import { Prefetcher } from './prefetch.js'
import { immutablePath, Sharing } from './share.js'
import { SpoolStore } from './spool.js'
import type { ProxyEntry, ReadAhead } from '../types.js'

export interface RelayOptions {
  /** kind 'url' only, in preference order (preflight's healthy first). */
  upstreams: ProxyEntry[]
  /**
   * Retries per request, 0..10, shared by retries (sequential or hedged) and body resumes. A first attempt on
   * each upstream (failover, or a hedge onto one not tried yet) is free.
   */
  retries: number
  connectTimeoutMs?: number
  firstByteTimeoutMs?: number
  /** No body bytes for this long: the attempt failed (not a total deadline: zips can be large). */
  stallTimeoutMs?: number
  backoffBaseMs?: number
  /**
   * Floor of the hedge delay: a request whose running attempts made no progress (headers or body bytes) for
   * max(this, 4× the upstream's median first byte), capped at the stall timeout, is also sent to the next
   * upstream. Default 200: a spurious hedge costs a second download (the first complete body wins), while
   * every second of waiting on a silent proxy is a second of the user's job; the 4× median term keeps
   * distant proxies from being hedged on their ordinary latency.
   */
  hedgeDelayMs?: number
  /** Where bodies over 1 MiB are spooled until complete. Default: RUNNER_TEMP, else the OS temp dir. */
  spoolDir?: string
  /** Default: createDispatcher({ connectTimeoutMs }), closed with the relay. A given one is not closed. */
  dispatcher?: Dispatcher
  /**
   * Requests wait for this before choosing an upstream (e.g. preflight's first healthy verdict), so go can
   * start at once: with a warm module cache it asks nothing, and otherwise its first requests still go
   * healthy-first.
   */
  ready?: Promise<unknown>
  /** Where to listen: a loopback address (127.x.x.x) and port. Default 127.0.0.1 and a free port. */
  listen?: { host?: string; port?: number }
}

export interface Relay {
  /** http://127.0.0.1:PORT/<random prefix>: what go gets as GOPROXY. */
  url: string
  /**
   * Fetches these files ahead of go (relay/prefetch.ts): `<escaped module path>/@v/<escaped version>.mod|.zip`, as
   * go/needs.ts lists them. Anything that is not such a module file is ignored.
   */
  prefetch(paths: readonly string[]): void
  /** Preflight verdicts arriving late reorder upstreams (healthy, then unknown, then unhealthy; demoted ones behind). */
  setHealthy(upstreamUrl: string, healthy: boolean): void
  stats(): RelayUpstreamStats[]
  /** What was fetched ahead of go so far (see prefetch). */
  readAhead(): ReadAhead
  /** Every upstream tripped or unhealthy: retrying whole runs is pointless. */
  allDown(): boolean
  close(): Promise<void>
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  firstByteTimeoutMs: 30_000,
  stallTimeoutMs: 30_000,
  backoffBaseMs: 250,
  hedgeDelayMs: 200
}
const BACKOFF_CAP_MS = 8_000

// The go module proxy protocol, and the checksum database as a proxy relays it (cmd/go's modfetch/proxy.go and
// sumdb.go, x/mod's sumdb/client.go and tlog/tile.go). A request is percent-decoded segment by segment, must
// have one of these shapes with module paths and versions in go's escaped form (lib/modpath.ts), and is forwarded
// re-escaped as go escapes it; anything else never leaves the machine.

/** Decoded `/`-separated segments, or undefined for an encoded `/`, a control character or bad percent-encoding. */
function decodeSegments(path: string): string[] | undefined {
  const segs: string[] = []
  for (const raw of path.split('/')) {
    let seg: string
    try {
      seg = decodeURIComponent(raw)
    } catch {
      return undefined
    }
    if (seg.includes('/') || /[\x00-\x1f\x7f]/.test(seg)) return undefined
    segs.push(seg)
  }
  return segs
}

/** `<mod>/@v/list`, `<mod>/@v/<version>.info|.mod|.zip`, `<mod>/@latest`. */
function isModuleRequest(segs: string[]): boolean {
  const at = segs.findIndex((s) => s.startsWith('@'))
  if (at < 1 || unescapePath(segs.slice(0, at).join('/')) === undefined) return false
  const tail = segs.slice(at)
  if (tail.length === 1) return tail[0] === '@latest'
  if (tail.length !== 2 || tail[0] !== '@v') return false
  if (tail[1] === 'list') return true
  const m = /^(.+)\.(?:info|mod|zip)$/.exec(tail[1])
  return m !== null && unescapeVersion(m[1]) !== undefined
}

/** `tile/<H>/<L or data>/[x<NNN>/...]<NNN>[.p/<W>]` in tlog's canonical form. */
function isTile(t: string[]): boolean {
  if (t.length < 3 || !/^[1-9][0-9]?$/.test(t[0]) || Number(t[0]) > 30) return false
  if (t[1] !== 'data' && !/^(?:0|[1-9][0-9]{0,8})$/.test(t[1])) return false
  let n = t.slice(2)
  const partial = n.length >= 2 && n[n.length - 2].endsWith('.p')
  if (partial) {
    const w = n[n.length - 1]
    if (!/^[1-9][0-9]{0,9}$/.test(w) || Number(w) >= 2 ** Number(t[0])) return false
    n = [...n.slice(0, -2), n[n.length - 2].slice(0, -2)]
  }
  if (n.length > 1 && n[0] === 'x000') return false
  return n.every((s, i) => (i === n.length - 1 ? /^[0-9]{3}$/ : /^x[0-9]{3}$/).test(s))
}

/** `sumdb/<name>/supported`, `sumdb/<name>/lookup/<mod>@<version>`, `sumdb/<name>/tile/...`; name is host[:port][/path]. */
function isSumdbRequest(segs: string[]): boolean {
  const k = segs.findIndex((s, i) => i > 0 && (s === 'supported' || s === 'lookup' || s === 'tile'))
  if (k < 1 || !segs.slice(0, k).every((s) => /^[A-Za-z0-9._~:-]+$/.test(s))) return false
  const tail = segs.slice(k + 1)
  if (segs[k] === 'supported') return tail.length === 0
  if (segs[k] === 'tile') return isTile(tail)
  const lookup = tail.join('/')
  const at = lookup.indexOf('@')
  return (
    at > 0 && unescapePath(lookup.slice(0, at)) !== undefined && unescapeVersion(lookup.slice(at + 1)) !== undefined
  )
}

/**
 * A request path (after the relay's prefix) in the form go sends the upstream: the path go would have requested
 * from that upstream directly, or undefined when it is not a module proxy protocol request.
 */
export function protocolPath(path: string): string | undefined {
  const segs = decodeSegments(path)
  if (!segs || segs[0] !== '' || segs.length < 3) return undefined
  const rest = segs.slice(1)
  if (rest.some((s) => s === '' || s === '.' || s === '..')) return undefined
  const ok = rest[0] === 'sumdb' ? isSumdbRequest(rest.slice(1)) : isModuleRequest(rest)
  return ok ? '/' + rest.map(pathEscape).join('/') : undefined
}

/** The protocol path under our prefix, re-escaped, or undefined for anything else. */
function route(prefix: string, rawUrl: string): string | undefined {
  const path = rawUrl.split('?')[0]
  const given = Buffer.from(path.slice(1, 1 + prefix.length))
  const want = Buffer.from(prefix)
  if (given.length !== want.length || !timingSafeEqual(given, want) || path[prefix.length + 1] !== '/') return undefined
  return protocolPath(path.slice(prefix.length + 1))
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function validate(opts: RelayOptions): void {
  if (opts.upstreams.length === 0) throw new Error('relay: no upstream module proxy to relay to')
  const bad = opts.upstreams.find((u) => u.kind !== 'url')
  if (bad) throw new Error(`relay: upstreams must be proxy URLs, got the keyword "${bad.display}"`)
  if (!Number.isInteger(opts.retries) || opts.retries < 0 || opts.retries > 10) {
    throw new Error(`relay: retries must be an integer from 0 to 10, got ${opts.retries}`)
  }
}

export async function startRelay(opts: RelayOptions): Promise<Relay> {
  validate(opts)
  const listenHost = opts.listen?.host ?? '127.0.0.1'
  // Loopback only: the relay carries the upstreams' credentials.
  if (!/^127(\.\d{1,3}){3}$/.test(listenHost))
    throw new Error(`relay: listen address must be a 127.x.x.x loopback address, got "${listenHost}"`)
  const t = { ...DEFAULTS, ...definedOnly(opts) }
  const pool = new UpstreamPool(opts.upstreams.map((e) => ({ url: e.url, display: redactUrl(e.url) })))
  const own = opts.dispatcher === undefined
  const base = opts.dispatcher ?? createDispatcher({ connectTimeoutMs: t.connectTimeoutMs })
  // Proxies may redirect zips to storage: followed as go follows them (relay/redirect.ts).
  const dispatcher = followingRedirects(base)
  const closing = new AbortController()
  const spools = new SpoolStore(opts.spoolDir || process.env.RUNNER_TEMP || tmpdir())
  const cfg: ServeConfig = {
    pool,
    targets: new Map(pool.all.map((u) => [u, parseUpstream(u.url)])),
    dispatcher,
    retries: opts.retries,
    firstByteTimeoutMs: t.firstByteTimeoutMs,
    stallTimeoutMs: t.stallTimeoutMs,
    hedgeDelayMs: t.hedgeDelayMs,
    backoffBaseMs: t.backoffBaseMs,
    backoffCapMs: BACKOFF_CAP_MS,
    spools,
    sharing: new Sharing(),
    closing: closing.signal
  }
  const prefix = randomBytes(18).toString('base64url')
  const ready = opts.ready?.catch(() => undefined) ?? Promise.resolve()
  const server = createServer((req, res) => handle(cfg, prefix, ready, req, res))
  const prefetcher = new Prefetcher(cfg.sharing, (path, cancel) => fetchPath(cfg, path, undefined, cancel), ready)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.listen?.port ?? 0, listenHost, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${listenHost}:${port}/${prefix}`,
    prefetch: (paths) => prefetcher.add(paths.flatMap(prefetchable)),
    setHealthy: (url, healthy) => pool.setHealthy(url, healthy),
    stats: () => pool.stats(),
    readAhead: () => cfg.sharing.aheadReport(),
    allDown: () => pool.allDown(),
    close: async () => {
      prefetcher.stop()
      closing.abort(new Error('relay closed'))
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
      cfg.sharing.dropAhead()
      // Aborted lanes drop their spools themselves; this also removes the spool directory.
      await spools.close()
      if (own) await base.destroy()
    }
  }
}

/** A canonical version's module file (`<path>/@v/<version>.mod|.zip`, go-escaped, never percent-encoded), as a protocol path. */
function prefetchable(file: string): string[] {
  if (file.includes('%') || !/\.(?:mod|zip)$/.test(file)) return []
  const path = protocolPath(`/${file}`)
  return path && !path.startsWith('/sumdb/') && immutablePath(path) ? [path] : []
}

function definedOnly(opts: RelayOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {}
  for (const k of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
    if (typeof opts[k] === 'number') out[k] = opts[k]
  }
  return out
}

function handle(
  cfg: ServeConfig,
  prefix: string,
  ready: Promise<unknown>,
  req: IncomingMessage,
  res: ServerResponse
): void {
  const path = route(prefix, req.url ?? '/')
  if (path === undefined) return plain(res, 404, 'not found\n')
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET')
    return plain(res, 405, 'method not allowed\n')
  }
  ready
    .then(() => serve(cfg, path, req.headers['user-agent'], res))
    .catch(() => {
      // A bug, not a network fault: never leave go waiting or let it trust a half-written body.
      if (!res.headersSent) plain(res, 502, 'go-tidy-guard relay: internal error\n')
      else res.destroy()
    })
}
