// One bounded call into @actions/cache. The library takes no AbortSignal and waits for a silent service for up to
// 15 minutes (five attempts of a 3-minute socket timeout). Every HTTP request it makes goes through node:http (its
// Twirp client and the storage SDK alike) and is seen here on the `http.client.request.start` diagnostics channel,
// attributed to the call by AsyncLocalStorage. A request that moves no byte for `stallMs`, or the call outliving
// `totalMs`, abandons the call: its requests are destroyed, and so is every request it starts afterwards. An
// abandoned call can receive nothing more, so a restore can never reach extraction into GOMODCACHE once its caller
// has gone on: the caller may start tidy at once. A call that is past the network (`busyLine`: a restore
// extracting its archive) is never abandoned, only waited for.
import { AsyncLocalStorage } from 'node:async_hooks'
import { subscribe } from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'
import { cleanMessage } from './state.js'

export interface CacheBounds {
  /** A request of the call may move no byte (no answer, no body) this long. */
  stallMs: number
  /** The whole call, network part. */
  totalMs: number
}

const DEFAULTS = { stallMs: 10_000, restoreMs: 2 * 60_000, saveMs: 5 * 60_000 }

/**
 * The bounds of a restore or a save. GTG_CACHE_STALL_SECONDS (tests only, see DEVELOPERS.md) shortens the stall
 * bound; `given` (in-process tests) wins.
 */
export function cacheBounds(kind: 'restore' | 'save', given: Partial<CacheBounds> = {}): CacheBounds {
  const env = Number(process.env.GTG_CACHE_STALL_SECONDS)
  const stallMs = given.stallMs ?? (env > 0 ? env * 1000 : DEFAULTS.stallMs)
  return { stallMs, totalMs: given.totalMs ?? (kind === 'restore' ? DEFAULTS.restoreMs : DEFAULTS.saveMs) }
}

export interface LibraryFailure {
  level: 'info' | 'warning' | 'error'
  message: string
}

/** The call's value and the failure the library logged (it swallows service errors), or why it was abandoned. */
export type CacheCall<T> = { value: T; failure?: LibraryFailure; abandoned?: undefined } | { abandoned: string }

export interface CallOptions extends CacheBounds {
  /** A line the library prints when it turns to local work that must finish (a restore's extraction). */
  busyLine?: RegExp
}

const calls = new AsyncLocalStorage<CallWatch>()
let subscribed = false

export async function callCacheLibrary<T>(fn: () => Promise<T>, o: CallOptions): Promise<CacheCall<T>> {
  if (!subscribed) {
    subscribe('http.client.request.start', (m) =>
      calls.getStore()?.onRequest((m as { request: ClientRequest }).request)
    )
    subscribed = true
  }
  const log = watchLog(o.busyLine)
  const watch = new CallWatch(o, () => log.busy)
  const call = calls.run(watch, fn)
  try {
    const finished = call.then((value): CacheCall<T> => ({ value, failure: log.failure }))
    const outcome: CacheCall<T> = await Promise.race([finished, watch.abandoned])
    if (outcome.abandoned !== undefined) {
      // The library unwinds in a moment and warns about the requests destroyed here: keep that out of the log.
      log.quiet = true
      await Promise.race([call.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, UNWIND_MS))])
    }
    return outcome
  } finally {
    watch.stop()
    if (watch.reason) call.then(log.restore, log.restore)
    else log.restore()
  }
}

/** How long an abandoned call is given to unwind (its own failure lines, kept out of the log) before the caller goes on. */
const UNWIND_MS = 500

interface Tracked {
  what: string
  since: number
  bytes: number
  answered: boolean
}

class CallWatch {
  reason?: string
  private pending?: string
  private readonly inflight = new Map<ClientRequest, Tracked>()
  private settle!: (r: { abandoned: string }) => void
  readonly abandoned = new Promise<{ abandoned: string }>((resolve) => (this.settle = resolve))
  private readonly poll: NodeJS.Timeout
  private readonly total: NodeJS.Timeout

  constructor(
    private readonly o: CacheBounds,
    private readonly busy: () => boolean
  ) {
    this.poll = setInterval(() => this.check(), Math.max(10, Math.min(250, o.stallMs / 4)))
    this.total = setTimeout(() => this.abandon(`the cache service took longer than ${seconds(o.totalMs)}`), o.totalMs)
  }

  onRequest(req: ClientRequest): void {
    // Destroyed once its starter has piped the body in, so that the body stream (an open archive) goes with it.
    if (this.reason) return void setImmediate(() => req.destroy(abandonError(this.reason ?? '')))
    const t: Tracked = { what: describe(req), since: Date.now(), bytes: 0, answered: false }
    this.inflight.set(req, t)
    req.once('response', () => (t.answered = true))
    req.once('close', () => this.inflight.delete(req))
    if (this.pending) this.abandon(this.pending)
  }

  stop(): void {
    clearInterval(this.poll)
    clearTimeout(this.total)
  }

  private check(): void {
    const now = Date.now()
    for (const [req, t] of this.inflight) {
      const bytes = req.socket ? req.socket.bytesRead + req.socket.bytesWritten : 0
      if (bytes !== t.bytes) {
        t.bytes = bytes
        t.since = now
      } else if (now - t.since >= this.o.stallMs) {
        const how = t.answered ? 'the cache service answered, then stopped sending' : 'no answer from the cache service'
        return this.abandon(`${t.what} made no progress for ${seconds(this.o.stallMs)} (${how})`)
      }
    }
  }

  /**
   * Abandons at a request: one in flight now, else the next one the call starts (between requests the call may be
   * about to extract what it has fully downloaded, which must finish). Never once the call is busy extracting.
   */
  private abandon(reason: string): void {
    if (this.reason || this.busy()) return
    if (this.inflight.size === 0) {
      this.pending = reason
      return
    }
    this.reason = reason
    this.stop()
    for (const req of [...this.inflight.keys()]) req.destroy(abandonError(reason))
    this.settle({ abandoned: reason })
  }
}

/** ECONNRESET: the library's Twirp client gives up at once on it instead of retrying. */
function abandonError(reason: string): Error {
  return Object.assign(new Error(`abandoned by go-tidy-guard: ${reason}`), { code: 'ECONNRESET' })
}

function describe(req: ClientRequest): string {
  const twirp = /\/twirp\/[^/?]+\/(\w+)/.exec(req.path)
  if (twirp) return twirp[1]
  if (req.method === 'PUT') return 'the archive upload'
  return req.method === 'HEAD' ? 'the archive size query' : 'the archive download'
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`
}

const FAILURE_LINE = /^(?:::(warning|error)(?: [^:]*)?::)?(Failed to (?:restore|save): .*)$/m
/** What the library prints about requests that failed: after an abandonment, the requests destroyed here. */
const LIBRARY_NOISE = /Failed to (?:restore|save): |Attempt \d+ of \d+ failed/

/**
 * Watches stdout while the library runs. The library swallows every service error (it logs "Failed to
 * restore/save: …" and returns a miss or -1), so its log line is the only way to tell a miss from an outage, or a
 * save conflict (logged as info) from success.
 */
function watchLog(busyLine?: RegExp) {
  const original = process.stdout.write
  const state = {
    failure: undefined as LibraryFailure | undefined,
    busy: false,
    quiet: false,
    restore: () => {
      if (process.stdout.write === watcher) process.stdout.write = original
    }
  }
  const watcher = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = String(chunk)
    if (state.quiet && LIBRARY_NOISE.test(text)) {
      ;(rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.()
      return true
    }
    const m = state.failure ? null : FAILURE_LINE.exec(text)
    if (m) state.failure = { level: (m[1] as 'warning' | 'error' | undefined) ?? 'info', message: cleanMessage(m[2]) }
    if (busyLine?.test(text)) state.busy = true
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
  }
  process.stdout.write = watcher as typeof process.stdout.write
  return state
}
