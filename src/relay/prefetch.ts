// Fetching ahead of go. On a cold module cache go asks for a module's files as its package loader reaches them,
// one level of the import graph after another, so each level costs a round trip to the proxy. The run knows
// from the go.mod files what go will ask for (go/needs.ts): the relay fetches those files a few at a time, through
// the same shared, hedged races as go's own requests (relay/share.ts), and holds each answer for the first go
// request that wants it. go still checks every byte against go.sum and the checksum database; a failed fetch is
// not held, so go's own request tries again and hears why.
import type { Sharing, Delivered } from './share.js'

/** Fetches at once: enough to hide a proxy's latency, few enough to leave go's own requests the bandwidth. */
export const AHEAD_CONCURRENCY = 6

export class Prefetcher {
  private readonly queue: string[] = []
  private running = 0
  private stopped = false

  constructor(
    private readonly sharing: Sharing,
    private readonly fetch: (path: string, cancel: AbortSignal) => Promise<Delivered>,
    private readonly ready: Promise<unknown>
  ) {
    sharing.onTaken = () => this.pump()
  }

  /** Protocol paths (as protocolPath returns them), fetched in this order after the ones already queued. */
  add(paths: readonly string[]): void {
    this.queue.push(...paths)
    void this.ready.then(() => this.pump())
  }

  stop(): void {
    this.stopped = true
    this.queue.length = 0
  }

  private pump(): void {
    while (!this.stopped && this.running < AHEAD_CONCURRENCY && this.queue.length > 0) {
      // No room to hold more: the rest waits until go takes what is held.
      if (this.sharing.aheadBytes >= this.sharing.aheadLimit) return
      const path = this.queue.shift()!
      this.running++
      void this.sharing
        .fetchAhead(path, (cancel) => this.fetch(path, cancel))
        .finally(() => {
          this.running--
          this.pump()
        })
    }
  }
}
