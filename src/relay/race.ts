// Which upstreams work on one request, and when. Upstreams are tried healthy-first; transient failures are
// retried (planNext: every upstream once, then the retry budget; retryWaitMs: at once elsewhere, a jitter on the
// same upstream, backoff after a timeout). While the running lane(s) make no progress (no headers, no body
// bytes) for a hedge delay, the same request is hedged onto the next upstream not already running; when no other
// upstream is left (one upstream, or the others failed for good), the only lane idle for several of its upstream's
// usual latencies gets a second attempt on the SAME upstream, from the retry budget. The first COMPLETE body wins,
// the others are cancelled and their spools deleted: go never gets two attempts' bytes mixed. So a proxy that
// stalls or sits silent costs about one hedge delay, not a 30 s timeout, and a flaky one's reset mid-body costs a
// few round trips, while each lane keeps its same-upstream resume and its hard timeouts.
import type { Upstream } from './breaker.js'
import { Lane, type LaneResult } from './lane.js'
import { mayRetry, retryDelayMs, spendRetry, type RequestState } from './request.js'
import { classifyStatus, isTransient, planNext, type Failure, type Outcome, type TryState } from './policy.js'

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

/** What to start next: a lane on `upstream`; `retry` spends the budget; `same` is a second lane on a busy upstream. */
interface Plan {
  upstream: Upstream
  retry: boolean
  same?: boolean
}

class Race {
  readonly running = new Set<Lane>()
  readonly tries = new Map<Upstream, TryState>()
  readonly outcomes = new Map<Upstream, Outcome>()
  /** Each upstream's last failure in this request (undefined after an answer): what its retry waits for. */
  private readonly lastFailure = new Map<Upstream, Failure | undefined>()
  /** When each upstream's last lane ended without a body: a retry's wait counts from then. */
  private readonly endedAt = new Map<Upstream, number>()

  constructor(private readonly req: RequestState) {}

  get stopped(): boolean {
    return this.req.cancelled.aborted || this.req.cfg.closing.aborted
  }

  private busy(up: Upstream): boolean {
    for (const lane of this.running) if (lane.up === up) return true
    return false
  }

  /** The next upstream to put to work, if any: untried ones first (failover), then retries while the budget lasts. */
  private plan(): Plan | undefined {
    const idle = this.req.cfg.pool.order().filter((u) => !this.busy(u))
    const next = planNext(idle, this.tries, 1)
    return next && (!next.retry || mayRetry(this.req, next.upstream)) ? next : undefined
  }

  /**
   * The only lane, when a second attempt on its own upstream may start (nowhere else to hedge to): it waits on an
   * upstream in service that has answered before, and the budget allows a retry there.
   */
  private soleLane(): Lane | undefined {
    if (this.running.size !== 1) return undefined
    const [lane] = this.running
    const ok = lane.idleSince !== undefined && !lane.up.tripped && this.tries.get(lane.up)?.retryable !== false
    return ok && mayRetry(this.req, lane.up) ? lane : undefined
  }

  /** Starts the planned lane (for a hedge, a second one on the sole lane's upstream when nothing else is left). */
  launch(hedge: boolean): Lane | undefined {
    const sole = hedge ? this.soleLane() : undefined
    const next: Plan | undefined = this.plan() ?? (sole && { upstream: sole.up, retry: true, same: true })
    if (!next) return undefined
    let delayMs = 0
    if (next.retry) {
      spendRetry(this.req, next.upstream)
      delayMs = retryDelayMs(this.req, next.upstream, this.lastFailure.get(next.upstream))
      // A second lane on a busy upstream waits only what is left of the wait since its last failure there.
      if (next.same)
        delayMs = Math.max(0, delayMs - (performance.now() - (this.endedAt.get(next.upstream) ?? -Infinity)))
    }
    const lane = new Lane(this.req, next.upstream, { retry: next.retry, hedge, delayMs })
    this.running.add(lane)
    return lane
  }

  /**
   * How long until a hedge is due (0: now): every running lane idle for its hedge delay when another upstream can
   * be put to work, else the sole lane idle for its same-upstream delay; undefined when there is nowhere to hedge to.
   */
  hedgeInMs(): number | undefined {
    if (this.running.size === 0) return undefined
    const now = performance.now()
    if (this.plan()) {
      let wait = 0
      for (const lane of this.running) wait = Math.max(wait, lane.lastProgress + lane.hedgeDelayMs - now)
      return wait
    }
    const sole = this.soleLane()
    return sole && sole.idleSince! + sole.sameHedgeDelayMs - now
  }

  record(ev: Event): void {
    const { lane, result } = ev
    this.running.delete(lane)
    const t = this.tries.get(lane.up) ?? { attempts: 0, retryable: true }
    t.attempts++
    this.tries.set(lane.up, t)
    if (result.type === 'ok') return
    this.endedAt.set(lane.up, performance.now())
    t.retryable = result.type === 'failure' && isTransient(result.failure)
    this.outcomes.set(lane.up, result)
    this.lastFailure.set(lane.up, result.type === 'failure' ? result.failure : undefined)
    const f = result.type === 'failure' ? result.failure : undefined
    if (f?.kind === 'first-byte-timeout' || f?.kind === 'connect-timeout') this.req.cfg.pool.timedOut(lane.up)
  }

  /** Every upstream still in service said not found: lanes still running elsewhere (out of service) cannot change that. */
  allSaidNotFound(): boolean {
    const inService = this.req.cfg.pool.order()
    return (
      inService.length > 0 &&
      inService.every((u) => {
        const o = this.outcomes.get(u)
        return o?.type === 'answer' && classifyStatus(o.answer.status) === 'not-found' && !this.busy(u)
      })
    )
  }

  /** The winner is promoted; other upstreams whose silence started a hedge are demoted for later requests. */
  settle(winner: Upstream): void {
    this.req.cfg.pool.delivered(winner)
    for (const lane of this.running) {
      if (lane.stuck && lane.up !== winner) lane.up.outrun(lane.answered ? 'stalled' : 'silent')
      lane.cancel('another attempt delivered first')
    }
    this.running.clear()
  }

  cancelAll(why: string): void {
    for (const lane of this.running) lane.cancel(why)
    this.running.clear()
  }
}

/** Waits for the next lane to finish, or `wait` ms ('tick': time to look at the lanes' progress again). */
async function nextEvent(race: Race, wait: number | undefined): Promise<Event | 'tick'> {
  const lanes = [...race.running].map((lane) => lane.done.then((result): Event => ({ lane, result })))
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
        const idle = [...race.running]
        const hedge = race.launch(true)
        // Only another upstream can outrun a stuck one; a second attempt on the same upstream demotes nobody.
        if (hedge) for (const lane of idle) lane.stuck ||= lane.up !== hedge.up
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
