// Secrets registry: every credential the action learns is masked for the runner (core.setSecret)
// and scrubbed from any text we print, summarise or output.
// Redaction runs over text from outside (go's output, a pull request's import paths), so it is a hand-written
// scanner that looks at each character a bounded number of times: a regular expression over such text took
// quadratic time on a long run of letters (issue 10).
import * as core from '@actions/core'

const secrets = new Set<string>()
let runnerMasks = true

/**
 * Whether secrets are also registered with the Actions runner (core.setSecret prints `::add-mask::` lines). On by
 * default; the command line turns it off, outside Actions those lines would print the secret. Redaction stays.
 */
export function setRunnerMasks(on: boolean): void {
  runnerMasks = on
}

/** Registers a secret with the runner and with `redact`. Empty and very short values are ignored. */
export function addSecret(value: string | undefined): void {
  if (!value || value.length < 3) return
  // URL credentials may also be seen percent-encoded or decoded.
  let decoded = value
  try {
    decoded = decodeURIComponent(value)
  } catch {
    /* not encoded */
  }
  for (const v of new Set([value, decoded, encodeURIComponent(decoded)])) {
    if (secrets.has(v)) continue
    secrets.add(v)
    if (runnerMasks) core.setSecret(v)
  }
}

/**
 * Registers the userinfo of one URL (`scheme://user:password@host...`, or go's scheme-less `user:password@host:port`
 * for an egress proxy) as secrets; returns the URL with it shown as `***`. The userinfo ends at the last `@` before
 * the host, so a password with an unencoded `/`, `#`, `?` or `@` is hidden whole.
 */
export function redactUrl(url: string): string {
  const sep = url.indexOf('://')
  const start = sep > 0 && isSchemeChar(url.charCodeAt(sep - 1)) ? sep + 3 : 0
  const at = userinfoEnd(url, start, url.length)
  if (at < 0) return url
  const userinfo = url.slice(start, at)
  addSecret(userinfo)
  const colon = userinfo.indexOf(':')
  if (colon >= 0) addSecret(userinfo.slice(colon + 1))
  return url.slice(0, start) + '***' + url.slice(at)
}

/** Replaces every registered secret, and the userinfo of every `scheme://` URL, in free text. Linear time. */
export function redact(text: string): string {
  let out = ''
  let copied = 0
  for (let sep = text.indexOf('://'); sep >= 0;) {
    const start = sep + 3
    const end = urlEnd(text, start)
    const at = sep > 0 && isSchemeChar(text.charCodeAt(sep - 1)) ? userinfoEnd(text, start, end) : -1
    if (at >= 0) {
      out += text.slice(copied, start) + '***'
      copied = at
    }
    // Any later `://` before `end` lies inside this URL (its path or query): the next URL starts past it.
    sep = text.indexOf('://', end)
  }
  out += text.slice(copied)
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***')
  return out
}

/** For tests: forget registered secrets. */
export function resetSecrets(): void {
  secrets.clear()
}

// Where a URL in free text ends: whitespace, quotes, angle brackets, backticks, and GOPROXY's `,` and `|` lists.
const URL_END = new Set([...' \t\r\n\f\v"\'<>`,|'].map((c) => c.charCodeAt(0)))

function urlEnd(text: string, from: number): number {
  let i = from
  while (i < text.length && !URL_END.has(text.charCodeAt(i))) i++
  return i
}

/** A letter, digit, `+`, `-` or `.`: what may precede `://` in a URL scheme. */
function isSchemeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46
}

/**
 * The index of the `@` that ends the userinfo of a URL whose authority starts at `start` and which ends at `end`,
 * or -1. That is the last `@` in the URL, except an `@` of the module proxy protocol's path (`/@v/`, `/@latest`).
 * A path with another `@` is hidden along with the userinfo: showing too little is safe, a password is not.
 */
function userinfoEnd(text: string, start: number, end: number): number {
  if (text.charCodeAt(start) === 47) return -1 // `scheme:///path`: no authority, so no userinfo
  for (let i = end - 1; i >= start; i--) {
    if (text.charCodeAt(i) !== 64) continue
    const protocolPath =
      text.charCodeAt(i - 1) === 47 && (text.startsWith('v/', i + 1) || text.startsWith('latest', i + 1))
    if (!protocolPath) return i > start ? i : -1
  }
  return -1
}
