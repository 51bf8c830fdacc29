// One go request through the relay: pick upstreams healthy-first, retry and fail over until one delivers,
// stream its body (resuming with Range on the same upstream when it breaks), or tell go why not.
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Dispatcher } from 'undici'
import type { Upstream, UpstreamPool } from './breaker.js'
import { attempt, ClientGone, discard, header, pump, type AttemptResult, type Target } from './relay-fetch.js'
import { backoffMs, finalReply, isTransient, planNext, type Failure, type Outcome, type TryState } from './retry.js'

export interface ServeConfig {
  pool: UpstreamPool
  targets: ReadonlyMap<Upstream, Target>
  dispatcher: Dispatcher
  retries: number
  firstByteTimeoutMs: number
  stallTimeoutMs: number
  backoffBaseMs: number
  backoffCapMs: number
  /** Aborted when the relay closes. */
  closing: AbortSignal
}

interface RequestState {
  retriesLeft: number
  retryNo: number
  gone: boolean
  /** Aborted when go hangs up: an upstream attempt for nobody is not worth waiting for. */
  cancel: AbortController
  userAgent?: string
}

type Ok = Extract<AttemptResult, { type: 'ok' }>

export async function serve(cfg: ServeConfig, path: string, userAgent: string | undefined, res: ServerResponse): Promise<void> {
  const st: RequestState = { retriesLeft: cfg.retries, retryNo: 0, gone: false, cancel: new AbortController(), userAgent }
  res.once('close', () => {
    if (res.writableFinished) return
    st.gone = true
    st.cancel.abort(new Error('go closed the connection'))
  })
  const tries = new Map<Upstream, TryState>()
  const outcomes = new Map<Upstream, Outcome>()
  let retryAfterMs: number | undefined
  for (;;) {
    const next = planNext(cfg.pool.order(), tries, st.retriesLeft)
    if (!next || st.gone || cfg.closing.aborted) break
    const up = next.upstream
    if (next.retry) {
      st.retriesLeft--
      await pause(cfg, st, retryAfterMs)
      if (st.gone || cfg.closing.aborted) return
      if (up.tripped) continue
    }
    const r = await tryOnce(cfg, st, up, path, next.retry)
    if (st.gone || cfg.closing.aborted) {
      if (r.type === 'ok') discard(r.body)
      return
    }
    const t = tries.get(up) ?? { attempts: 0, retryable: true }
    t.attempts++
    tries.set(up, t)
    if (r.type === 'ok') return deliver(cfg, st, up, path, r, res)
    t.retryable = r.type === 'failure' && isTransient(r.failure)
    if (r.type === 'failure') confirmBroken(cfg.pool, up, r.failure)
    outcomes.set(up, r)
    retryAfterMs = r.type === 'failure' ? r.failure.retryAfterMs : undefined
  }
  if (st.gone || cfg.closing.aborted) return
  const reply = finalReply(
    path,
    cfg.pool.all.map((u) => ({ display: u.display, outcome: outcomes.get(u), tripped: u.tripped }))
  )
  res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.text) })
  res.end(reply.text)
}

/**
 * When only upstreams preflight found broken are left (the last resort), a timeout there confirms the verdict:
 * the upstream leaves the run, so no retry and no later request waits out another timeout on it (every
 * upstream down must fail within preflight-timeout plus one relay timeout).
 */
function confirmBroken(pool: UpstreamPool, up: Upstream, f: Failure): void {
  const timeout = f.kind === 'first-byte-timeout' || f.kind === 'connect-timeout'
  if (timeout && up.healthy === false && pool.order().every((u) => u.healthy === false)) up.tripped = true
}

async function pause(cfg: ServeConfig, st: RequestState, retryAfterMs: number | undefined): Promise<void> {
  const wait = Math.max(backoffMs(st.retryNo++, cfg.backoffBaseMs, cfg.backoffCapMs), retryAfterMs ?? 0)
  await sleep(wait, undefined, { signal: AbortSignal.any([cfg.closing, st.cancel.signal]) }).catch(() => undefined)
}

/** One attempt on one upstream, with the breaker and the counters kept up to date. */
async function tryOnce(
  cfg: ServeConfig,
  st: RequestState,
  up: Upstream,
  path: string,
  retry: boolean,
  range?: { start: number; ifRange?: string }
): Promise<AttemptResult> {
  const waiting = new AbortController()
  up.counts.requests++
  if (retry) up.counts.retries++
  up.waiting.add(waiting)
  let r: AttemptResult
  try {
    r = await attempt(cfg.targets.get(up)!, path, {
      dispatcher: cfg.dispatcher,
      firstByteTimeoutMs: cfg.firstByteTimeoutMs,
      stallTimeoutMs: cfg.stallTimeoutMs,
      signal: AbortSignal.any([waiting.signal, st.cancel.signal, cfg.closing]),
      range,
      userAgent: st.userAgent
    })
  } finally {
    up.waiting.delete(waiting)
  }
  // Our own shutdown or go hanging up says nothing about the upstream.
  if (st.gone || cfg.closing.aborted) return r
  if (r.type === 'failure') up.failed()
  else up.answered(r.type === 'ok' ? r.ttfbMs : undefined)
  return r
}

function contentLength(headers: Ok['headers']): number | undefined {
  const v = header(headers, 'content-length')
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
}

/** Streams a successful answer to go; once headers are out, a broken body is resumed or the connection cut. */
async function deliver(cfg: ServeConfig, st: RequestState, up: Upstream, path: string, r: Ok, res: ServerResponse): Promise<void> {
  const total = contentLength(r.headers)
  const out: Record<string, string | number> = {}
  const type = header(r.headers, 'content-type')
  if (type) out['content-type'] = type
  if (total !== undefined) out['content-length'] = total
  res.writeHead(r.status, out)
  const etag = header(r.headers, 'etag')
  const resume = {
    total,
    // A weak ETag may not guard byte ranges (RFC 9110); Last-Modified is the fallback validator.
    ifRange: etag && !etag.startsWith('W/') ? etag : header(r.headers, 'last-modified'),
    possible: header(r.headers, 'accept-ranges') !== 'none'
  }
  let sent = 0
  let body: Readable | undefined = r.body
  while (body) {
    try {
      await pump(body, res, (n) => {
        sent += n
        up.counts.bytes += n
      })
      res.end()
      return
    } catch (err) {
      discard(body)
      if (err instanceof ClientGone || st.gone || cfg.closing.aborted) return
      up.failed()
      body = resume.possible ? await resumeBody(cfg, st, up, path, sent, resume) : undefined
    }
  }
  // Resume impossible: cut the connection so go reports an error instead of trusting a short body.
  res.destroy()
}

/**
 * Asks the same upstream for the rest of the body. Only the same one: zips of one version built by two
 * proxies need not be byte-identical, and splicing them would look like a checksum mismatch to go.
 */
async function resumeBody(
  cfg: ServeConfig,
  st: RequestState,
  up: Upstream,
  path: string,
  sent: number,
  resume: { total?: number; ifRange?: string }
): Promise<Readable | undefined> {
  while (st.retriesLeft > 0 && !up.tripped) {
    st.retriesLeft--
    await pause(cfg, st, undefined)
    if (st.gone || cfg.closing.aborted) return undefined
    const r = await tryOnce(cfg, st, up, path, true, { start: sent, ifRange: resume.ifRange })
    if (r.type === 'ok') {
      if (r.status === 206 && rangeFits(header(r.headers, 'content-range'), sent, resume.total)) return r.body
      discard(r.body)
      return undefined
    }
    if (r.type === 'answer' || !isTransient(r.failure)) return undefined
  }
  return undefined
}

/** `bytes START-END/TOTAL` must start where we stopped and describe the same entity length. */
export function rangeFits(contentRange: string | undefined, start: number, total: number | undefined): boolean {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange?.trim() ?? '')
  if (!m || Number(m[1]) !== start) return false
  if (total === undefined) return true
  return m[3] !== '*' && Number(m[3]) === total && Number(m[2]) === total - 1
}
