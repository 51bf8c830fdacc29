// go's rules for module paths and versions in module proxy URLs, one home for them: golang.org/x/mod/module
// (CheckPath, EscapePath/UnescapePath, EscapeVersion/UnescapeVersion) and cmd/go's pathEscape (proxy.go).
// Upper case is written `!` + lower case (`example.com/BurntSushi` -> `example.com/!burnt!sushi`), and
// go percent-encodes the `!` in URLs. Every function is one pass over its input (the input is untrusted).

/** `!#$%&()+,-.=@[]^_{}~ ` and ASCII letters and digits: go's fileNameOK (versions are file-name elements). */
const FILE_NAME_PUNCT = new Set('!#$%&()+,-.=@[]^_{}~ ')
const WINDOWS_NAMES = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`com${i}`, `lpt${i}`])
])

const isDigit = (c: string): boolean => c >= '0' && c <= '9'
const isLower = (c: string): boolean => c >= 'a' && c <= 'z'
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z'
const isAlnum = (c: string): boolean => isDigit(c) || isLower(c) || isUpper(c)
const modPathOK = (c: string): boolean => isAlnum(c) || c === '-' || c === '.' || c === '_' || c === '~'
const firstPathOK = (c: string): boolean => isDigit(c) || isLower(c) || c === '-' || c === '.'
// Non-ASCII letters pass go's check of an unescaped version, though EscapeVersion then refuses them.
const fileNameOK = (c: string): boolean => isAlnum(c) || FILE_NAME_PUNCT.has(c) || (c > '\x7f' && /^\p{L}$/u.test(c))

type Kind = 'module' | 'file'

/** go's checkElem: why `elem` is not a valid path element of this kind, or undefined. */
function checkElem(elem: string, kind: Kind): string | undefined {
  if (elem === '') return 'empty path element'
  let dots = 0
  for (const c of elem) {
    if (c === '.') dots++
    if (!(kind === 'module' ? modPathOK(c) : fileNameOK(c))) return `invalid char ${JSON.stringify(c)}`
  }
  if (dots === elem.length) return `invalid path element ${JSON.stringify(elem)}`
  if (kind === 'module' && elem.startsWith('.')) return 'leading dot in path element'
  if (elem.endsWith('.')) return 'trailing dot in path element'
  const dot = elem.indexOf('.')
  const short = dot < 0 ? elem : elem.slice(0, dot)
  if (WINDOWS_NAMES.has(short.toLowerCase()))
    return `${JSON.stringify(short)} disallowed as path element component on Windows`
  const tilde = short.lastIndexOf('~')
  if (kind === 'module' && tilde >= 0 && tilde < short.length - 1 && [...short.slice(tilde + 1)].every(isDigit)) {
    return 'trailing tilde and digits in path element'
  }
  return undefined
}

/** go's SplitPathVersion `ok`: a `/vN` suffix has N >= 2 without a leading 0; gopkg.in paths end in `.vN`. */
function majorSuffixOK(path: string): boolean {
  if (path.startsWith('gopkg.in/')) {
    let i = path.endsWith('-unstable') ? path.length - '-unstable'.length : path.length
    while (i > 0 && isDigit(path[i - 1])) i--
    if (i <= 1 || path[i - 1] !== 'v' || path[i - 2] !== '.' || i === path.length) return false
    return path[i] !== '0' || path.slice(i - 2) === '.v0'
  }
  let i = path.length
  let dot = false
  while (i > 0 && (isDigit(path[i - 1]) || path[i - 1] === '.')) {
    if (path[i - 1] === '.') dot = true
    i--
  }
  if (i <= 1 || i === path.length || path[i - 1] !== 'v' || path[i - 2] !== '/') return true
  return !dot && path[i] !== '0' && path.slice(i) !== '1'
}

/** go's module.CheckPath: why `path` is not a valid module path, or undefined. */
export function checkModulePath(path: string): string | undefined {
  if (path === '') return 'empty string'
  if (path.startsWith('-')) return 'leading dash'
  if (path.includes('//')) return 'double slash'
  if (path.endsWith('/')) return 'trailing slash'
  const elems = path.split('/')
  for (const e of elems) {
    const bad = checkElem(e, 'module')
    if (bad) return bad
  }
  const first = elems[0]
  if (!first.includes('.')) return 'missing dot in first path element'
  const c = [...first].find((ch) => !firstPathOK(ch))
  if (c !== undefined) return `invalid char ${JSON.stringify(c)} in first path element`
  return majorSuffixOK(path) ? undefined : 'invalid version'
}

/** The check of go's EscapeVersion: why `v` cannot be a version in a proxy URL, or undefined. */
export function checkVersion(v: string): string | undefined {
  if (v.includes('!')) return 'disallowed version string'
  const bad = checkElem(v, 'file')
  return bad && `disallowed version string: ${bad}`
}

/** go's escapeString: upper case to `!` + lower case; undefined for `!` or non-ASCII (never valid). */
function escapeString(s: string): string | undefined {
  let out = ''
  for (const c of s) {
    if (c === '!' || c > '\x7f') return undefined
    out += isUpper(c) ? '!' + c.toLowerCase() : c
  }
  return out
}

/** go's unescapeString: undefined for upper case, non-ASCII, or a `!` not followed by a lower-case letter. */
function unescapeString(escaped: string): string | undefined {
  let out = ''
  let bang = false
  for (const c of escaped) {
    if (c > '\x7f') return undefined
    if (bang) {
      if (!isLower(c)) return undefined
      out += c.toUpperCase()
      bang = false
    } else if (c === '!') bang = true
    else if (isUpper(c)) return undefined
    else out += c
  }
  return bang ? undefined : out
}

/** go's EscapePath: `example.com/BurntSushi/toml` -> `example.com/!burnt!sushi/toml`; undefined when CheckPath fails. */
export function escapePath(path: string): string | undefined {
  return checkModulePath(path) === undefined ? escapeString(path) : undefined
}

/** go's UnescapePath: the module path of an escaped one; undefined when either form is invalid. */
export function unescapePath(escaped: string): string | undefined {
  const path = unescapeString(escaped)
  return path !== undefined && checkModulePath(path) === undefined ? path : undefined
}

/** go's EscapeVersion: `v1.0.0-RC1` -> `v1.0.0-!r!c1`; undefined for a version go never puts in a URL. */
export function escapeVersion(v: string): string | undefined {
  return checkVersion(v) === undefined ? escapeString(v) : undefined
}

/** go's UnescapeVersion; undefined when the escaped or the unescaped form is invalid. */
export function unescapeVersion(escaped: string): string | undefined {
  const v = unescapeString(escaped)
  return v !== undefined && checkElem(v, 'file') === undefined ? v : undefined
}

/** Bytes url.PathEscape leaves alone, plus `/`: cmd/go's pathEscape turns `%2F` back into `/`. */
const PATH_SAFE = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~$&+:=@/')

/** cmd/go's pathEscape (url.PathEscape, `/` kept): how go writes escaped paths and versions into proxy URLs. */
export function pathEscape(s: string): string {
  let out = ''
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += PATH_SAFE.has(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

// go's canonical versions (semver.Canonical, plus +incompatible): only these name content that never changes.
const CANONICAL =
  /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+incompatible)?$/

/** A canonical version (v1.2.3, v1.2.3-pre, a pseudo-version, v2.0.0+incompatible): what go fetches .mod/.zip for. */
export function isCanonicalVersion(v: string): boolean {
  return CANONICAL.test(v)
}
