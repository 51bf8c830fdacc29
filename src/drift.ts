// Drift: parse what `go mod tidy -diff` prints (or what unified-diff.ts renders for older Go) and turn it into
// one annotation per drifted file, at the go.mod/go.sum line a reviewer has to look at.
import type { Annotation } from './types.js'
import { describeGoMod } from './drift-gomod.js'
import { describeGoSum } from './drift-gosum.js'

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

/** Path of a module's file relative to the workspace, '/'-separated. */
export function workspacePath(moduleRel: string, file: string): string {
  const rel = moduleRel.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '')
  return rel === '' || rel === '.' ? file : `${rel}/${file}`
}

/**
 * The diffs as one unified diff with workspace-relative `a/…` and `b/…` names (what `git apply` expects), in place
 * of go's `current/…` and `tidy/…`.
 */
export function relabelDiff(d: FileDiff[], moduleRel: string): string {
  return d
    .map(f => {
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
  gosumText: string
): Annotation[] {
  const where = workspacePath(moduleRel, '').replace(/\/$/, '')
  const run = where ? `run \`go mod tidy\` in ${where} and commit the result` : 'run `go mod tidy` and commit the result'
  return diffs
    .filter(d => d.removed.length > 0 || d.added.length > 0)
    .map(d => {
      const { line, changes } = d.file === 'go.mod' ? describeGoMod(d, gomodText) : describeGoSum(d, gosumText)
      return {
        file: workspacePath(moduleRel, d.file),
        startLine: line,
        title: `${d.file} is not tidy`,
        message: `go mod tidy changes ${d.file} of ${modulePath}: ${changes}; ${run}.`
      }
    })
}
