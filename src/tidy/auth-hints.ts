// Hints for authentication failures in go's output, each naming the input that fixes it. tidy/classify.ts decides
// *that* a failure is `auth`; this decides *which* credential is missing: git's (token, private-hosts) or a
// proxy's (credentials in goproxy, netrc).
import { netrcMachineFor } from '../access/netrc.js'
import { quoteServerText } from '../preflight/hints.js'
import { moduleOfProxyPath } from './proxy-request.js'
import { redact } from '../lib/redact.js'
import type { ClassifiedError } from '../types.js'

export interface AuthContext {
  /** A token was given (input `token`). */
  tokenSet: boolean
  /** Hosts that get the token (from privateHosts()). */
  privateHosts: string[]
  /** Machines that have netrc credentials. */
  netrcHosts: string[]
  /** The relay's base URL when go talks to the relay: its 401/403 come from an upstream, not from plain http. */
  relayUrl?: string
  /** Hosts (host[:port], lower case) of the module proxies that get credentials: URL userinfo or netrc. */
  proxyCredentialHosts?: string[]
}

// git, asked for a password it may not prompt for: "fatal: could not read Username for 'https://host': terminal
// prompts disabled". Also a plain "Authentication failed for 'https://host/repo/'".
const GIT_PROMPT = /could not read (?:Username|Password) for '([a-z]+:\/\/[^']+)'|terminal prompts disabled/i
const GIT_FAILED = /Authentication failed for '([a-z]+:\/\/[^']+)'/i
// go's HTTP client: "reading https://host/path/@v/list: 401 Unauthorized" (also 403 Forbidden).
const HTTP_DENIED = /reading (https?:\/\/\S+?):? (40[13]) (?:Unauthorized|Forbidden)/

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return undefined
  }
}

/** A hint naming the input that fixes the auth failure in `output`, or undefined when it is not one we know. */
export function authHint(output: string, ctx: AuthContext): string | undefined {
  const git = GIT_PROMPT.exec(output) ?? GIT_FAILED.exec(output)
  if (git) return redact(gitHint(hostOf(git[1]), ctx))
  const http = HTTP_DENIED.exec(output)
  if (http && ctx.relayUrl && http[1].startsWith(ctx.relayUrl)) {
    return redact(
      `An upstream proxy answered ${http[2]}: check the credentials in the \`goproxy\` URLs and the \`netrc\` input ` +
        '(see the proxy statistics for which upstream).'
    )
  }
  if (http) return redact(proxyHint(http[1], http[2], ctx))
  return undefined
}

/**
 * A 403 from a module proxy that was sent no credentials is the mirror's policy refusing that module or version (an
 * allow-list, "this module version is not available"), not an authentication problem: said so, naming the module.
 */
export function policyRefusal(output: string, ctx: AuthContext): ClassifiedError | undefined {
  const http = HTTP_DENIED.exec(output)
  if (!http || http[2] !== '403') return undefined
  const url = http[1]
  const viaRelay = ctx.relayUrl !== undefined && url.startsWith(ctx.relayUrl)
  const creds = ctx.proxyCredentialHosts ?? []
  const host = hostOf(url)
  if (
    viaRelay
      ? creds.length > 0
      : host === undefined || creds.includes(host) || netrcMachineFor(ctx.netrcHosts, url) !== undefined
  ) {
    return undefined
  }
  const asked = moduleOfUrl(url, viaRelay ? ctx.relayUrl : undefined) ?? 'a module'
  const who = viaRelay ? 'An upstream module proxy' : `The module proxy ${host}`
  const said = quoteServerText(/server response:\s*(.*)/.exec(output)?.[1])
  return {
    class: 'policy',
    transient: false,
    message: redact(
      `${who} refused ${asked} with 403 Forbidden${said ? ` ("${said}")` : ''}, and no credentials were configured for it`
    ),
    hint:
      `No credentials go to this proxy, so its 403 is its policy refusing ${asked}: if that module is private, list it ` +
      "in `goprivate` (go then fetches it directly, with the `token` input); otherwise ask the mirror's owners to allow it."
  }
}

/** The module@version a proxy URL asks for, trying the path after the relay's base or after the proxy's own base. */
function moduleOfUrl(url: string, base: string | undefined): string | undefined {
  let path: string
  try {
    path = base ? url.slice(base.length) : new URL(url).pathname
  } catch {
    return undefined
  }
  const segments = path.split('/').filter(Boolean)
  for (let i = 0; i < segments.length; i++) {
    const m = moduleOfProxyPath(segments.slice(i).join('/'))
    if (m) return m
  }
  return undefined
}

function gitHint(host: string | undefined, ctx: AuthContext): string {
  const where = host ? `https://${host}` : 'the module host'
  if (!ctx.tokenSet) {
    return (
      `git needs credentials for ${where}: pass a token with read access to the private repositories in the ` +
      '`token` input' +
      (host ? ` and make sure \`private-hosts\` includes ${host}.` : '.')
    )
  }
  if (host && !ctx.privateHosts.includes(host)) {
    return (
      `The token is only sent to ${ctx.privateHosts.join(', ') || 'no host'}; add ${host} to the \`private-hosts\` ` +
      'input so git uses it there.'
    )
  }
  return `${where} refused the \`token\`: give a token that can read the private repositories (it needs at least read access to their contents).`
}

function proxyHint(url: string, status: string, ctx: AuthContext): string {
  const host = hostOf(url)
  const display = host ?? 'the proxy'
  const hasNetrc = netrcMachineFor(ctx.netrcHosts, url) !== undefined
  if (status === '403') {
    return (
      `${display} answered 403 Forbidden: the credentials were accepted but lack access; check the user in the ` +
      '`goproxy` URL or the `netrc` entry for this host.'
    )
  }
  if (url.startsWith('http:')) {
    return (
      `${display} answered 401 over plain http: go never sends netrc credentials over http; use an https proxy URL, ` +
      'or put the credentials into the `goproxy` URL (https://USER:PASSWORD@host/path).'
    )
  }
  if (hasNetrc) {
    return `${display} rejected the credentials from the \`netrc\` input: check its login and password for this host.`
  }
  return (
    `${display} requires credentials: add a \`netrc\` line "machine ${host ?? 'HOST'} login USER password SECRET" ` +
    '(use host:port when the port is not 443), or put them into the `goproxy` URL.'
  )
}
