// go.mod text scanning: the module path (read without starting go: one process less per module, about 30 ms of a
// warm-cache step) and the line numbers that annotations need. go itself is the authority on what a go.mod means;
// tidy reports any go.mod it cannot parse, and the tests check this scanner against `go mod edit -json`.

export interface RequireLine {
  path: string
  version: string
  /** 1-based line number. */
  line: number
  indirect: boolean
}

/** 1-based lines; a single-line `require x v` is a block of one line. */
export interface RequireBlock {
  start: number
  end: number
  /** Every requirement in the block is marked `// indirect`. */
  indirect: boolean
}

export interface GoModScan {
  requires: RequireLine[]
  blocks: RequireBlock[]
  /** Line of the `module` directive, 0 when there is none. */
  moduleLine: number
  /** The module path, when there is a `module` directive. */
  modulePath?: string
  /** The `go` directive, when present. */
  go?: { version: string; line: number }
  /** The `toolchain` directive, when present. */
  toolchain?: { name: string; line: number }
  /** `ignore` directives (Go 1.25): directories go leaves out, `./x` at the module root or `x` at any depth. */
  ignores: string[]
  /** Module paths a `replace` directive replaces (any version): go never asks a proxy for these as required. */
  replaces: string[]
}

/** Splits a go.mod line into its tokens and its trailing `//` comment (go.mod has no other comment form). */
function splitComment(text: string): { body: string; comment: string } {
  // A `//` inside a quoted path is not a comment; go.mod strings are Go interpreted or raw strings. Most lines
  // quote nothing: their comment starts at the first `//`.
  if (!hasQuote(text)) {
    const at = text.indexOf('//')
    return at < 0
      ? { body: text.trim(), comment: '' }
      : { body: text.slice(0, at).trim(), comment: text.slice(at + 2).trim() }
  }
  let quote = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
    } else if (c === '"' || c === '`') {
      quote = c
    } else if (c === '/' && text[i + 1] === '/') {
      return { body: text.slice(0, i).trim(), comment: text.slice(i + 2).trim() }
    }
  }
  return { body: text.trim(), comment: '' }
}

/** Same rule as golang.org/x/mod/modfile isIndirect: the comment is `indirect` or starts with `indirect;`. */
function isIndirect(comment: string): boolean {
  const f = comment.split(/\s+/).filter(Boolean)
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;')
}

function unquote(token: string): string {
  if (token.startsWith('`') && token.endsWith('`') && token.length >= 2) return token.slice(1, -1)
  if (token.startsWith('"') && token.endsWith('"') && token.length >= 2) {
    try {
      return JSON.parse(token) as string
    } catch {
      return token.slice(1, -1)
    }
  }
  return token
}

/** Tokens of a statement body: bare words and quoted strings. */
function tokens(body: string): string[] {
  // A scanner, not a pattern: a go.mod comes from the pull request, and `"(?:[^"\\]|\\.)*"` is quadratic on a line
  // of unclosed quotes. Once a quote finds no closer, no later one can (escapes resync after a quote), so a line is
  // read once.
  if (!hasQuote(body)) return body.split(/\s+/).filter(Boolean) // the common line: words between spaces
  const out: string[] = []
  const closed = { '"': true, '`': true }
  let i = 0
  while (i < body.length) {
    const c = body[i]
    if (c === '"' || c === '`') {
      const end = closed[c] ? closer(body, i) : -1
      if (end < 0) closed[c] = false
      if (end >= 0) out.push(body.slice(i, end + 1))
      i = end >= 0 ? end + 1 : i + 1 // an unclosed quote is skipped, as go's tokenizer would fail on it
    } else if (isSpace(c)) i++
    else {
      let j = i
      while (j < body.length && !isSpace(body[j]) && body[j] !== '"' && body[j] !== '`') j++
      out.push(body.slice(i, j))
      i = j
    }
  }
  return out
}

const hasQuote = (s: string): boolean => s.includes('"') || s.includes('`')

/** `\s` as a regular expression reads it, without running one per character (ASCII first: a go.mod is ASCII). */
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\f' || (c > '\x7f' && /\s/.test(c))
}

/** Index of the quote closing the string that starts at `start`, or -1. */
function closer(s: string, start: number): number {
  if (s[start] === '`') return s.indexOf('`', start + 1)
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++
    else if (s[i] === '"') return i
  }
  return -1
}

/**
 * Parses one requirement line's text: `require path version`, or `path version` inside a block (`inBlock`).
 * Returns undefined for anything else (block brackets, other directives, comments).
 */
export function parseRequireText(
  text: string,
  inBlock: boolean
): { path: string; version: string; indirect: boolean } | undefined {
  const { body, comment } = splitComment(text)
  let t = tokens(body)
  if (!inBlock) {
    if (t[0] !== 'require') return undefined
    t = t.slice(1)
  }
  if (t.length !== 2 || t[0] === '(' || t[0] === ')') return undefined
  return { path: unquote(t[0]), version: unquote(t[1]), indirect: isIndirect(comment) }
}

/** Scans go.mod text for requirements, require blocks, replaced paths and the module/go/toolchain directives. */
export function scanGoMod(text: string): GoModScan {
  const scan: GoModScan = { requires: [], blocks: [], moduleLine: 0, ignores: [], replaces: [] }
  const lines = text.split('\n')
  // The verb of the block we are in (`require`, `replace`, ...), and where it started.
  let block: { verb: string; start: number; first: number } | undefined
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1
    const { body } = splitComment(lines[i].replace(/\r$/, ''))
    if (!body) continue
    if (block) {
      if (body === ')') {
        if (block.verb === 'require') closeBlock(scan, block.start, n, block.first)
        block = undefined
      } else if (block.verb === 'require') {
        const r = parseRequireText(lines[i], true)
        if (r) scan.requires.push({ ...r, line: n })
      } else if (block.verb === 'module' && scan.modulePath === undefined) {
        scan.modulePath = unquote(tokens(body)[0])
      } else if (block.verb === 'ignore') {
        scan.ignores.push(unquote(tokens(body)[0]))
      } else if (block.verb === 'replace') {
        replaced(scan, tokens(body))
      }
      continue
    }
    const opened = /^([A-Za-z]+)\s*\($/.exec(body)
    if (opened) {
      block = { verb: opened[1], start: n, first: scan.requires.length }
      if (opened[1] === 'module' && !scan.moduleLine) scan.moduleLine = n
      continue
    }
    directive(scan, lines[i], body, n)
  }
  return scan
}

function directive(scan: GoModScan, raw: string, body: string, n: number): void {
  const t = tokens(body)
  if (t[0] === 'module' && !scan.moduleLine) {
    scan.moduleLine = n
    if (t.length === 2) scan.modulePath = unquote(t[1])
  } else if (t[0] === 'go' && t.length === 2) scan.go = { version: t[1], line: n }
  else if (t[0] === 'toolchain' && t.length === 2) scan.toolchain = { name: t[1], line: n }
  else if (t[0] === 'ignore' && t.length === 2) scan.ignores.push(unquote(t[1]))
  else if (t[0] === 'replace') replaced(scan, t.slice(1))
  else if (t[0] === 'require') {
    const r = parseRequireText(raw, false)
    if (!r) return
    scan.requires.push({ ...r, line: n })
    scan.blocks.push({ start: n, end: n, indirect: r.indirect })
  }
}

/** `old [version] => new [version]`: records `old`. */
function replaced(scan: GoModScan, t: string[]): void {
  const arrow = t.indexOf('=>')
  if (arrow === 1 || arrow === 2) return void scan.replaces.push(unquote(t[0]))
  // `=>` without spaces is a line go cannot parse, but it still names a path the user does not want fetched from a
  // proxy (often a private one): it counts as replaced.
  if (t.length > 0 && t.some((x) => x.includes('=>'))) scan.replaces.push(unquote(t[0].split('=>')[0]))
}

function closeBlock(scan: GoModScan, start: number, end: number, first: number): void {
  const inside = scan.requires.slice(first)
  scan.blocks.push({ start, end, indirect: inside.length > 0 && inside.every((r) => r.indirect) })
}
