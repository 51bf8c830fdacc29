// What a module proxy URL that go printed asks for, in words a user knows: `example.com/BigCorp/Lib@v1.2.0 (.mod)`
// instead of `http://127.0.0.1:PORT/<relay prefix>/example.com/%21big%21corp/%21lib/@v/v1.2.0.mod`. The relay's
// address means nothing to the user (and changes every run); the module and version do.
import { unescapePath, unescapeVersion } from '../lib/modpath.js'

/** The module request of a proxy path (after the proxy's base), in words; undefined when it is not one. */
export function describeProxyPath(path: string): string | undefined {
  let p: string
  try {
    p = decodeURIComponent(path.replace(/^\/+/, ''))
  } catch {
    return undefined
  }
  const sumdb = /^sumdb\/([^/]+)\/(.*)$/.exec(p)
  if (sumdb) return `the checksum database ${sumdb[1]} (${sumdb[2]})`
  const at = p.lastIndexOf('/@')
  if (at < 0) return undefined
  const mod = unescapePath(p.slice(0, at))
  const rest = p.slice(at + 1)
  if (mod === undefined) return undefined
  if (rest === '@latest') return `${mod}@latest`
  if (rest === '@v/list') return `the version list of ${mod}`
  const file = /^@v\/(.+)\.(info|mod|zip)$/.exec(rest)
  const version = file ? unescapeVersion(file[1]) : undefined
  return version === undefined ? undefined : `${mod}@${version} (.${file![2]})`
}

/** The module@version a proxy path asks for (`.info`/`.mod`/`.zip`), for messages; undefined otherwise. */
export function moduleOfProxyPath(path: string): string | undefined {
  return describeProxyPath(path)?.replace(/ \(\.(info|mod|zip)\)$/, '')
}

/**
 * `text` with every URL under the relay's base written as what it asks for, "through the relay". One pass over
 * the text per occurrence of the base (a literal search, no pattern over untrusted text).
 */
export function describeRelayUrls(text: string, relayUrl: string | undefined): string {
  if (!relayUrl) return text
  const parts = text.split(relayUrl)
  let out = parts[0]
  for (const part of parts.slice(1)) {
    let end = 0
    while (end < part.length && !/[\s"':]/.test(part[end])) end++
    const what = describeProxyPath(part.slice(0, end))
    out += (what ? `${what} through the relay` : 'the relay') + part.slice(end)
  }
  return out
}
