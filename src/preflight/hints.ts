// Verdicts from probe outcomes, and the one-line hint a user can act on for each.
import type { ProbeOutcome } from './probe.js'
import type { ProbeResult, Verdict } from '../types.js'

/** What the HTTP request of a probe was: a module's `.info`, a version list, or a checksum database's. */
export type RequestKind = 'proxy-module' | 'proxy-list' | 'sumdb-supported' | 'sumdb-latest'

/**
 * The verdict for an outcome. A sumdb-supported 404/410 is judged by the sumdb route, not here. `credentialed`:
 * the request carried credentials (URL userinfo or netrc), so a 403 is about them.
 */
export function verdictOf(o: ProbeOutcome, kind: RequestKind, credentialed = false): Verdict {
  const f = o.failure
  if (f) {
    if (f.kind !== 'egress') return f.kind
    return f.status === 407 ? 'auth' : `http-${f.status ?? 0}`
  }
  const s = o.status ?? 0
  if (kind === 'proxy-module' || kind === 'proxy-list')
    return proxyVerdict(s, kind === 'proxy-list' || isInfo(o.body), credentialed)
  if (s === 200) return 'ok'
  if (s === 401 || s === 403) return 'auth'
  return `http-${s}`
}

/**
 * A module proxy is judged by whether it speaks the protocol, not by whether it has or allows one module: "not
 * found" (404/410) and a filtering mirror's policy refusal (400, or 403 without credentials) are protocol answers.
 */
function proxyVerdict(s: number, protocolBody: boolean, credentialed: boolean): Verdict {
  if (s === 200) return protocolBody ? 'ok' : 'http-200'
  if (s === 404 || s === 410 || s === 400) return 'ok'
  // Mirrors that redirect downloads to storage (Athens, Artifactory): go and the relay follow the redirect.
  if (s >= 301 && s <= 308 && s !== 304 && s !== 305 && s !== 306) return 'ok'
  if (s === 403) return credentialed ? 'auth' : 'ok'
  if (s === 401) return 'auth'
  return `http-${s}`
}

/** A `.info` answer: JSON with a Version string (a captive portal's or login page's 200 is not one). */
function isInfo(body: string | undefined): boolean {
  try {
    const v = JSON.parse(body ?? '') as { Version?: unknown }
    return typeof v?.Version === 'string'
  } catch {
    return false
  }
}

/** The first line of a server's text, reduced to plain characters that cannot render as Markdown or HTML. */
export function quoteServerText(body: string | undefined, max = 100): string {
  const line = (body ?? '').split('\n').find((l) => l.trim() !== '') ?? ''
  const plain = line
    .replace(/[^A-Za-z0-9 .,:;'()/@+=!?-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return plain.length > max ? plain.slice(0, max) + '…' : plain
}

export interface HintContext {
  role: ProbeResult['role']
  /** `path@version` of the module a proxy probe asked for, when it asked for a real one. */
  module?: string
  /** host[:port] of the endpoint. */
  host: string
  timeoutMs: number
  outcome: ProbeOutcome
}

export const UNFINISHED_HINT =
  'Not finished: tidy completed before this probe did, so it was stopped; nothing is known to be wrong with it.'

/** One sentence the user can act on. */
export function hintFor(verdict: Verdict, c: HintContext): string {
  const what = c.role === 'proxy' ? 'module proxy' : 'checksum database'
  const via = c.outcome.via
  const f = c.outcome.failure
  // Failures before the tunnel is up are the egress proxy's, not the endpoint's.
  const atEgress = via !== undefined && f !== undefined && (f.stage === 'dns' || f.stage === 'tcp')
  const egressWhat = `the egress proxy ${via ?? ''} (HTTPS_PROXY/HTTP_PROXY)`
  switch (verdict) {
    case 'unfinished':
      return `Not finished: no answer yet after ${(c.timeoutMs / 1000).toFixed(1)} s (${f?.stage ?? 'http'} stage) when tidy completed, so it was stopped; nothing is known to be wrong with it.`
    case 'ok':
      return okHint(c, what)
    case 'dns':
      return atEgress
        ? `The host of ${egressWhat} does not resolve: check that variable and the runner's DNS.`
        : `${c.host} does not resolve: check the host name in the URL and the runner's DNS (a private host needs a runner inside that network).`
    case 'refused':
      return atEgress
        ? `Nothing accepts connections at ${egressWhat}: check its host and port.`
        : `${c.host} refused the connection: check the port in the URL and that the service is running; a firewall may be rejecting it.`
    case 'timeout':
      return (
        `No answer within ${(c.timeoutMs / 1000).toFixed(1)} s (stuck in the ${f?.stage ?? 'http'} stage): a firewall may drop the traffic ` +
        `or the server hangs; the relay tries healthy upstreams first, and preflight-timeout can be raised if it is just slow.`
      )
    case 'tls-untrusted': {
      const cert = c.outcome.certificate
      const shown = cert ? ` (subject "${cert.subject}", issuer "${cert.issuer}")` : ''
      const whose = atEgress ? egressWhat : c.host
      return (
        `The certificate presented for ${whose}${shown} is not trusted: if a TLS-intercepting proxy sits in between ` +
        `or the server uses a private CA, give that CA certificate (PEM) to the \`ca-certificates\` input.`
      )
    }
    case 'tls-other':
      return `TLS with ${atEgress ? egressWhat : c.host} failed (${f?.code ?? 'handshake'}): check that the URL's scheme and port are right and that the certificate is valid for this host and not expired.`
    case 'auth':
      if (f?.kind === 'egress')
        return `${egressWhat} asks for credentials (407): put them in its URL (http://user:password@host:port).`
      return (
        `${c.host} requires credentials: put them in the URL (https://user:token@host/...), give netrc lines to the \`netrc\` ` +
        `input, or, for private modules fetched directly, use the \`token\` input.`
      )
    case 'unreachable':
      return `${atEgress ? egressWhat : c.host} cannot be reached (${f?.code ?? f?.message ?? 'network error'}): check the network route, firewall and HTTPS_PROXY/NO_PROXY.`
    default:
      return httpHint(verdict, c, what, egressWhat)
  }
}

function okHint(c: HintContext, what: string): string {
  const s = c.outcome.status
  const through = c.outcome.via ? `, through the egress proxy ${c.outcome.via}` : ''
  const asked = c.module ?? 'the probed module'
  if (c.role === 'proxy' && (s === 400 || s === 403)) {
    const said = quoteServerText(c.outcome.body)
    return (
      `The ${what} answers${through}, but its policy refuses ${asked} (HTTP ${s}${said ? `: "${said}"` : ''}): if that ` +
      "module is private, list it in `goprivate`; otherwise ask the mirror's owners to allow it."
    )
  }
  if (c.role === 'proxy' && s !== undefined && s >= 300 && s < 400) {
    const to = c.outcome.location ? ` to ${quoteServerText(c.outcome.location, 200)}` : ''
    return `The ${what} answers${through} with a redirect (HTTP ${s}${to}), which go and the relay follow.`
  }
  if (c.role === 'proxy' && (s === 404 || s === 410) && c.module)
    return `The ${what} answers${through}; it does not have ${asked} (HTTP ${s}).`
  return `The ${what} answers${through}.`
}

function httpHint(verdict: Verdict, c: HintContext, what: string, egressWhat: string): string {
  const status = Number(verdict.slice('http-'.length))
  if (c.outcome.failure?.kind === 'egress') {
    return `${egressWhat} refused to open a tunnel to ${c.host} (HTTP ${status}): ask for this host to be allowed, or add it to NO_PROXY if it is reachable directly.`
  }
  if (status >= 500)
    return `${c.host} answers HTTP ${status}: the ${what} is failing; the relay retries it and fails over to other upstreams meanwhile.`
  if (status === 429)
    return `${c.host} rate-limits requests (HTTP 429): the relay backs off and fails over; consider a mirror or credentials with a higher quota.`
  if (status >= 300 && status < 400) {
    return `${c.host} redirects (HTTP ${status}${c.outcome.location ? ` to ${c.outcome.location}` : ''}): point the URL at the final location.`
  }
  if (c.role === 'sumdb')
    return `${c.host} does not serve a checksum database at this URL (HTTP ${status}): check GOSUMDB.`
  if (status === 200) {
    return `${c.host} answers HTTP 200, but not with a module proxy's answer (a login page or captive portal?): check that the URL is a Go module proxy.`
  }
  return `${c.host} answers HTTP ${status} to a module request: check that the URL is a Go module proxy (GOPROXY protocol) and its path is complete.`
}
