// `go mod tidy -diff` only exists from Go 1.23. On older Go we tidy a snapshot and compare, and render the result in
// the same shape go prints so that one parser (tidy/drift.ts) and one report format serve every Go version.
import { structuredPatch, type StructuredPatchHunk } from 'diff'

/** Lines of context around each change, as go's internal/diff uses. */
const CONTEXT = 3

/**
 * What `go mod tidy -diff` prints on stdout for one file: `diff current/F tidy/F`, the `---`/`+++` lines, the hunks,
 * and the blank line that go's fmt.Println adds. '' when the texts are equal. So
 * `tidyDiff('go.mod', …) + tidyDiff('go.sum', …)` is what Go >= 1.23 prints for the same change.
 * The hunks come from jsdiff's line diff; on go.mod/go.sum edits they match go's anchored diff line for line, but
 * a different (equally valid) pairing of repeated lines is possible in unusual files.
 */
export function tidyDiff(file: 'go.mod' | 'go.sum', before: string, after: string): string {
  if (before === after) return ''
  const patch = structuredPatch(`current/${file}`, `tidy/${file}`, before, after, undefined, undefined, {
    context: CONTEXT
  })
  const out = [`diff current/${file} tidy/${file}`, `--- current/${file}`, `+++ tidy/${file}`]
  for (const hunk of patch.hunks.flatMap(splitHunk)) {
    out.push(hunkHeader(hunk), ...hunk.lines)
  }
  return out.join('\n') + '\n\n'
}

/** go writes `-0,0` for an empty side and otherwise the 1-based first line, like jsdiff's formatPatch. */
function hunkHeader(h: StructuredPatchHunk): string {
  const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart
  const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart
  return `@@ -${Math.max(0, oldStart)},${h.oldLines} +${Math.max(0, newStart)},${h.newLines} @@`
}

/**
 * jsdiff joins two changes separated by up to 2*CONTEXT unchanged lines into one hunk; go joins them only when fewer
 * than 2*CONTEXT lines separate them. Split a hunk at an inner run of exactly 2*CONTEXT unchanged lines.
 */
function splitHunk(hunk: StructuredPatchHunk): StructuredPatchHunk[] {
  const lines = hunk.lines
  let run = 0
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith(' ')) {
      run++
      continue
    }
    if (lines[i].startsWith('\\')) continue
    const runStart = i - run
    if (run === 2 * CONTEXT && runStart > 0) {
      const cut = runStart + CONTEXT
      const head = lines.slice(0, cut)
      const first: StructuredPatchHunk = {
        oldStart: hunk.oldStart,
        newStart: hunk.newStart,
        oldLines: count(head, '-'),
        newLines: count(head, '+'),
        lines: head
      }
      const rest: StructuredPatchHunk = {
        oldStart: hunk.oldStart + first.oldLines,
        newStart: hunk.newStart + first.newLines,
        oldLines: hunk.oldLines - first.oldLines,
        newLines: hunk.newLines - first.newLines,
        lines: lines.slice(cut)
      }
      return [first, ...splitHunk(rest)]
    }
    run = 0
  }
  return [hunk]
}

/** Lines of one side of a hunk: context lines count on both sides. */
function count(lines: string[], sign: '-' | '+'): number {
  return lines.filter((l) => l.startsWith(' ') || l.startsWith(sign)).length
}
