// One lane of a relayed request: everything one upstream does for it. The attempt (breaker and counters kept
// up to date), its body spooled until complete, and a body that breaks resumed with Range on the SAME
// upstream into the same spool (never another upstream's bytes: see relay/spool.ts). Several lanes may run at
// once when a request is hedged (relay/race.ts): on several upstreams, or two on the only one left, each
// spooling its own complete body.
import type { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Upstream } from './breaker.js'
import { redact } from '../lib/redact.js'
import { attempt, discard, header, type AttemptResult } from './fetch.js'
import { retryDelayMs, spendRetry, type RequestState } from './request.js'
import { SpoolTooLarge, type Spool } from './spool.js'
import { classifyError, type Answer, type Failure } from './policy.js'
import { errorMessage } from '../lib/errors.js'

export type LaneResult =
  | { type: 'ok'; status: number; contentType?: string; spool: Spool }
  | { type: 'answer'; answer: Answer }
  | { type: 'failure'; failure: Failure }

type Ok = Extract<AttemptResult, { type: 'ok' }>
interface BodyMeta {
  status: number
  contentType?: string
  total?: number
  /** Validator for If-Range: a weak ETag may not guard byte ranges (RFC 9110); Last-Modified is the fallback. */
  ifRange?: string
  ranges: boolean
}

/**
 * Floor of the delay before a second attempt on the same upstream (see Lane.sameHedgeDelayMs): a few scheduling
 * hiccups, so a busy machine does not double its requests.
 */
export const SAME_HEDGE_FLOOR_MS = 8

export class Lane {
  readonly done: Promise<LaneResult>
  /** Last headers or body bytes (or the lane's start). */
  lastProgress = performance.now()
  /** When its current request to the upstream was sent (undefined while it waits before one). */
  private sentAt: number | undefined
  /** Its idleness started a hedge: if the hedge wins, this upstream is demoted. */
  stuck = false
  /** Headers arrived: if it goes idle now, its body stalled mid-way (not a silent upstream). */
  answered = false
  private readonly abort = new AbortController()
  readonly signal: AbortSignal

  constructor(
    readonly req: RequestState,
    readonly up: Upstream,
    readonly opts: { retry: boolean; hedge: boolean; delayMs: number }
  ) {
    this.signal = AbortSignal.any([this.abort.signal, req.cancelled, req.cfg.closing])
    if (opts.retry) up.counts.retries++
    if (opts.hedge) up.counts.hedges++
    // Never rejects: a bug in one lane must not leave the others' spools behind.
    this.done = this.run().catch((err: unknown): LaneResult => {
      const detail = redact(errorMessage(err))
      return { type: 'failure', failure: { kind: 'other', detail } }
    })
  }

  /** No progress for this long makes the request worth hedging: 4× the upstream's usual first byte, ≥ the floor. */
  get hedgeDelayMs(): number {
    const { hedgeDelayMs, stallTimeoutMs } = this.req.cfg
    return Math.min(stallTimeoutMs, Math.max(hedgeDelayMs, 4 * this.up.medianTtfb()))
  }

  /**
   * No progress for this long on a request sent to an upstream that has answered before: a second attempt on the
   * same upstream (relay/race.ts, when no other upstream is left to hedge onto). Several of its usual latencies,
   * at least SAME_HEDGE_FLOOR_MS, at most the hedge delay floor (and the stall timeout).
   */
  get sameHedgeDelayMs(): number {
    const { hedgeDelayMs, stallTimeoutMs } = this.req.cfg
    return Math.min(stallTimeoutMs, hedgeDelayMs, Math.max(SAME_HEDGE_FLOOR_MS, 4 * this.up.medianTtfb()))
  }

  /**
   * Since when it has been waiting on the upstream without progress; undefined while it waits before a request (a
   * retry's jitter or backoff) or before its upstream ever answered (a silent upstream is not asked twice).
   */
  get idleSince(): number | undefined {
    if (this.sentAt === undefined || !this.up.hasAnswered) return undefined
    return Math.max(this.sentAt, this.lastProgress)
  }

  progressed(): void {
    this.lastProgress = performance.now()
  }

  /** Loser of a race, or nobody waits any more: stop, and drop whatever was spooled. */
  cancel(why: string): void {
    this.abort.abort(new Error(why))
    void this.done.then((r) => (r.type === 'ok' ? r.spool.dispose() : undefined))
  }

  private async run(): Promise<LaneResult> {
    if (this.opts.delayMs > 0) await sleep(this.opts.delayMs, undefined, { signal: this.signal }).catch(() => undefined)
    if (this.signal.aborted) return abandoned
    if (this.up.tripped) return { type: 'failure', failure: { kind: 'other', detail: 'circuit open' } }
    const r = await this.tryOnce(undefined)
    if (r.type !== 'ok') return r
    this.answered = true
    this.progressed()
    const spool = this.req.cfg.spools.create()
    try {
      const out = await this.fill(r, spool)
      if (out.type !== 'ok') await spool.dispose()
      return out
    } catch (err) {
      await spool.dispose()
      throw err
    }
  }

  /** One request to this upstream; results of an abandoned attempt say nothing about the upstream. */
  private async tryOnce(range: { start: number; ifRange?: string } | undefined): Promise<AttemptResult> {
    const { cfg } = this.req
    const waiting = new AbortController()
    this.up.counts.requests++
    this.up.waiting.add(waiting)
    this.sentAt = performance.now()
    const waitMs = this.up.headersWaitMs(cfg.firstByteTimeoutMs)
    // A last resort's wait covers the connect too: an address that drops packets must not cost the connect timeout.
    const cut =
      waitMs < cfg.firstByteTimeoutMs
        ? setTimeout(
            () => waiting.abort(new Error(`no answer within ${waitMs / 1000} s; preflight had found it down`)),
            waitMs
          )
        : undefined
    let r: AttemptResult
    try {
      r = await attempt(cfg.targets.get(this.up)!, this.req.path, {
        dispatcher: cfg.dispatcher,
        firstByteTimeoutMs: cfg.firstByteTimeoutMs,
        stallTimeoutMs: cfg.stallTimeoutMs,
        signal: AbortSignal.any([waiting.signal, this.signal]),
        range,
        userAgent: this.req.userAgent
      })
    } finally {
      clearTimeout(cut)
      this.up.waiting.delete(waiting)
    }
    if (this.signal.aborted) {
      if (r.type === 'ok') discard(r.body)
      return abandoned
    }
    if (r.type === 'failure') {
      this.up.failed()
      this.req.lastFailed = this.up
      // Silent until a timeout: behind the others for later requests, at once.
      if (r.failure.kind === 'first-byte-timeout' || r.failure.kind === 'connect-timeout') this.up.demote('silent')
    } else this.up.answered(r.type === 'ok' ? r.ttfbMs : undefined)
    return r
  }

  /** Spools the body; when it breaks, resumes on this upstream while the budget lasts. */
  private async fill(first: Ok, spool: Spool): Promise<LaneResult> {
    let meta = describe(first)
    let body: Readable = first.body
    for (;;) {
      const err = await this.drain(body, spool)
      if (this.signal.aborted) return abandoned
      if (err === undefined && (meta.total === undefined || spool.size === meta.total)) {
        return { type: 'ok', status: meta.status, contentType: meta.contentType, spool }
      }
      if (err instanceof SpoolTooLarge) return { type: 'failure', failure: { kind: 'protocol', detail: err.message } }
      const failure: Failure =
        err === undefined
          ? { kind: 'reset', detail: `body ended after ${spool.size} of ${meta.total} bytes` }
          : bodyFailure(err)
      this.up.failed()
      this.req.lastFailed = this.up
      // Stalled mid-body: whatever happens to this request, later ones try the others first.
      if (failure.kind === 'stall') this.up.demote('stalled')
      const next = await this.resume(spool, meta, failure)
      if (next.type === 'failure') return { type: 'failure', failure: next.failure ?? failure }
      body = next.body
      meta = next.meta
    }
  }

  private async drain(body: Readable, spool: Spool): Promise<unknown> {
    try {
      for await (const chunk of body) {
        await spool.append(chunk as Buffer)
        this.up.counts.bytes += (chunk as Buffer).length
        this.progressed()
      }
      return undefined
    } catch (err) {
      discard(body)
      return err ?? new Error('upstream body failed')
    }
  }

  /**
   * The rest of the body from the same upstream: a 206 that fits continues the spool; a 200 (the entity
   * changed, or the upstream ignores Range) is the whole body again and restarts it.
   */
  private async resume(
    spool: Spool,
    meta: BodyMeta,
    broke: Failure
  ): Promise<{ type: 'body'; body: Readable; meta: BodyMeta } | { type: 'failure'; failure?: Failure }> {
    if (!meta.ranges || this.up.tripped || !spendRetry(this.req, this.up)) return { type: 'failure' }
    this.up.counts.retries++
    this.sentAt = undefined
    await sleep(retryDelayMs(this.req, this.up, broke), undefined, { signal: this.signal }).catch(() => undefined)
    if (this.signal.aborted) return { type: 'failure', failure: abandoned.failure }
    const range = spool.size > 0 ? { start: spool.size, ifRange: meta.ifRange } : undefined
    const r = await this.tryOnce(range)
    if (r.type === 'failure') return r
    if (r.type === 'answer')
      return { type: 'failure', failure: { kind: 'resume', detail: `resume: HTTP ${r.answer.status}` } }
    this.progressed()
    if (r.status === 206 && range && rangeFits(header(r.headers, 'content-range'), range.start, meta.total)) {
      return { type: 'body', body: r.body, meta }
    }
    if (r.status === 206) {
      discard(r.body)
      return {
        type: 'failure',
        failure: { kind: 'resume', detail: 'resume: Content-Range does not continue the body' }
      }
    }
    await spool.reset()
    return { type: 'body', body: r.body, meta: describe(r) }
  }
}

const abandoned: { type: 'failure'; failure: Failure } = {
  type: 'failure',
  failure: { kind: 'other', detail: 'abandoned' }
}

function describe(r: Ok): BodyMeta {
  const etag = header(r.headers, 'etag')
  const length = header(r.headers, 'content-length')
  return {
    status: r.status,
    contentType: header(r.headers, 'content-type'),
    total: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
    ifRange: etag && !etag.startsWith('W/') ? etag : header(r.headers, 'last-modified'),
    ranges: header(r.headers, 'accept-ranges') !== 'none'
  }
}

function bodyFailure(err: unknown): Failure {
  const f = classifyError(err)
  return { ...f, detail: redact(f.detail) }
}

/** `bytes START-END/TOTAL` must start where we stopped and describe the same entity length. */
export function rangeFits(contentRange: string | undefined, start: number, total: number | undefined): boolean {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange?.trim() ?? '')
  if (!m || Number(m[1]) !== start) return false
  if (total === undefined) return true
  return m[3] !== '*' && Number(m[3]) === total && Number(m[2]) === total - 1
}
