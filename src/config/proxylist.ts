// GOPROXY list parsing, following the rules of go's modfetch (proxy.go, proxyList):
// entries are separated by ',' (fall back only on 404/410) or '|' (fall back on any error);
// 'direct' and 'off' are keywords; a token with ":/" or an absolute path must be a full URL;
// any other token gets an implicit "https://".
import type { ProxyEntry } from '../types.js'
import { redactUrl } from '../lib/redact.js'

export class ProxyListError extends Error {}

/** Parses a GOPROXY list. Newlines separate entries like ','. Throws ProxyListError naming `inputName`. */
export function parseProxyList(text: string, inputName = 'goproxy'): ProxyEntry[] {
  const entries: ProxyEntry[] = []
  const tokens = text.replace(/\r/g, '').split(/([,|\n])/)
  for (let i = 0; i < tokens.length; i += 2) {
    const token = tokens[i].trim()
    const sep = (tokens[i + 1] ?? '') as string
    if (token === '') continue
    const separator: ProxyEntry['separator'] = sep === '|' ? '|' : sep === '' ? '' : ','
    entries.push({ ...parseToken(token, inputName), separator })
  }
  if (entries.length === 0) {
    throw new ProxyListError(`${inputName}: the list is empty; give proxy URLs, "direct" or "off"`)
  }
  entries[entries.length - 1].separator = ''
  return entries
}

/** go's reading of a GOPROXY entry: a bare host[/path] means https:// (URLs and file paths stay as they are). */
export function withScheme(token: string): string {
  return !token.includes(':/') && !token.startsWith('/') ? 'https://' + token : token
}

function parseToken(token: string, inputName: string): Omit<ProxyEntry, 'separator'> {
  if (token === 'direct' || token === 'off') return { kind: token, url: '', display: token }
  // Registers the token's credentials as secrets before any message can show it.
  const shown = redactUrl(token)
  let raw = token
  if (!token.includes(':/') && !token.startsWith('/')) {
    if (!/[./]/.test(token)) {
      throw new ProxyListError(
        `${inputName}: "${shown}" is not a proxy; each entry is an http(s):// or file:// URL, "direct" or "off"`
      )
    }
    raw = withScheme(token)
  }
  let url: URL
  try {
    url = new URL(raw.startsWith('/') ? 'file://' + raw : raw)
  } catch {
    throw new ProxyListError(`${inputName}: "${shown}" is not a valid URL (expected http(s)://host/path)`)
  }
  if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
    throw new ProxyListError(
      `${inputName}: "${shown}" uses ${url.protocol}; proxies are http://, https:// or file:// URLs`
    )
  }
  const clean = raw.startsWith('/') ? 'file://' + raw : raw
  return { kind: 'url', url: clean, display: redactUrl(clean) }
}

/** Formats entries back into a GOPROXY value, joined by `sep` (or each entry's own separator). */
export function formatProxyList(entries: ProxyEntry[], sep?: ',' | '|', redacted = false): string {
  return entries
    .map((e, i) => {
      const text = e.kind === 'url' ? (redacted ? e.display : e.url) : e.kind
      const after = i === entries.length - 1 ? '' : (sep ?? (e.separator || ','))
      return text + after
    })
    .join('')
}

/** The entries that are real network proxies (http/https), in order. */
export function networkProxies(entries: ProxyEntry[]): ProxyEntry[] {
  return entries.filter((e) => e.kind === 'url' && /^https?:/i.test(e.url))
}
