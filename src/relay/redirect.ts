// Redirects as go follows them (cmd/go/internal/web/http.go): at most 10 hops, and never from an https request to
// a URL that is not https ("redirected from secure URL ... to insecure URL ..."), so the relay cannot fetch what go
// itself would refuse. undici's redirect interceptor follows the hops; on a hop to another origin it drops
// Authorization, Cookie and Proxy-Authorization, so an upstream's credentials never reach another host.
import type { IncomingHttpHeaders } from 'node:http'
import { interceptors, type Dispatcher } from 'undici'
import { redactUrl } from '../lib/redact.js'

// What undici's redirect handler follows (lib/handler/redirect-handler.js).
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308])
// go's checkRedirect: "stopped after 10 redirects".
const MAX_REDIRECTS = 10

export class InsecureRedirect extends Error {}

/** `base` following redirects the way go does. */
export function followingRedirects(base: Dispatcher): Dispatcher {
  // Composed below the redirect interceptor: the guard sees every hop, the first one included.
  return base.compose(refuseDowngrade, interceptors.redirect({ maxRedirections: MAX_REDIRECTS }))
}

function refuseDowngrade(dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] {
  // undici's redirect handler dispatches every hop of a request as itself: the scheme of the request's first URL.
  // (Were it ever a new object per hop, this would judge each hop by the one before: stricter, never looser.)
  const firstScheme = new WeakMap<Dispatcher.DispatchHandler, string>()
  return (opts, handler) => {
    const here = new URL(opts.path, opts.origin)
    const first = firstScheme.get(handler) ?? here.protocol
    firstScheme.set(handler, first)
    return dispatch(opts, first === 'https:' ? new DowngradeGuard(handler, here) : handler)
  }
}

/** Passes everything on, but a redirect to a URL that is not https fails the request instead of being followed. */
class DowngradeGuard implements Dispatcher.DispatchHandler {
  constructor(
    private readonly next: Dispatcher.DispatchHandler,
    private readonly here: URL
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.next.onRequestStart?.(controller, context)
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler['onRequestUpgrade']>>): void {
    this.next.onRequestUpgrade?.(...args)
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
    message?: string
  ): void {
    const location = REDIRECTS.has(status) ? [headers.location].flat()[0] : undefined
    const to = location ? parseUrl(location, this.here) : undefined
    // Thrown here, undici aborts the request with this error (as it does for its own "max redirects").
    if (to && to.protocol !== 'https:') {
      throw new InsecureRedirect(
        `redirected from secure URL ${redactUrl(this.here.href)} to insecure URL ${redactUrl(to.href)}`
      )
    }
    this.next.onResponseStart?.(controller, status, headers, message)
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.next.onResponseData?.(controller, chunk)
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.next.onResponseEnd?.(controller, trailers)
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.next.onResponseError?.(controller, error)
  }
}

function parseUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base)
  } catch {
    return undefined // undici fails the request on a Location it cannot parse
  }
}
