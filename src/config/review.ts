// Security review of the effective settings: each finding weakens module verification or exposes credentials or
// private module paths. Findings are warnings for the summary; none stops the run.
import { netrcMachineFor } from '../access/netrc.js'
import { isLoopbackHost } from '../lib/hosts.js'
import type { ProxyEntry, SecurityFinding } from '../types.js'
import { redact } from '../lib/redact.js'

export interface SecurityInput {
  GOSUMDB: string
  GONOSUMDB: string
  GOPRIVATE: string
  GOINSECURE: string
  GOFLAGS: string
  proxies: ProxyEntry[]
  /** Machines of the netrc entries (host, host:port or host/path prefix as go matches them). */
  netrcHosts: string[]
}

export function securityReview(s: SecurityInput): SecurityFinding[] {
  const out: SecurityFinding[] = []
  if (s.GOSUMDB.trim() === 'off') {
    out.push({
      title: 'Checksum database disabled',
      message:
        'GOSUMDB=off: modules missing from go.sum are accepted without verification against the checksum database.'
    })
  }
  if (s.GOINSECURE.trim() !== '') {
    out.push({
      title: 'Insecure module fetches allowed',
      message: `GOINSECURE=${s.GOINSECURE.trim()}: modules matching these patterns may be fetched over plain http or with unverified TLS certificates.`
    })
  }
  if (/(^|\s)--?insecure(=(true|1|t|TRUE|True|T))?(?=\s|$)/.test(s.GOFLAGS)) {
    out.push({
      title: 'GOFLAGS contains -insecure',
      message: 'GOFLAGS sets -insecure: go may fetch over plain http and skip TLS verification.'
    })
  }
  const broad = s.GONOSUMDB.split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && !coveredBy(p, s.GOPRIVATE))
  if (broad.length > 0) {
    out.push({
      title: 'GONOSUMDB broader than GOPRIVATE',
      message:
        `GONOSUMDB pattern(s) ${broad.join(', ')} are not covered by GOPRIVATE (${s.GOPRIVATE || 'empty'}): ` +
        'public modules under them skip the checksum database.'
    })
  }
  out.push(...plainHttpCredentials(s.proxies, s.netrcHosts))
  const leak = privateToPublic(s.proxies, s.netrcHosts, s.GOPRIVATE)
  if (leak) out.push(leak)
  return out.map((f) => ({ title: f.title, message: redact(f.message) }))
}

/** True when the go-style pattern `p` only matches paths that some GOPRIVATE pattern matches too. */
export function coveredBy(p: string, goprivate: string): boolean {
  const trimmed = p.replace(/\/+$/, '')
  const privates = goprivate.split(',').map((g) => g.trim().replace(/\/+$/, ''))
  // Identical text covers itself even where glob syntax (character classes) does not match its own text.
  if (privates.includes(trimmed)) return true
  // Reading the pattern's text as a module path is exact for literal patterns and for `*`/`?`, which match
  // themselves; a GOPRIVATE glob that matches that text matches everything the pattern can.
  return matchPrefixPatterns(goprivate, trimmed)
}

/** go's module.MatchPrefixPatterns: does any comma-separated glob match a leading run of path elements? */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  for (let glob of globs.split(',')) {
    glob = glob.trim().replace(/\/$/, '')
    if (glob === '') continue
    let n = glob.split('/').length - 1
    let prefix = target
    for (let i = 0; i < target.length; i++) {
      if (target[i] !== '/') continue
      if (n === 0) {
        prefix = target.slice(0, i)
        break
      }
      n--
    }
    if (n > 0) continue
    if (pathMatch(glob, prefix)) return true
  }
  return false
}

/** go's path.Match (`*`, `?`, `[...]` with ranges and `^`, `\` escapes); a malformed pattern matches nothing. */
export function pathMatch(pattern: string, name: string): boolean {
  let re = '^'
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '\\') {
      if (++i >= pattern.length) return false
      re += escapeRe(pattern[i])
    } else if (c === '[') {
      const end = classEnd(pattern, i + 1)
      if (end < 0) return false
      let body = pattern.slice(i + 1, end)
      const negated = body.startsWith('^')
      if (negated) body = body.slice(1)
      let items = ''
      for (let j = 0; j < body.length; j++) {
        // An escaped character is literal (even '-'); an unescaped '-' keeps its range meaning.
        const lit = body[j] === '\\' ? (body[++j] ?? '') : body[j]
        items += /[\]^\\[]/.test(lit) || (lit === '-' && body[j - 1] === '\\') ? '\\' + lit : lit
      }
      re += negated ? `[^${items}]` : `[${items}]`
      i = end
    } else re += escapeRe(c)
  }
  try {
    return new RegExp(re + '$').test(name)
  } catch {
    return false
  }
}

function classEnd(p: string, from: number): number {
  let i = from
  if (p[i] === '^') i++
  if (p[i] === ']') return -1 // go rejects an empty class
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++
    else if (p[i] === ']') return i
  }
  return -1
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c
}

function proxyUrl(p: ProxyEntry): URL | undefined {
  if (p.kind !== 'url') return undefined
  try {
    return new URL(p.url)
  } catch {
    return undefined
  }
}

/** go sends credentials with requests to this proxy: from its URL, or from netrc (https only: see netrcMachineFor). */
function hasCredentials(p: ProxyEntry, machines: string[]): boolean {
  const u = proxyUrl(p)
  return !!u && (u.username !== '' || u.password !== '' || netrcMachineFor(machines, u.href) !== undefined)
}

function plainHttpCredentials(proxies: ProxyEntry[], machines: string[]): SecurityFinding[] {
  return proxies
    .filter((p) => {
      const u = proxyUrl(p)
      return u?.protocol === 'http:' && !isLoopbackHost(u.hostname) && hasCredentials(p, machines)
    })
    .map((p) => ({
      title: 'Credentials over plain http',
      message: `${p.display} is reached over plain http with credentials: anyone on the network path can read them. Use https.`
    }))
}

function privateToPublic(proxies: ProxyEntry[], machines: string[], goprivate: string): SecurityFinding | undefined {
  if (goprivate.trim() !== '') return undefined
  const first = proxies.findIndex((p) => hasCredentials(p, machines))
  if (first < 0) return undefined
  const pub = proxies.slice(first + 1).find((p) => {
    const u = proxyUrl(p)
    return !!u && /^https?:$/.test(u.protocol) && !isLoopbackHost(u.hostname) && !hasCredentials(p, machines)
  })
  if (!pub) return undefined
  return {
    title: 'Private proxy fails over to a public one',
    message:
      `${proxies[first].display} needs credentials (a private proxy) and ${pub.display} follows it without ` +
      'credentials while GOPRIVATE is empty: when the private proxy fails or lacks a module, the paths of private ' +
      'modules are sent to the public proxy. List them in `goprivate`.'
  }
}
