// The relay's retry policy, kept pure so it can be tested without sockets: which failures are worth
// another attempt, how long to wait, which upstream to try next, and what to tell go at the end.
import { errorMessage } from '../lib/errors.js'

/** Why one upstream attempt failed. `http` carries the status of a 429/5xx answer. */
export type FailureKind =
  | 'dns'
  | 'connect'
  | 'connect-timeout'
  | 'reset'
  | 'first-byte-timeout'
  | 'stall'
  | 'tls'
  | 'protocol'
  | 'http'
  | 'resume'
  | 'other'

export interface Failure {
  kind: FailureKind
  /** Short, redacted, human text for the 502 body and the summary. */
  detail: string
  status?: number
  /** From a Retry-After header on 429/503. */
  retryAfterMs?: number
}

/** A definitive HTTP answer that is not a success: go must see it (404/410) or it ends the retrying (other 4xx). */
export interface Answer {
  status: number
  contentType?: string
  text: string
}

export type StatusClass = 'ok' | 'not-found' | 'denied' | 'rejected' | 'transient'

/** 404/410 are go's "not found" (its `,` fallback); 401/403 are auth; other 4xx are permanent; 429 and 5xx may pass. */
export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return 'ok'
  if (status === 404 || status === 410) return 'not-found'
  if (status === 401 || status === 403) return 'denied'
  if (status === 429 || status === 408) return 'transient'
  // 501 and 505 say the server will never do this, however often we ask.
  if (status >= 500 && status !== 501 && status !== 505) return 'transient'
  return 'rejected'
}

const CODE_KINDS: Record<string, FailureKind> = {
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  ECONNREFUSED: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  EADDRNOTAVAIL: 'connect',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  ETIMEDOUT: 'connect-timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  UND_ERR_HEADERS_TIMEOUT: 'first-byte-timeout',
  UND_ERR_BODY_TIMEOUT: 'stall',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'reset',
  ERR_STREAM_PREMATURE_CLOSE: 'reset',
  UND_ERR_INFO: 'protocol'
}

function errorCode(err: unknown): string | undefined {
  // undici wraps the socket error of a failed connect in `cause`; the inner code is the telling one.
  let e: unknown = err
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR' && code !== 'UND_ERR_ABORTED') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** Maps a thrown network error (node, undici) to a failure kind. `detail` is the caller's job to redact. */
export function classifyError(err: unknown): Failure {
  const code = errorCode(err)
  const message = errorMessage(err)
  if (code && CODE_KINDS[code]) return { kind: CODE_KINDS[code], detail: `${code}: ${message}` }
  if (code && /^HPE_/.test(code)) return { kind: 'protocol', detail: `${code}: ${message}` }
  if (code && (/CERT|SSL|TLS/.test(code) || /certificate/i.test(message)))
    return { kind: 'tls', detail: `${code}: ${message}` }
  return { kind: 'other', detail: code ? `${code}: ${message}` : message }
}

/** Transient failures may succeed on another attempt; DNS "no such host", TLS trust and the like never do. */
export function isTransient(f: Failure): boolean {
  switch (f.kind) {
    case 'dns':
      return /EAI_AGAIN/.test(f.detail)
    case 'tls':
    case 'other':
    case 'resume':
      return false
    case 'http':
      return f.status !== undefined && classifyStatus(f.status) === 'transient'
    default:
      return true
  }
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^retry)). `retry` counts from 0. */
export function backoffMs(retry: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(retry, 30))
  return Math.floor(random() * ceiling)
}

/**
 * Failures that took a timeout to show (silence before headers, a connect that never completed, a body that
 * stalled): the upstream may be overloaded, so these back off exponentially. Every other transient failure (an
 * HTTP 429/5xx, a reset, a refused connection) showed at once and costs the upstream nothing to retry.
 */
export function isSlowFailure(f: Failure): boolean {
  return f.kind === 'first-byte-timeout' || f.kind === 'connect-timeout' || f.kind === 'stall'
}

/**
 * A fast failure retried on the upstream that just failed waits a jitter, so retries do not march in step: uniform
 * between half and all of a ceiling of a few of that upstream's round trips (FAST_RETRY_ROUND_TRIPS times its
 * median time to first byte), the ceiling kept within these bounds. A nearby proxy is asked again within
 * milliseconds; one whose latency is not known yet gets the maximum ceiling.
 */
export const FAST_RETRY_MS = { min: 2, max: 50 } as const
export const FAST_RETRY_ROUND_TRIPS = 2

export interface RetryWait {
  /** The chosen upstream's own last failure in this request (undefined: it has not failed yet). */
  failure?: Failure
  /** The chosen upstream is the one that failed last; a fast failure is retried elsewhere at once. */
  sameUpstream: boolean
  /** Slow failures this request has already retried: the backoff's exponent. */
  slowRetries: number
  baseMs: number
  capMs: number
  /** The chosen upstream's median time to first byte, ms (0: not known yet). */
  latencyMs?: number
}

/** The jitter before a fast failure's retry on the same upstream (see FAST_RETRY_MS). */
export function fastRetryJitterMs(latencyMs: number, random: () => number = Math.random): number {
  const { min, max } = FAST_RETRY_MS
  const ceiling = latencyMs > 0 ? Math.min(max, Math.max(min, FAST_RETRY_ROUND_TRIPS * latencyMs)) : max
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * The wait before a retry: none when a fast failure moves to another upstream, a short jitter when it hits the
 * same one again, exponential backoff after a slow failure; never less than the upstream's Retry-After (the
 * caller caps that, see relay/fetch.ts).
 */
export function retryWaitMs(w: RetryWait, random: () => number = Math.random): number {
  const f = w.failure
  const retryAfter = f?.retryAfterMs ?? 0
  if (f && isSlowFailure(f)) return Math.max(backoffMs(w.slowRetries, w.baseMs, w.capMs, random), retryAfter)
  const jitter = w.sameUpstream ? fastRetryJitterMs(w.latencyMs ?? 0, random) : 0
  return Math.max(jitter, retryAfter)
}

/**
 * One request's retries: the configured count, and beyond it a time window for failures that were bad luck.
 * A retry past the count is allowed only while the request is younger than `windowMs`, at most `extraCap` times,
 * and only onto an upstream that delivered other requests since this one began (`lucky`): a flaky but working
 * proxy then costs a few fast retries instead of a failed request (and a restarted module), while an upstream
 * that delivers nothing still fails within the count (and its breaker).
 */
export class RetryBudget {
  private extra = 0

  constructor(
    private tries: number,
    private readonly started: number,
    private readonly opts: { windowMs: number; extraCap: number } = RETRY_WINDOW
  ) {}

  /** Whether a retry may start now (nothing is spent). */
  allows(now: number, lucky: boolean): boolean {
    if (this.tries > 0) return true
    return lucky && this.extra < this.opts.extraCap && now - this.started < this.opts.windowMs
  }

  /** Spends one retry; false when none is allowed. */
  spend(now: number, lucky: boolean): boolean {
    if (!this.allows(now, lucky)) return false
    if (this.tries > 0) this.tries--
    else this.extra++
    return true
  }
}

/** Default window of RetryBudget: at one failure in three, twelve more straight failures are a 1-in-500,000 event. */
export const RETRY_WINDOW = { windowMs: 15_000, extraCap: 12 } as const

/** Retry-After in ms (seconds or an HTTP date), capped; undefined when absent or unparsable. */
export function parseRetryAfter(
  value: string | undefined,
  capMs: number,
  now: number = Date.now()
): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  let ms: number
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000
  else {
    const at = Date.parse(trimmed)
    if (Number.isNaN(at)) return undefined
    ms = at - now
  }
  return Math.max(0, Math.min(capMs, ms))
}

/** What one request has seen from one upstream so far. */
export interface TryState {
  attempts: number
  /** False once the upstream gave a definitive answer or a permanent failure. */
  retryable: boolean
}

/**
 * Picks the next upstream for a request. Every upstream in `order` gets a first attempt without spending
 * the retry budget (that is failover); after that, a retry goes to the retryable upstream tried least,
 * preferring earlier ones, so retries alternate between mirrors instead of hammering the first.
 */
export function planNext<U>(
  order: readonly U[],
  tries: ReadonlyMap<U, TryState>,
  retriesLeft: number
): { upstream: U; retry: boolean } | undefined {
  for (const u of order) if (!tries.has(u)) return { upstream: u, retry: false }
  if (retriesLeft <= 0) return undefined
  let best: U | undefined
  let bestAttempts = Infinity
  for (const u of order) {
    const t = tries.get(u)
    if (t && t.retryable && t.attempts < bestAttempts) {
      best = u
      bestAttempts = t.attempts
    }
  }
  return best === undefined ? undefined : { upstream: best, retry: true }
}

export type Outcome = { type: 'answer'; answer: Answer } | { type: 'failure'; failure: Failure }

export interface Reply {
  status: number
  contentType: string
  text: string
}

/** One upstream's part in a request that nothing delivered. */
export interface Verdict {
  display: string
  /** What it said this time; absent when it was out of service before we asked. */
  outcome?: Outcome
  /** Out of service for the rest of the run (circuit breaker). */
  tripped: boolean
}

/**
 * The answer go gets when no upstream delivered. Only upstreams still in service count (a tripped one is
 * out of the run). 404/410 only when all of them said not found, so go's `,` fallback keeps its meaning;
 * an auth refusal passes through when all refused definitively; anything else is a 502 naming each upstream.
 */
export function finalReply(path: string, verdicts: readonly Verdict[]): Reply {
  const counted = verdicts.filter((v) => !v.tripped && v.outcome)
  const answers = counted.flatMap((v) => (v.outcome?.type === 'answer' ? [v.outcome.answer] : []))
  if (counted.length > 0 && answers.length === counted.length) {
    const pick =
      answers.find((a) => classifyStatus(a.status) === 'denied') ??
      answers.find((a) => classifyStatus(a.status) !== 'not-found') ??
      answers[0]
    return { status: pick.status, contentType: pick.contentType ?? 'text/plain; charset=utf-8', text: pick.text }
  }
  const lines = verdicts.map(({ display, outcome, tripped }) => {
    const what = !outcome
      ? 'not tried'
      : outcome.type === 'answer'
        ? `HTTP ${outcome.answer.status}`
        : outcome.failure.detail
    return `${display}: ${what}${tripped ? ' (circuit open: no longer used)' : ''}`
  })
  return {
    status: 502,
    contentType: 'text/plain; charset=utf-8',
    text: `go-tidy-guard relay: ${path} failed on every upstream: ${lines.join('; ')}\n`
  }
}
