// Per-upstream health for the relay: a circuit breaker that takes a failing upstream out of the run,
// preflight's verdicts for ordering, and the statistics the job summary shows.
import type { UpstreamStats } from '../types.js'

export interface BreakerOptions {
  /** Consecutive failures that trip an upstream that never answered us. */
  tripAfter: number
  /**
   * Consecutive failures that trip an upstream that has answered before. Higher, because a flaky but
   * alive proxy that is the only one left must not be switched off by a short unlucky streak.
   */
  tripAfterIfAlive: number
}

/**
 * The relay's statistics per upstream: the shared shape plus how often a request was hedged onto this
 * upstream and whether it is demoted (behind the others) for stalling or for being beaten by a hedge.
 */
export interface RelayUpstreamStats extends UpstreamStats {
  hedges: number
  demoted: boolean
}

export const DEFAULT_BREAKER: BreakerOptions = { tripAfter: 3, tripAfterIfAlive: 10 }

/** The latest first-byte times kept: the median follows the upstream's present latency, and costs little. */
const MAX_SAMPLES = 64

/**
 * How long an attempt on a last resort (an upstream preflight found down, tried because nothing better is in
 * service) waits for response headers, connect included. Preflight already gave it preflight-timeout to
 * answer; waiting the full first-byte timeout again would make "every upstream down" take half a minute.
 */
export const LAST_RESORT_WAIT_MS = 2_000

/**
 * A demotion expires after this many requests delivered by other upstreams, doubled for each demotion in a row
 * (cleared when the upstream itself delivers), up to DEMOTION_TERM_CAP: a good proxy demoted after one spurious
 * hedge comes back soon, while one that keeps going silent is tried again ever more rarely. A demotion for a body
 * that stalled mid-way does not expire this way (see outlived).
 */
export const DEMOTION_TERM = 8
const DEMOTION_TERM_CAP = 512

export class Upstream {
  private health: boolean | undefined = undefined
  private open = false
  private isDemoted = false
  /** Demotions since it last delivered: the exponent of the next demotion's term. */
  private demotions = 0
  /** Requests delivered by other upstreams since it was demoted. */
  private deliveredElsewhere = 0
  /** Why it was last demoted, for the summary. */
  demotedFor?: 'silent' | 'stalled'
  private consecutive = 0
  private alive = false
  private delivered = 0
  private readonly ttfb: number[] = []
  /** Answers with a first-byte time, all of them (the samples keep only the latest). */
  private answers = 0
  /** Median of the samples, until the next one arrives (read several times per request). */
  private medianCache: number | undefined
  /** `unanswered`: requests it sat silent on until another upstream served them (not failures: they were cut off). */
  readonly counts = { requests: 0, bytes: 0, retries: 0, failures: 0, hedges: 0, unanswered: 0 }
  /** Attempts waiting for response headers; aborted when preflight demotes this upstream. */
  readonly waiting = new Set<AbortController>()

  constructor(
    /** As the user wrote it, credentials included: never print. */
    readonly url: string,
    /** Redacted, safe to print. */
    readonly display: string,
    /** Preference order from the GOPROXY list. */
    readonly index: number,
    private readonly opts: BreakerOptions
  ) {}

  /** Preflight's verdict: true ok, false not ok, undefined not known (yet). */
  get healthy(): boolean | undefined {
    return this.health
  }

  /** Out of service for the rest of the run (circuit breaker). */
  get tripped(): boolean {
    return this.open
  }

  /**
   * Stalled mid-body or sat silent until a hedge beat it: later requests try the others first. Not a
   * breaker trip: it stays in service, and is promoted again when it delivers or when the demotion expires.
   */
  get demoted(): boolean {
    return this.isDemoted
  }

  /** Complete bodies it delivered to go: evidence that its failures are bad luck, not a dead upstream. */
  get deliveries(): number {
    return this.delivered
  }

  /** @internal The pool's; see UpstreamPool.setHealthy. */
  setVerdict(healthy: boolean): void {
    this.health = healthy
  }

  /** The upstream answered over HTTP (any status that is not a failure). */
  answered(ttfbMs?: number): void {
    this.consecutive = 0
    this.alive = true
    if (ttfbMs !== undefined) {
      if (this.ttfb.length >= MAX_SAMPLES) this.ttfb.shift()
      this.ttfb.push(ttfbMs)
      this.answers++
      this.medianCache = undefined
    }
  }

  /** Behind the others for later requests: it went silent (no headers in time, or a hedge beat it) or stalled mid-body. */
  demote(why: 'silent' | 'stalled'): void {
    if (!this.isDemoted) this.demotions++
    this.isDemoted = true
    this.deliveredElsewhere = 0
    this.demotedFor = why
  }

  /** @internal The pool's; see UpstreamPool.delivered. */
  won(): void {
    this.delivered++
    this.isDemoted = false
    this.demotions = 0
  }

  /**
   * @internal Another upstream delivered a request: a demotion for silence that has served its term expires (it may
   * have been one spurious hedge). A body that stalled mid-way is a real fault: only a delivery of its own promotes it.
   */
  outlived(): void {
    if (!this.isDemoted || this.demotedFor === 'stalled') return
    const term = Math.min(DEMOTION_TERM_CAP, DEMOTION_TERM * 2 ** (this.demotions - 1))
    if (++this.deliveredElsewhere >= term) this.isDemoted = false
  }

  /**
   * Sat idle on a request until another upstream delivered it: silent (no headers) or with its body stalled mid-way
   * (a real fault, whose demotion does not expire by others' deliveries: see outlived).
   */
  outrun(why: 'silent' | 'stalled' = 'silent'): void {
    this.counts.unanswered++
    this.demote(why)
  }

  failed(): void {
    this.counts.failures++
    this.consecutive++
    if (this.consecutive >= (this.alive ? this.opts.tripAfterIfAlive : this.opts.tripAfter)) this.open = true
  }

  /** @internal The pool's; see UpstreamPool.timedOut. */
  trip(): void {
    this.open = true
  }

  /** How long an attempt may wait for response headers: the first-byte timeout, or less for a last resort. */
  headersWaitMs(firstByteTimeoutMs: number): number {
    return this.healthy === false ? Math.min(firstByteTimeoutMs, LAST_RESORT_WAIT_MS) : firstByteTimeoutMs
  }

  /** It has answered an HTTP request in this run (with any status that is not a failure). */
  get hasAnswered(): boolean {
    return this.alive
  }

  /** Median time to first byte of its latest answers, ms; 0 before the first. */
  medianTtfb(): number {
    return (this.medianCache ??= median(this.ttfb))
  }

  stats(): RelayUpstreamStats {
    return {
      upstream: this.display,
      ...this.counts,
      latencyMs: this.medianTtfb(),
      answers: this.answers,
      tripped: this.tripped,
      demoted: this.demoted,
      ...(this.demotedFor ? { demotedFor: this.demotedFor } : {})
    }
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2)
}

const RANK = (u: Upstream): number => (u.healthy === true ? 0 : u.healthy === undefined ? 1 : 2)

export class UpstreamPool {
  readonly all: Upstream[]

  constructor(entries: ReadonlyArray<{ url: string; display: string }>, opts: BreakerOptions = DEFAULT_BREAKER) {
    this.all = entries.map((e, i) => new Upstream(e.url, e.display, i, opts))
  }

  /**
   * Upstreams still in service, healthy first, then unknown; GOPROXY order within each. Those preflight
   * found broken are a last resort, used only while no other upstream is in service: otherwise every
   * "not found" that go expects (it probes module path prefixes) would wait out a dead proxy's timeouts.
   * Demoted upstreams (they stalled or were beaten by a hedge) go behind the others still usable.
   */
  order(): Upstream[] {
    const inService = this.all.filter((u) => !u.tripped)
    const usable = inService.some((u) => u.healthy !== false) ? inService.filter((u) => u.healthy !== false) : inService
    return usable.sort((a, b) => Number(a.demoted) - Number(b.demoted) || RANK(a) - RANK(b) || a.index - b.index)
  }

  setHealthy(url: string, healthy: boolean): void {
    for (const u of this.all) {
      if (u.url !== url) continue
      u.setVerdict(healthy)
      // Requests stuck on an upstream that preflight now calls broken move on at once instead of
      // waiting out the first-byte timeout, but only when somewhere better is left to go.
      if (!healthy && this.all.some((o) => o !== u && !o.tripped && o.healthy !== false)) {
        for (const ac of u.waiting) ac.abort(new Error('preflight marked the upstream unhealthy'))
      }
    }
  }

  /** `winner` delivered a request: it is in front again, and the others' demotions run down their term. */
  delivered(winner: Upstream): void {
    winner.won()
    for (const u of this.all) if (u !== winner) u.outlived()
  }

  /**
   * `up` timed out. When only upstreams preflight found broken are left (the last resort), that confirms the
   * verdict: it leaves the run, so no retry and no later request waits out another timeout on it (every
   * upstream down must fail within preflight-timeout plus one relay timeout).
   */
  timedOut(up: Upstream): void {
    if (up.healthy === false && this.order().every((u) => u.healthy === false)) up.trip()
  }

  allDown(): boolean {
    return this.all.every((u) => u.tripped || u.healthy === false)
  }

  stats(): RelayUpstreamStats[] {
    return this.all.map((u) => u.stats())
  }
}
