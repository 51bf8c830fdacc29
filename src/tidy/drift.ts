// Drift: parse what `go mod tidy -diff` prints (or what tidy/unified-diff.ts renders for older Go) and turn it into
// one annotation per drifted file, at the go.mod/go.sum line a reviewer has to look at.
import type { Annotation } from '../types.js'
import { workspacePath } from '../lib/paths.js'
import { scanGoMod, type GoModScan, type RequireLine } from '../go/gomod.js'

export interface FileDiff {
  file: 'go.mod' | 'go.sum'
  /** The file's unified diff as go printed it, from the `---` line on (go's `current/`/`tidy/` names). */
  patch: string
  /** Lines tidy removes: 1-based line numbers in the current file. */
  removed: { line: number; text: string }[]
  /** Lines tidy adds, in order: each goes after this line of the current file (0 = at the top). */
  added: { afterLine: number; text: string }[]
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

/** Parses `go mod tidy -diff` stdout into one entry per file; '' or anything without a file diff gives []. */
export function parseTidyDiff(stdout: string): FileDiff[] {
  const out: FileDiff[] = []
  const lines = stdout.replace(/\r\n/g, '\n').split('\n')
  let current: { file: FileDiff['file']; lines: string[] } | undefined
  const flush = (): void => {
    if (current) out.push(fileDiff(current.file, current.lines))
    current = undefined
  }
  for (const line of lines) {
    const header = /^diff \S+ \S*?(go\.mod|go\.sum)$/.exec(line)
    if (header) {
      flush()
      current = { file: header[1] as FileDiff['file'], lines: [] }
    } else if (current) {
      current.lines.push(line)
    }
  }
  flush()
  return out
}

function fileDiff(file: FileDiff['file'], lines: string[]): FileDiff {
  // go's Println leaves a blank line after each file; no hunk line is ever empty (context lines start with ' ').
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  const d: FileDiff = { file, patch: lines.join('\n') + '\n', removed: [], added: [] }
  let old = 0 // lines of the current file consumed so far
  for (const line of lines) {
    const h = HUNK.exec(line)
    if (h) {
      // `-5,0` means "after line 5"; `-5,3` starts at line 5.
      const start = Number(h[1])
      old = h[2] === '0' ? start : start - 1
    } else if (line.startsWith('---') || line.startsWith('+++')) {
      continue
    } else if (line.startsWith(' ')) {
      old++
    } else if (line.startsWith('-')) {
      old++
      d.removed.push({ line: old, text: line.slice(1) })
    } else if (line.startsWith('+')) {
      d.added.push({ afterLine: old, text: line.slice(1) })
    }
  }
  return d
}

/**
 * The diffs as one unified diff with workspace-relative `a/…` and `b/…` names (what `git apply` expects), in place
 * of go's `current/…` and `tidy/…`.
 */
export function relabelDiff(d: FileDiff[], moduleRel: string): string {
  return d
    .map((f) => {
      const path = workspacePath(moduleRel, f.file)
      const body = f.patch.split('\n').filter((l, i) => !(i < 2 && (l.startsWith('---') || l.startsWith('+++'))))
      return [`--- a/${path}`, `+++ b/${path}`, ...body].join('\n').replace(/\n*$/, '\n')
    })
    .join('')
}

/** One `core.error`-ready annotation per drifted file. */
export function driftAnnotations(
  moduleRel: string,
  modulePath: string,
  diffs: FileDiff[],
  gomodText: string,
  gosumText: string,
  mode: 'check' | 'fix' = 'check'
): Annotation[] {
  const where = workspacePath(moduleRel, '').replace(/\/$/, '')
  const run =
    mode === 'fix'
      ? 'the tidy file is left in place for a later step to commit'
      : where
        ? `run \`go mod tidy\` in ${where} and commit the result`
        : 'run `go mod tidy` and commit the result'
  const verb = mode === 'fix' ? 'changed' : 'changes'
  return diffs
    .filter((d) => d.removed.length > 0 || d.added.length > 0)
    .map((d) => {
      const { line, changes } = d.file === 'go.mod' ? describeGoMod(d, gomodText) : describeGoSum(d, gosumText)
      return {
        file: workspacePath(moduleRel, d.file),
        startLine: line,
        title: mode === 'fix' ? `${d.file} was tidied` : `${d.file} is not tidy`,
        message: `go mod tidy ${verb} ${d.file} of ${modulePath}: ${changes}; ${run}.`
      }
    })
}

/** Longest list of changes a message spells out; annotations stay one readable line. */
const MAX_ITEMS = 8

function joinCapped(items: string[], sep: string): string {
  if (items.length <= MAX_ITEMS) return items.join(sep)
  return items.slice(0, MAX_ITEMS).join(sep) + `${sep}and ${items.length - MAX_ITEMS} more`
}

/** The tidy go.mod, rebuilt from the current text and the diff, with the new line number of every added line. */
function applyDiff(text: string, d: FileDiff): { text: string; addedAt: number[] } {
  const old = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')
  const removed = new Set(d.removed.map((r) => r.line))
  const next: string[] = []
  const addedAt: number[] = []
  let a = 0
  const insertAfter = (o: number): void => {
    for (; a < d.added.length && d.added[a].afterLine === o; a++) {
      next.push(d.added[a].text)
      addedAt.push(next.length)
    }
  }
  insertAfter(0)
  for (let o = 1; o <= old.length; o++) {
    if (!removed.has(o)) next.push(old[o - 1])
    insertAfter(o)
  }
  return { text: next.join('\n') + '\n', addedAt }
}

interface Change {
  text: string
  /** Line in the current go.mod (removed or changed requirement), or 0 for additions. */
  oldLine: number
  /** Line in the tidy go.mod for additions. */
  newLine: number
}

/** Requirement changes between two scans, paired by module path so a version bump reads as one change. */
function requireChanges(before: RequireLine[], after: RequireLine[]): Change[] {
  const paths = [...new Set([...before, ...after].map((r) => r.path))]
  const changes: Change[] = []
  const ind = (r: RequireLine): string => (r.indirect ? ' (indirect)' : '')
  for (const path of paths) {
    const olds = before.filter((r) => r.path === path)
    const news = after.filter((r) => r.path === path)
    // Identical requirements (maybe moved between blocks) are not changes.
    for (const o of [...olds]) {
      const i = news.findIndex((n) => n.version === o.version && n.indirect === o.indirect)
      if (i >= 0) {
        news.splice(i, 1)
        olds.splice(olds.indexOf(o), 1)
      }
    }
    const paired = Math.min(olds.length, news.length)
    for (let i = 0; i < paired; i++) {
      const [o, n] = [olds[i], news[i]]
      const text =
        o.version !== n.version
          ? `${path} ${o.version} -> ${n.version}${o.indirect !== n.indirect ? ind(n) || ' (direct)' : ''}`
          : `${path} ${o.version} now ${n.indirect ? 'indirect' : 'direct'}`
      changes.push({ text, oldLine: o.line, newLine: n.line })
    }
    for (const o of olds.slice(paired))
      changes.push({ text: `remove ${path} ${o.version}`, oldLine: o.line, newLine: 0 })
    for (const n of news.slice(paired)) {
      changes.push({ text: `add ${path} ${n.version}${ind(n)}`, oldLine: 0, newLine: n.line })
    }
  }
  return changes.sort((x, y) => (x.oldLine || Infinity) - (y.oldLine || Infinity) || x.newLine - y.newLine)
}

function directiveChanges(before: GoModScan, after: GoModScan): string[] {
  const out: string[] = []
  const change = (what: string, from?: string, to?: string): void => {
    if (from === to) return
    if (!from) out.push(`add ${what} ${to}`)
    else if (!to) out.push(`remove ${what} ${from}`)
    else out.push(`${what} ${from} -> ${to}`)
  }
  change('go directive', before.go?.version, after.go?.version)
  change('toolchain', before.toolchain?.name, after.toolchain?.name)
  return out
}

/**
 * Where an added requirement lands in the current go.mod: the require block go puts it in (read from where the diff
 * inserts it), else the last require block (go opened a new one after it), else line 1.
 */
function blockLine(before: GoModScan, d: FileDiff, afterLine: number): number {
  const removed = new Set(d.removed.map((r) => r.line))
  const joined = before.blocks.find(
    (b) => b.start <= afterLine && (afterLine < b.end || (afterLine === b.end && removed.has(afterLine)))
  )
  if (joined) return joined.start
  return before.blocks.length > 0 ? Math.max(...before.blocks.map((b) => b.start)) : 1
}

function describeGoMod(d: FileDiff, text: string): { line: number; changes: string } {
  const before = scanGoMod(text)
  const tidy = applyDiff(text, d)
  const after = scanGoMod(tidy.text)
  const reqs = requireChanges(before.requires, after.requires)
  const items = [...reqs.map((c) => c.text), ...directiveChanges(before, after)]
  let line = reqs.find((c) => c.oldLine > 0)?.oldLine ?? 0
  const added = reqs.find((c) => c.newLine > 0 && c.oldLine === 0)
  if (!line && added) {
    const i = tidy.addedAt.indexOf(added.newLine)
    line = blockLine(before, d, i >= 0 ? d.added[i].afterLine : Infinity)
  }
  if (!line && before.go && before.go.version !== after.go?.version) line = before.go.line
  if (!line && before.toolchain && before.toolchain.name !== after.toolchain?.name) line = before.toolchain.line
  if (!line) line = d.removed[0]?.line ?? (d.added[0] ? d.added[0].afterLine + 1 : 1)
  const changes = items.length > 0 ? joinCapped(items, '; ') : 'reformats requirements'
  return { line: Math.max(1, line), changes }
}

/** `path version[/go.mod] h1:…` -> `path version`. */
function sumModule(line: string): string {
  const [path, version = ''] = line.trim().split(/\s+/)
  return `${path} ${version.replace(/\/go\.mod$/, '')}`.trim()
}

function countByModule(lines: { text: string }[]): string[] {
  const counts = new Map<string, number>()
  for (const l of lines) {
    if (!l.text.trim()) continue
    const m = sumModule(l.text)
    counts.set(m, (counts.get(m) ?? 0) + 1)
  }
  return [...counts].map(([m, n], i) => (i === 0 ? `${n} checksum${n === 1 ? '' : 's'} for ${m}` : `${n} for ${m}`))
}

function describeGoSum(d: FileDiff, text: string): { line: number; changes: string } {
  const adds = countByModule(d.added)
  const removes = countByModule(d.removed)
  const parts: string[] = []
  if (adds.length) parts.push('adds ' + joinCapped(adds, ', '))
  if (removes.length) parts.push('removes ' + joinCapped(removes, ', '))
  const fileLines = text.replace(/\n$/, '').split('\n').length
  // An added line goes before the line that follows it; past the end, point at the last line.
  const line = d.removed[0]?.line ?? (d.added[0] ? Math.min(d.added[0].afterLine + 1, fileLines) : 1)
  return { line: Math.max(1, line), changes: parts.join('; ') || 'reformats checksums' }
}
