// One upstream attempt of the relay: build the request (credentials for this upstream only, Range when
// resuming) and wait for headers under the first-byte timeout; the body (read under the stall timeout)
// is the caller's to spool (relay/lane.ts).
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { Dispatcher } from 'undici'
import { redact } from '../lib/redact.js'
import { basicAuth } from '../lib/url.js'
import { classifyError, classifyStatus, parseRetryAfter, type Answer, type Failure } from './policy.js'

/** Where an upstream lives: credentials are lifted out of the URL into a header for this origin only. */
export interface Target {
  origin: string
  /** The upstream's own path prefix, without a trailing slash ('' at the root). */
  basePath: string
  authorization?: string
}

export function parseUpstream(raw: string): Target {
  const u = new URL(raw)
  // netrc credentials arrive here in the URL too (see access/access.ts: withNetrc).
  return { origin: u.origin, basePath: u.pathname.replace(/\/+$/, ''), authorization: basicAuth(u) }
}

export interface AttemptOptions {
  dispatcher: Dispatcher
  firstByteTimeoutMs: number
  stallTimeoutMs: number
  signal: AbortSignal
  /** Resume: ask for the bytes from `start` on, only if the entity is still `ifRange` (ETag/Last-Modified). */
  range?: { start: number; ifRange?: string }
  userAgent?: string
}

export type AttemptResult =
  | { type: 'ok'; status: number; headers: IncomingHttpHeaders; body: Readable; ttfbMs: number }
  | { type: 'answer'; answer: Answer; ttfbMs: number }
  | { type: 'failure'; failure: Failure }

const ERROR_TEXT_CAP = 4096
// A Retry-After of minutes would stall go for minutes; other upstreams or the next run do better.
const RETRY_AFTER_CAP_MS = 10_000

export async function attempt(target: Target, path: string, opts: AttemptOptions): Promise<AttemptResult> {
  const started = performance.now()
  // identity: byte offsets for Range must be offsets of what we relay.
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    'user-agent': opts.userAgent || 'go-tidy-guard-relay'
  }
  if (target.authorization) headers.authorization = target.authorization
  if (opts.range) {
    headers.range = `bytes=${opts.range.start}-`
    if (opts.range.ifRange) headers['if-range'] = opts.range.ifRange
  }
  let res: Dispatcher.ResponseData
  try {
    res = await opts.dispatcher.request({
      origin: target.origin,
      path: target.basePath + path,
      method: 'GET',
      headers,
      headersTimeout: opts.firstByteTimeoutMs,
      bodyTimeout: opts.stallTimeoutMs,
      signal: opts.signal
    })
  } catch (err) {
    if (opts.signal.aborted) {
      const why = opts.signal.reason instanceof Error ? opts.signal.reason.message : 'aborted'
      return { type: 'failure', failure: { kind: 'first-byte-timeout', detail: `abandoned: ${why}` } }
    }
    const failure = classifyError(err)
    return { type: 'failure', failure: { ...failure, detail: redact(failure.detail) } }
  }
  const ttfbMs = performance.now() - started
  const status = res.statusCode
  const cls = classifyStatus(status)
  if (cls === 'ok' && status === 206 && !opts.range) {
    // A part we did not ask for cannot be relayed as the whole.
    discard(res.body)
    return { type: 'failure', failure: { kind: 'protocol', detail: 'HTTP 206 without a Range request' } }
  }
  if (cls === 'ok') return { type: 'ok', status, headers: res.headers, body: res.body, ttfbMs }
  const text = await readText(res.body, ERROR_TEXT_CAP)
  if (cls === 'transient') {
    const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'), RETRY_AFTER_CAP_MS)
    return { type: 'failure', failure: { kind: 'http', status, detail: `HTTP ${status}`, retryAfterMs } }
  }
  const contentType = header(res.headers, 'content-type')
  return { type: 'answer', answer: { status, contentType, text: redact(text) }, ttfbMs }
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** Reads at most `cap` bytes of a (small, error) body as text and drops the rest. */
async function readText(body: Readable, cap: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer)
      size += (chunk as Buffer).length
      if (size >= cap) break
    }
  } catch {
    // The status is what counts; a broken error body only loses its text.
  }
  discard(body)
  return Buffer.concat(chunks).subarray(0, cap).toString('utf8')
}

/** Drops a body we no longer want; undici reports the abort as an error event, which must not crash us. */
export function discard(body: Readable): void {
  body.on('error', () => {})
  body.destroy()
}
