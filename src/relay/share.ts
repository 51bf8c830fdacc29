// Requests for the same path share one upstream fetch. Concurrent go processes (modules tidied in parallel) ask
// for the same .mod, .info, .zip and list at nearly the same moment; go's cache locking then makes the second
// wait for the first anyway. So the relay runs one race per path in flight and answers every waiting go from
// the same complete spool, and keeps the complete answers that can never change (a canonical version's .info,
// .mod and .zip) for the rest of the run, bounded, so a repeat is served at once. The bytes go gets are the
// upstream's, exactly: only the spool is shared. Lists, @latest, queries and failures are never kept.
import type { Spool } from './spool.js'
import { isCanonicalVersion, unescapeVersion } from '../lib/modpath.js'
import type { Reply } from './policy.js'
import type { ReadAhead } from '../types.js'

/** A complete body held for the go requests that want it; disposed when the last lets go and the cache has dropped it. */
export class Held {
  private users = 0
  /** @internal In the cache (which counts as a user). */
  kept = false

  constructor(
    readonly spool: Spool,
    readonly status: number,
    readonly contentType: string | undefined
  ) {}

  acquire(n = 1): void {
    this.users += n
  }

  release(n = 1): void {
    this.users -= n
    if (this.users <= 0 && !this.kept) void this.spool.dispose()
  }
}

/** What a go request gets: a body to send, a reply (404, 502 ...), or nothing (it left, or the relay closes). */
export type Delivered = { type: 'body'; body: Held } | { type: 'reply'; reply: Reply } | { type: 'gone' }

type Waiter = (d: Delivered) => void

interface Flight {
  waiters: Set<Waiter>
  /** Aborted when every go request waiting for it has hung up. */
  cancel: AbortController
}

/**
 * Bytes of kept answers, least recently used dropped first. Only answers held in memory (up to the spool's 1 MiB)
 * are kept: .info, .mod and small zips, the ones go asks for again; a big zip is fetched once per version anyway
 * (go locks the version while it downloads) and would only hold its spool file for the run.
 */
export const KEEP_BYTES = 32 << 20

/** `<mod>/@v/<canonical version>.info|.mod|.zip`: an answer that is the same for the whole run. */
export function immutablePath(path: string): boolean {
  const m = /\/@v\/([^/]+)\.(?:info|mod|zip)$/.exec(path)
  const version = m ? unescapeVersion(m[1]) : undefined
  return version !== undefined && isCanonicalVersion(version)
}

/** Bytes of answers fetched ahead of go (relay/prefetch.ts) and held until go asks for them, spooled files included. */
export const AHEAD_BYTES = 256 << 20

export class Sharing {
  private readonly flights = new Map<string, Flight>()
  /** Least recently used first (Map order). */
  private readonly kept = new Map<string, Held>()
  private bytes = 0
  /** Fetched before go asked: each held once, for the first go request that wants it. */
  private readonly ahead = new Map<string, Held>()
  /** Paths go has asked for: never fetched ahead again (go has them, or heard why not). */
  private readonly asked = new Set<string>()
  /** Paths whose fetch ahead of go delivered a body, and its size: the run's read-ahead report. */
  private readonly fetchedAhead = new Map<string, number>()
  /** Bytes held in `ahead`. */
  aheadBytes = 0
  /** Called when a go request takes an answer fetched ahead (room for the next one). */
  onTaken?: () => void

  constructor(
    private readonly keepBytes: number = KEEP_BYTES,
    readonly aheadLimit: number = AHEAD_BYTES
  ) {}

  /**
   * The answer for `path`: a kept one at once, else the result of the fetch in flight for it, else of a new
   * fetch (`start`, whose signal aborts when every go waiting for it has hung up). A delivered body is acquired
   * for the caller, who releases it when sent. `gone` aborts when this caller's go hangs up.
   */
  get(path: string, gone: AbortSignal, start: (cancel: AbortSignal) => Promise<Delivered>): Promise<Delivered> {
    this.asked.add(path)
    const early = this.ahead.get(path)
    if (early) {
      // The reference fetchAhead held passes to this caller.
      this.ahead.delete(path)
      this.aheadBytes -= early.spool.size
      this.onTaken?.()
      return Promise.resolve({ type: 'body', body: early })
    }
    const hit = this.kept.get(path)
    if (hit) {
      this.kept.delete(path)
      this.kept.set(path, hit)
      hit.acquire()
      return Promise.resolve({ type: 'body', body: hit })
    }
    if (gone.aborted) return Promise.resolve({ type: 'gone' })
    const flight = this.flights.get(path) ?? this.launch(path, start)
    return new Promise((resolve) => {
      const onGone = (): void => {
        flight.waiters.delete(waiter)
        if (flight.waiters.size === 0) flight.cancel.abort(new Error('go closed the connection'))
        resolve({ type: 'gone' })
      }
      const waiter: Waiter = (d) => {
        gone.removeEventListener('abort', onGone)
        resolve(d)
      }
      flight.waiters.add(waiter)
      gone.addEventListener('abort', onGone, { once: true })
    })
  }

  /**
   * Fetches `path` before go asks for it, as go's own request would (sharing a fetch already in flight), and
   * resolves when the fetch is over. Nothing is fetched for a path go has asked for already. A body is held for the
   * first go request for it, unless go got it meanwhile or it is kept anyway (a small immutable answer); a failure is
   * not held (go's own request then fetches again and hears why). The caller stops asking once `aheadBytes` reaches
   * `aheadLimit` (see relay/prefetch.ts): a body already on its way is held all the same, not fetched twice.
   */
  fetchAhead(path: string, start: (cancel: AbortSignal) => Promise<Delivered>): Promise<void> {
    if (this.asked.has(path) || this.kept.has(path) || this.ahead.has(path)) return Promise.resolve()
    const flight = this.flights.get(path) ?? this.launch(path, start)
    return new Promise((resolve) => {
      flight.waiters.add((d) => {
        if (d.type === 'body') {
          this.fetchedAhead.set(path, d.body.spool.size)
          if (this.asked.has(path) || d.body.kept || this.ahead.has(path)) d.body.release()
          else {
            this.ahead.set(path, d.body)
            this.aheadBytes += d.body.spool.size
          }
        }
        resolve()
      })
    })
  }

  /** Files fetched ahead so far, their bytes, and how many of them go has asked for (held, kept or shared). */
  aheadReport(): ReadAhead {
    let bytes = 0
    let used = 0
    for (const [path, size] of this.fetchedAhead) {
      bytes += size
      if (this.asked.has(path)) used++
    }
    return { files: this.fetchedAhead.size, bytes, used }
  }

  /** Lets go of every answer fetched ahead that go never asked for (the relay is closing). */
  dropAhead(): void {
    for (const held of this.ahead.values()) held.release()
    this.ahead.clear()
    this.aheadBytes = 0
  }

  private launch(path: string, start: (cancel: AbortSignal) => Promise<Delivered>): Flight {
    const flight: Flight = { waiters: new Set(), cancel: new AbortController() }
    this.flights.set(path, flight)
    const internal: Delivered = {
      type: 'reply',
      reply: { status: 502, contentType: 'text/plain; charset=utf-8', text: 'go-tidy-guard relay: internal error\n' }
    }
    // Never rejects: a bug must not leave go waiting.
    void start(flight.cancel.signal)
      .catch((): Delivered => internal)
      .then((d) => {
        this.flights.delete(path)
        if (d.type === 'body') {
          if (immutablePath(path)) this.keep(path, d.body)
          // Each waiter gets its reference now, before any of them can send and release.
          d.body.acquire(flight.waiters.size)
          d.body.release(0)
        }
        for (const w of flight.waiters) w(d)
      })
    return flight
  }

  private keep(path: string, held: Held): void {
    if (held.spool.onDisk) return
    held.kept = true
    this.kept.set(path, held)
    this.bytes += held.spool.size
    for (const [p, h] of this.kept) {
      if (this.bytes <= this.keepBytes) break
      this.kept.delete(p)
      this.bytes -= h.spool.size
      h.kept = false
      h.release(0)
    }
  }
}
