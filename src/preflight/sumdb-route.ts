// Where the checksum database is reached, decided the way the go command decides it
// (cmd/go/internal/modfetch/sumdb.go, dbDial + initBase, and proxy.go TryProxies), so that
// preflight probes the URL go will actually use. No host name is built in: the name always
// comes from GOSUMDB, whose default comes from `go env`.
import type { ProxyEntry } from '../types.js'

export interface SumdbConfig {
  /** Database name (host[/path]), the part of the key before the first '+'. */
  name: string
  /** The first GOSUMDB field: a bare name or a full verifier key. */
  key: string
  /** Explicit URL (second GOSUMDB field), which bypasses proxies. */
  url?: string
}

/**
 * Parses GOSUMDB ('off' | 'name' | 'name+key' | 'name+key url'). Returns undefined for 'off'.
 * Throws an Error naming GOSUMDB and the accepted form when the value cannot be what go accepts.
 */
export function parseGosumdb(gosumdb: string): SumdbConfig | undefined {
  const form = "accepted forms: 'off', '<name>', '<name>+<key>' or '<name>+<key> <url>'"
  if (gosumdb.trim() === 'off') return undefined
  const fields = gosumdb.trim().split(/\s+/).filter(Boolean)
  if (fields.length === 0) throw new Error(`GOSUMDB is empty; ${form}`)
  if (fields.length > 2) throw new Error(`GOSUMDB has too many fields; ${form}`)
  const key = fields[0]
  const name = key.split('+')[0]
  if (!validName(name)) throw new Error(`GOSUMDB names an invalid database "${name}" (must be host[/path]); ${form}`)
  if (fields.length === 1) return { name, key }
  const url = fields[1]
  if (!/^[a-z][a-z0-9+.-]*:\/\/\S/i.test(url)) throw new Error(`GOSUMDB has an invalid URL; ${form}`)
  return { name, key, url }
}

// go rejects names that are not exactly https://host[/path] once parsed: no userinfo, query,
// fragment, escaping or trailing slash.
function validName(name: string): boolean {
  return /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._~!$&'()*+,;=:-]+)*$/i.test(name) && !name.startsWith('.')
}

/** `base` joined with a path, the way go's web.Join does: exactly one '/' in between. */
export function joinUrl(base: string, path: string): string {
  const u = new URL(base)
  u.pathname = u.pathname.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '')
  return u.href
}

/** What a proxy said to `<proxy>/sumdb/<name>/supported`, with whatever the caller wants to keep. */
export interface SupportedAnswer {
  /** 'supported' = HTTP 200; 'not-found' = 404/410; 'error' = anything else, network errors included. */
  answer: 'supported' | 'not-found' | 'error'
}

export type SumdbRoute<T extends SupportedAnswer> =
  /** GOSUMDB carries an explicit URL: go uses it and asks no proxy. */
  | { via: 'explicit'; base: string }
  /** A proxy answered 200: go uses `<proxy>/sumdb/<name>` only, never direct. */
  | { via: 'proxy'; base: string; entry: ProxyEntry; answer: T }
  /** No proxy supports it (404/410, fallbacks, `direct`/`off`): `https://<name>`. */
  | { via: 'direct'; base: string }
  /** A proxy failed in a way go does not fall back from: the database is unavailable. */
  | { via: 'unavailable'; entry: ProxyEntry; answer: T }

/** The supported-check URL for one proxy. */
export function supportedUrl(proxyUrl: string, name: string): string {
  return joinUrl(proxyUrl, `sumdb/${name}/supported`)
}

/**
 * Decides the checksum database route. `ask(entry)` is called for url entries, in GOPROXY order,
 * and may have been started earlier (answers are awaited one by one, as go tries them one by one).
 * Mirrors TryProxies: a 404/410 or a keyword moves on; any other failure moves on only after '|';
 * 'direct' and 'off' end the list; an error ranks above not-found unless 'direct' was reached.
 */
export async function resolveSumdbRoute<T extends SupportedAnswer>(
  cfg: SumdbConfig,
  proxies: ProxyEntry[],
  ask: (entry: ProxyEntry) => Promise<T>
): Promise<SumdbRoute<T>> {
  if (cfg.url) return { via: 'explicit', base: cfg.url }
  const direct = 'https://' + cfg.name
  let bestError: { entry: ProxyEntry; answer: T } | undefined
  let reachedDirect = false
  for (const entry of proxies) {
    if (entry.kind === 'direct') {
      reachedDirect = true
      break
    }
    if (entry.kind === 'off') break
    const answer = await ask(entry)
    if (answer.answer === 'supported')
      return { via: 'proxy', base: joinUrl(entry.url, `sumdb/${cfg.name}`), entry, answer }
    if (answer.answer === 'error') {
      bestError = { entry, answer }
      if (entry.separator !== '|') break
    }
  }
  // go ranks the 'direct' outcome above proxy errors, and proxy errors above not-found.
  if (reachedDirect || !bestError) return { via: 'direct', base: direct }
  return { via: 'unavailable', ...bestError }
}
