// A proxy failing one request in three, for the flaky monorepo case: every third request gets a fast failure,
// alternately a 503 and a reset mid-body, whatever the request (list, info, mod, zip, preflight's probes).
// fixture-proxy takes faults with a `match`; these matchers count requests instead of testing the path.
import type { Fault } from '../__tests__/helpers/fixture-proxy.js'

/**
 * fixture-proxy asks a fault's matcher `test(path) || test(decodedPath)` per request, fault by fault in order, so
 * the first fault's matcher sees every request first: it counts, and skips the decoded second look.
 */
class EveryNth extends RegExp {
  private seen = 0
  private secondLook = false

  constructor(
    private readonly every: number,
    private readonly shared: { index: number }
  ) {
    super('(?:)')
  }

  override test(_path: string): boolean {
    if (this.secondLook) {
      this.secondLook = false
      return false
    }
    this.shared.index = ++this.seen
    const hit = this.seen % this.every === 0 && (this.seen / this.every) % 2 === 1
    this.secondLook = !hit
    return hit
  }
}

/** Follows the counter of an EveryNth: the other half of the every-nth requests. */
class OtherHalf extends RegExp {
  constructor(
    private readonly every: number,
    private readonly shared: { index: number }
  ) {
    super('(?:)')
  }

  override test(_path: string): boolean {
    const n = this.shared.index
    return n % this.every === 0 && (n / this.every) % 2 === 0
  }
}

/** Fresh faults (a new count) for one run: requests 3, 9, 15… get a 503; 6, 12, 18… a reset after a few bytes. */
export function oneInThree(): Fault[] {
  const shared = { index: 0 }
  return [
    { kind: 'status', status: 503, match: new EveryNth(3, shared) },
    { kind: 'reset', afterBytes: 8, match: new OtherHalf(3, shared) }
  ]
}

/** How many requests the proxy received and how many got a fault, from its log since `from`. */
export function faultCount(log: Array<{ fault?: string }>, from: number): string {
  const entries = log.slice(from)
  const faulted = entries.filter((e) => e.fault !== undefined).length
  return `${faulted} of ${entries.length} requests failed`
}
