// Which upstreams work on one request, and when. Upstreams are tried healthy-first; transient failures are
// retried (planNext: every upstream once, then the retry budget; retryWaitMs: at once elsewhere, a jitter on the
// same upstream, backoff after a timeout). While the running lane(s) make no progress (no headers, no body
// bytes) for a hedge delay, the same request is hedged onto the next upstream not already running: the first
// COMPLETE body wins, the others are cancelled and their spools deleted. So a proxy that stalls or sits silent
// costs about one hedge delay, not a 30 s timeout, while its lane keeps the same-upstream resume and its hard
// timeouts.
import type { Upstream } from './breaker.js'
import { Lane, mayRetry, retryDelayMs, spendRetry, type LaneResult, type RequestState } from './relay-lane.js'
import { classifyStatus, isTransient, planNext, type Failure, type Outcome, type TryState } from './retry.js'

export type RaceResult =
  | { type: 'ok'; up: Upstream; result: Extract<LaneResult, { type: 'ok' }> }
  /** Nothing delivered: what each upstream said, for finalReply. */
  | { type: 'none'; outcomes: ReadonlyMap<Upstream, Outcome> }
  /** go hung up or the relay is closing: nobody to answer. */
  | { type: 'gone' }

interface Event {
  lane: Lane
  result: LaneResult
}

class Race {
  readonly running = new Map<Upstream, Lane>()
  readonly tries = new Map<Upstream, TryState>()
  readonly outcomes = new Map<Upstream, Outcome>()
  /** Each upstream's last failure in this request (undefined after an answer): what its retry waits for. */
  private readonly lastFailure = new Map<Upstream, Failure | undefined>()

  constructor(private readonly req: RequestState) {}

  get stopped(): boolean {
    return this.req.cancelled.aborted || this.req.cfg.closing.aborted
  }

  /** The next upstream to put to work, if any: untried ones first (failover), then retries while the budget lasts. */
  private plan(): { upstream: Upstream; retry: boolean } | undefined {
    const idle = this.req.cfg.pool.order().filter((u) => !this.running.has(u))
    const next = planNext(idle, this.tries, 1)
    return next && (!next.retry || mayRetry(this.req, next.upstream)) ? next : undefined
  }

  launch(hedge: boolean): boolean {
    const next = this.plan()
    if (!next) return false
    let delayMs = 0
    if (next.retry) {
      spendRetry(this.req, next.upstream)
      delayMs = retryDelayMs(this.req, next.upstream, this.lastFailure.get(next.upstream))
    }
    this.running.set(next.upstream, new Lane(this.req, next.upstream, { retry: next.retry, hedge, delayMs }))
    return true
  }

  /**
   * How long until every running lane has been idle for its hedge delay (0: now); undefined when there is
   * nowhere to hedge to.
   */
  hedgeInMs(): number | undefined {
    if (this.running.size === 0 || !this.plan()) return undefined
    const now = performance.now()
    let wait = 0
    for (const lane of this.running.values()) wait = Math.max(wait, lane.lastProgress + lane.hedgeDelayMs - now)
    return wait
  }

  record(ev: Event): void {
    const { lane, result } = ev
    this.running.delete(lane.up)
    const t = this.tries.get(lane.up) ?? { attempts: 0, retryable: true }
    t.attempts++
    this.tries.set(lane.up, t)
    if (result.type === 'ok') return
    t.retryable = result.type === 'failure' && isTransient(result.failure)
    this.outcomes.set(lane.up, result)
    this.lastFailure.set(lane.up, result.type === 'failure' ? result.failure : undefined)
    const f = result.type === 'failure' ? result.failure : undefined
    if (f?.kind === 'first-byte-timeout' || f?.kind === 'connect-timeout') this.req.cfg.pool.timedOut(lane.up)
  }

  /** Every upstream still in service said not found: lanes still running elsewhere (out of service) cannot change that. */
  allSaidNotFound(): boolean {
    const inService = this.req.cfg.pool.order()
    return inService.length > 0 && inService.every((u) => {
      const o = this.outcomes.get(u)
      return o?.type === 'answer' && classifyStatus(o.answer.status) === 'not-found' && !this.running.has(u)
    })
  }

  /** The winner is promoted; losers whose silence started a hedge are demoted for later requests. */
  settle(winner: Upstream): void {
    this.req.cfg.pool.delivered(winner)
    for (const lane of this.running.values()) {
      if (lane.stuck) lane.up.outrun()
      lane.cancel('another upstream delivered first')
    }
    this.running.clear()
  }

  cancelAll(why: string): void {
    for (const lane of this.running.values()) lane.cancel(why)
    this.running.clear()
  }
}

/** Waits for the next lane to finish, or `wait` ms ('tick': time to look at the lanes' progress again). */
async function nextEvent(race: Race, wait: number | undefined): Promise<Event | 'tick'> {
  const lanes = [...race.running.values()].map((lane) => lane.done.then((result): Event => ({ lane, result })))
  if (wait === undefined) return Promise.race(lanes)
  let timer: NodeJS.Timeout | undefined
  const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), Math.ceil(wait))))
  try {
    return await Promise.race([...lanes, tick])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs one request to its end: the winning upstream's complete body, every upstream's verdict, or nobody left to answer. */
export async function runRace(req: RequestState): Promise<RaceResult> {
  const race = new Race(req)
  try {
    race.launch(false)
    while (race.running.size > 0) {
      const wait = race.hedgeInMs()
      if (wait !== undefined && wait <= 0) {
        const idle = [...race.running.values()]
        if (race.launch(true)) for (const lane of idle) lane.stuck = true
        continue
      }
      const ev = await nextEvent(race, wait)
      if (race.stopped) {
        if (ev !== 'tick' && ev.result.type === 'ok') await ev.result.spool.dispose()
        return { type: 'gone' }
      }
      if (ev === 'tick') continue
      race.record(ev)
      if (ev.result.type === 'ok') {
        race.settle(ev.lane.up)
        return { type: 'ok', up: ev.lane.up, result: ev.result }
      }
      if (race.allSaidNotFound()) break
      // Failover (or a retry after backoff) when nothing else is at work; otherwise hedging decides.
      if (race.running.size === 0) race.launch(false)
    }
    return race.stopped ? { type: 'gone' } : { type: 'none', outcomes: race.outcomes }
  } finally {
    race.cancelAll('request finished')
  }
}
