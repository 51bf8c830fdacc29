// A loopback emulation of GitHub's Actions cache service (v2), as @actions/cache v6 talks to it when
// ACTIONS_CACHE_SERVICE_V2, ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN are set: the Twirp JSON methods of
// github.actions.results.api.v1.CacheService, plus the Azure-Blob-style signed URLs it hands out, which point
// back at this server (single PUT, staged blocks + block list, GET with ranges, HEAD). A request log and
// injectable faults let tests drive every failure path the action must survive.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

const SERVICE = 'github.actions.results.api.v1.CacheService'

export type CacheTarget =
  'GetCacheEntryDownloadURL' | 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'BlobPut' | 'BlobGet'

export type CacheFault = { target: CacheTarget; /** Then heal; omitted: forever. */ times?: number } &
  /** Answer with this status (Twirp methods get a Twirp JSON error body unless `body` is given). */
  (
    | { kind: 'status'; status: number; body?: string }
    /** Twirp methods only: HTTP 200 with `{ ok: false, message }` (e.g. a finalize the service refuses). */
    | { kind: 'not-ok'; message?: string }
    /** Read the request, never answer, never close. */
    | { kind: 'hang' }
    /** Destroy the connection without an answer. */
    | { kind: 'reset' }
    /** BlobGet only: the stored archive with its second half zeroed (complete length, broken content). */
    | { kind: 'corrupt' }
    /** GET answers: the headers and the first half of the body, then nothing until `releaseStalled()`. */
    | { kind: 'stall-body' }
  )

export interface CacheLogEntry {
  target: CacheTarget | 'unknown'
  method: string
  /** Path without the query (signatures never reach the log). */
  path: string
  status: number
  /** Request body bytes received. */
  received: number
  /** Response body bytes sent. */
  sent: number
  fault?: CacheFault['kind']
  /** Twirp request body, parsed. */
  request?: Record<string, unknown>
}

export interface CacheEntryInfo {
  id: number
  key: string
  version: string
  finalized: boolean
  size: number
}

interface Entry {
  id: number
  key: string
  version: string
  finalized: boolean
  data?: Buffer
  blocks: Map<string, Buffer>
  readSig: string
  writeSig: string
}

export interface CacheService {
  /** ACTIONS_RESULTS_URL (with trailing slash). */
  url: string
  token: string
  log: CacheLogEntry[]
  /** The variables the runner sets for a step that may use the cache (service v2, not GHES). */
  env(): Record<string, string>
  entries(): CacheEntryInfo[]
  /** The stored archive of an entry (finalized or not). */
  blob(key: string): Buffer | undefined
  setFaults(faults: CacheFault[]): void
  /** Sends the rest of every body a `stall-body` fault held back (on connections still open). */
  releaseStalled(): void
  /** Removes every entry (a fresh repository). */
  clear(): void
  /** Destroys every socket (hung ones included) and stops listening. */
  close(): Promise<void>
}

export async function startCacheService(opts: { token?: string } = {}): Promise<CacheService> {
  const emulator = new Emulator(opts.token ?? 'gtg-runtime-' + randomBytes(8).toString('hex'))
  await emulator.listen()
  return emulator
}

type Send = (status: number, data: Buffer | string, headers?: Record<string, string>) => void
type TwirpReply = { status: number; body: unknown }

const json = { 'content-type': 'application/json' }
const TWIRP_PATH = new RegExp(`^/twirp/${SERVICE.replace(/\./g, '\\.')}/(\\w+)$`)
const BLOB_PATH = /^\/blob\/[^/]+\/[^/]+\/(\d+)$/

class Emulator implements CacheService {
  url = ''
  readonly log: CacheLogEntry[] = []
  private readonly store: Entry[] = []
  private faults: CacheFault[] = []
  private nextId = 1
  private readonly sockets = new Set<Socket>()
  private stalled: Array<() => void> = []
  private readonly server: Server

  constructor(readonly token: string) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(e))
      })
    })
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`
  }

  env(): Record<string, string> {
    return {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: this.url,
      ACTIONS_RUNTIME_TOKEN: this.token,
      // @actions/cache falls back to service v1 on GHES, which it detects from a server URL that is neither
      // github.com, *.ghe.com nor *.localhost.
      GITHUB_SERVER_URL: 'https://github.localhost'
    }
  }

  entries(): CacheEntryInfo[] {
    return this.store.map((e) => ({
      id: e.id,
      key: e.key,
      version: e.version,
      finalized: e.finalized,
      size: e.data?.length ?? 0
    }))
  }

  blob(key: string): Buffer | undefined {
    return this.store.find((e) => e.key === key)?.data
  }

  setFaults(f: CacheFault[]): void {
    this.faults = f.map((x) => ({ ...x }))
  }

  releaseStalled(): void {
    for (const finish of this.stalled.splice(0)) finish()
  }

  clear(): void {
    this.store.splice(0)
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private takeFault(target: CacheTarget): CacheFault | undefined {
    const f = this.faults.find((x) => x.target === target && (x.times === undefined || x.times > 0))
    if (f && f.times !== undefined) f.times--
    return f
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url)
    const entry: CacheLogEntry = {
      target: 'unknown',
      method: req.method ?? '',
      path: url.pathname,
      status: 0,
      received: 0,
      sent: 0
    }
    this.log.push(entry)
    const body = await readBody(req)
    entry.received = body.length
    const twirpMatch = TWIRP_PATH.exec(url.pathname)
    const blobMatch = BLOB_PATH.exec(url.pathname)
    if (twirpMatch) entry.target = twirpMatch[1] as CacheTarget
    else if (blobMatch) entry.target = req.method === 'PUT' ? 'BlobPut' : 'BlobGet'
    const fault = entry.target === 'unknown' ? undefined : this.takeFault(entry.target)
    if (fault) entry.fault = fault.kind
    if (fault?.kind === 'hang') return
    if (fault?.kind === 'reset') return void req.socket.destroy()
    const send: Send = (status, data, headers = {}) => {
      const buf = typeof data === 'string' ? Buffer.from(data) : data
      entry.status = status
      entry.sent = req.method === 'HEAD' ? 0 : buf.length
      res.writeHead(status, { 'content-length': String(buf.length), 'x-ms-request-id': sig(), ...headers })
      if (fault?.kind === 'stall-body' && req.method === 'GET' && buf.length > 1) {
        res.write(buf.subarray(0, buf.length >> 1))
        return void this.stalled.push(() => res.destroyed || res.end(buf.subarray(buf.length >> 1)))
      }
      res.end(req.method === 'HEAD' ? undefined : buf)
    }
    if (twirpMatch) return this.twirpRequest(twirpMatch[1], req, body, entry, fault, send)
    if (!blobMatch) return send(404, 'not found')
    if (fault?.kind === 'status') return send(fault.status, fault.body ?? azureError('InternalError', 'injected'), xml)
    blobRequest(
      this.store,
      Number(blobMatch[1]),
      req.method ?? '',
      url,
      req.headers,
      body,
      send,
      fault?.kind === 'corrupt'
    )
  }

  private twirpRequest(
    method: string,
    req: IncomingMessage,
    body: Buffer,
    entry: CacheLogEntry,
    fault: CacheFault | undefined,
    send: Send
  ): void {
    let parsed: Record<string, unknown>
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>
    } catch {
      return send(400, JSON.stringify({ code: 'malformed', msg: 'body is not JSON' }), json)
    }
    entry.request = parsed
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return send(401, JSON.stringify({ code: 'unauthenticated', msg: 'bad runtime token' }), json)
    }
    if (fault?.kind === 'status') {
      return send(
        fault.status,
        fault.body ?? JSON.stringify({ code: 'internal', msg: `injected ${fault.status}` }),
        json
      )
    }
    if (fault?.kind === 'not-ok')
      return send(200, JSON.stringify({ ok: false, message: fault.message ?? 'injected refusal' }), json)
    const out = this.twirp(method, parsed)
    send(out.status, JSON.stringify(out.body), json)
  }

  private twirp(method: string, req: Record<string, unknown>): TwirpReply {
    const key = String(req.key ?? '')
    const version = String(req.version ?? '')
    if (method === 'GetCacheEntryDownloadURL') {
      const e = lookup(this.store, [key, ...((req.restore_keys as string[] | undefined) ?? [])], version)
      if (!e) return { status: 200, body: { ok: false } }
      return { status: 200, body: { ok: true, signed_download_url: blobUrl(this.url, e, 'r'), matched_key: e.key } }
    }
    if (method === 'CreateCacheEntry') {
      if (this.store.some((e) => e.key === key && e.version === version)) {
        return {
          status: 409,
          body: { code: 'already_exists', msg: 'cache entry with the same key, version, and scope already exists' }
        }
      }
      const e: Entry = {
        id: this.nextId++,
        key,
        version,
        finalized: false,
        blocks: new Map(),
        readSig: sig(),
        writeSig: sig()
      }
      this.store.push(e)
      return { status: 200, body: { ok: true, signed_upload_url: blobUrl(this.url, e, 'w') } }
    }
    if (method === 'FinalizeCacheEntryUpload') return this.finalize(key, version, String(req.size_bytes))
    return { status: 404, body: { code: 'bad_route', msg: `no handler for ${method}` } }
  }

  private finalize(key: string, version: string, size: string): TwirpReply {
    const e = this.store.find((x) => x.key === key && x.version === version && !x.finalized)
    if (!e) return { status: 404, body: { code: 'not_found', msg: 'no pending cache entry for this key and version' } }
    if (!e.data || String(e.data.length) !== size) {
      return {
        status: 200,
        body: { ok: false, message: `uploaded size ${e.data?.length ?? 0} does not match ${size}` }
      }
    }
    e.finalized = true
    return { status: 200, body: { ok: true, entry_id: String(e.id) } }
  }
}

const xml = { 'content-type': 'application/xml' }

function sig(): string {
  return randomBytes(12).toString('hex')
}

function blobUrl(base: string, e: Entry, perm: 'r' | 'w'): string {
  // Path style (account/container/blob), as Azure's SDK expects for an IP host.
  return `${base}blob/gtgaccount/actions-cache/${e.id}?sv=2024-08-04&sp=${perm}&se=2099-01-01T00%3A00%3A00Z&sig=${perm === 'r' ? e.readSig : e.writeSig}`
}

/** Exact key first, then prefix matches (newest first), for the primary key and then each restore key. */
function lookup(store: Entry[], keys: string[], version: string): Entry | undefined {
  const live = store.filter((e) => e.finalized && e.version === version)
  for (const k of keys) {
    const exact = live.filter((e) => e.key === k).at(-1)
    if (exact) return exact
    const prefix = live.filter((e) => e.key.startsWith(k)).at(-1)
    if (prefix) return prefix
  }
  return undefined
}

function azureError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`
}

function blobRequest(
  store: Entry[],
  id: number,
  method: string,
  url: URL,
  headers: IncomingMessage['headers'],
  body: Buffer,
  send: Send,
  corrupt = false
): void {
  const e = store.find((x) => x.id === id)
  const isWrite = method === 'PUT'
  if (!e || url.searchParams.get('sig') !== (isWrite ? e.writeSig : e.readSig)) {
    return send(403, azureError('AuthenticationFailed', 'signature mismatch'), xml)
  }
  const common = {
    etag: `"0x${e.id.toString(16)}${(e.data?.length ?? 0).toString(16)}"`,
    'last-modified': new Date().toUTCString(),
    'x-ms-version': '2024-08-04'
  }
  if (isWrite) {
    if (e.finalized) return send(409, azureError('BlobImmutable', 'entry already finalized'), xml)
    const comp = url.searchParams.get('comp')
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid')
      if (!blockId) return send(400, azureError('InvalidQueryParameterValue', 'blockid missing'), xml)
      e.blocks.set(blockId, body)
      return send(201, '', { ...common, 'x-ms-request-server-encrypted': 'true' })
    }
    if (comp === 'blocklist') {
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1])
      const parts = ids.map((b) => e.blocks.get(b))
      if (parts.some((p) => p === undefined)) return send(400, azureError('InvalidBlockList', 'unknown block id'), xml)
      e.data = Buffer.concat(parts as Buffer[])
      e.blocks.clear()
      return send(201, '', common)
    }
    if (comp) return send(400, azureError('UnsupportedQueryParameter', `comp=${comp}`), xml)
    if (headers['x-ms-blob-type'] !== 'BlockBlob')
      return send(400, azureError('MissingRequiredHeader', 'x-ms-blob-type'), xml)
    e.data = body
    return send(201, '', { ...common, 'x-ms-request-server-encrypted': 'true' })
  }
  if (method !== 'GET' && method !== 'HEAD') return send(405, azureError('UnsupportedHttpVerb', method), xml)
  if (!e.data) return send(404, azureError('BlobNotFound', 'no data uploaded'), xml)
  const data = corrupt
    ? Buffer.concat([e.data.subarray(0, e.data.length >> 1), Buffer.alloc(e.data.length - (e.data.length >> 1))])
    : e.data
  const blobHeaders = {
    ...common,
    'content-type': 'application/octet-stream',
    'x-ms-blob-type': 'BlockBlob',
    'accept-ranges': 'bytes'
  }
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(headers['x-ms-range'] ?? headers.range ?? ''))
  if (!range) return send(200, data, blobHeaders)
  const start = Number(range[1])
  const end = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1)
  if (start >= data.length || end < start) return send(416, azureError('InvalidRange', 'range not satisfiable'), xml)
  send(206, data.subarray(start, end + 1), { ...blobHeaders, 'content-range': `bytes ${start}-${end}/${data.length}` })
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
