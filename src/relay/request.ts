// One relayed request's shared state: the relay's configuration as every lane sees it, and the request's retry
// budget (a count, then a window for bad luck on an upstream that keeps delivering), shared by failover retries,
// hedged retries and body resumes of all its lanes (relay/lane.ts, relay/race.ts).
import type { Dispatcher } from 'undici'
import type { Upstream, UpstreamPool } from './breaker.js'
import type { Target } from './fetch.js'
import type { Sharing } from './share.js'
import type { SpoolStore } from './spool.js'
import { isSlowFailure, retryWaitMs, RetryBudget, type Failure } from './policy.js'

export interface ServeConfig {
  pool: UpstreamPool
  targets: ReadonlyMap<Upstream, Target>
  dispatcher: Dispatcher
  retries: number
  firstByteTimeoutMs: number
  stallTimeoutMs: number
  /** Floor of the hedge delay (see relay/race.ts). */
  hedgeDelayMs: number
  backoffBaseMs: number
  backoffCapMs: number
  spools: SpoolStore
  /** One fetch per path in flight, and the immutable answers kept for the run. */
  sharing: Sharing
  /** Aborted when the relay closes. */
  closing: AbortSignal
}

/** One request from go, shared by all its lanes. */
export interface RequestState {
  cfg: ServeConfig
  path: string
  /** Shared by failover retries, hedged retries and body resumes: a count, then a window for bad luck. */
  budget: RetryBudget
  /** Each upstream's deliveries when the request began: more since then make its failures here bad luck. */
  deliveriesAtStart: ReadonlyMap<Upstream, number>
  /** Slow failures retried so far: the backoff's exponent. */
  slowRetries: number
  /** The upstream whose attempt failed last: a fast failure retried there waits a jitter, elsewhere not at all. */
  lastFailed?: Upstream
  /** Aborted when every go waiting for it hung up: an upstream attempt for nobody is not worth waiting for. */
  cancelled: AbortSignal
  userAgent?: string
}

export function newRequest(
  cfg: ServeConfig,
  path: string,
  userAgent: string | undefined,
  cancelled: AbortSignal
): RequestState {
  return {
    cfg,
    path,
    budget: new RetryBudget(cfg.retries, performance.now()),
    deliveriesAtStart: new Map(cfg.pool.all.map((u) => [u, u.deliveries])),
    slowRetries: 0,
    cancelled,
    userAgent
  }
}

function lucky(req: RequestState, up: Upstream): boolean {
  return up.deliveries > (req.deliveriesAtStart.get(up) ?? 0)
}

/** Whether a retry on `up` may start now (nothing is spent). */
export function mayRetry(req: RequestState, up: Upstream): boolean {
  return req.budget.allows(performance.now(), lucky(req, up))
}

/** Spends a retry on `up`; false when the budget allows none. */
export function spendRetry(req: RequestState, up: Upstream): boolean {
  return req.budget.spend(performance.now(), lucky(req, up))
}

/** The wait before retrying `up`, whose own last failure in this request was `failure` (see retryWaitMs). */
export function retryDelayMs(req: RequestState, up: Upstream, failure: Failure | undefined): number {
  const { backoffBaseMs: baseMs, backoffCapMs: capMs } = req.cfg
  const sameUpstream = up === req.lastFailed
  const ms = retryWaitMs({
    failure,
    sameUpstream,
    slowRetries: req.slowRetries,
    baseMs,
    capMs,
    latencyMs: up.medianTtfb()
  })
  if (failure && isSlowFailure(failure)) req.slowRetries++
  return ms
}
