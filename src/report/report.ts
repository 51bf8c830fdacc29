// Reporting reads one RunResult and writes annotations, outputs and the job summary. Nothing else logs ad hoc.
// Fail-soft: a reporting problem is a warning, never the reason a step fails.
import * as core from '@actions/core'
import type { RunResult } from '../types.js'
import { redact } from '../lib/redact.js'
import { renderSummary } from './summary.js'
export { readAheadText } from './summary.js'
import { logUntrusted } from '../lib/log-safe.js'
import { workspacePath } from '../lib/paths.js'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

/** GitHub keeps 1 MB of outputs per job: the `diff` output is capped well under; the whole diff is in `diff-file`. */
export const DIFF_OUTPUT_CAP = 256 * 1024

/** The lists' share of the 1 MB: `changed-files` and `modules` each (the diff has its own cap; the rest is small). */
export const LIST_OUTPUT_CAP = 192 * 1024

/** Writes the outputs; returns a note for each list that had to be cut (reportAnnotations shows them). */
export function reportOutputs(r: RunResult): string[] {
  const drifted = r.modules.filter((m) => m.status === 'drift' || m.status === 'fixed')
  const diff = redact(drifted.map((m) => m.diff).join(''))
  core.setOutput('drift', drifted.length > 0 ? 'true' : 'false')
  core.setOutput('diff', capped(diff))
  if (diff) core.setOutput('diff-file', writeDiffFile(diff))
  const notes: string[] = []
  const files = fitting(
    r.modules.flatMap((m) => m.changedFiles),
    1
  )
  const dirs = fitting(
    r.modules.map((m) => m.module.rel),
    3
  )
  core.setOutput('changed-files', files.kept.join('\n'))
  core.setOutput('modules', JSON.stringify(dirs.kept))
  if (files.left)
    notes.push(
      `changed-files lists ${files.kept.length} files; ${files.left} more are in the job summary and diff-file.`
    )
  if (dirs.left)
    notes.push(`modules lists ${dirs.kept.length} module directories; ${dirs.left} more are in the job summary.`)
  if (r.goproxy !== undefined) core.setOutput('goproxy', redact(r.goproxy))
  if (r.preflight) core.setOutput('preflight', redact(JSON.stringify(r.preflight)))
  if (r.cache) core.setOutput('cache-hit', r.cache.restore === 'hit' ? 'true' : 'false')
  return notes
}

/** The leading items whose text (plus `sep` bytes each) fits LIST_OUTPUT_CAP, and how many are left out. */
function fitting(items: string[], sep: number): { kept: string[]; left: number } {
  let size = 2
  let n = 0
  while (n < items.length && size + Buffer.byteLength(items[n]) + sep <= LIST_OUTPUT_CAP)
    size += Buffer.byteLength(items[n++]) + sep
  return { kept: items.slice(0, n), left: items.length - n }
}

function capped(diff: string): string {
  if (Buffer.byteLength(diff) <= DIFF_OUTPUT_CAP) return diff
  const head = Buffer.from(diff).subarray(0, DIFF_OUTPUT_CAP).toString('utf8')
  const cut = head.slice(0, Math.max(0, head.lastIndexOf('\n') + 1))
  return `${cut}# go-tidy-guard: the diff is cut here (${Buffer.byteLength(diff)} bytes in all); the whole diff is in the file named by the diff-file output\n`
}

/** The whole (redacted) diff, for an upload-artifact step: a file under RUNNER_TEMP. */
function writeDiffFile(diff: string): string {
  const file = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `go-tidy-guard-${randomUUID()}.diff`)
  writeFileSync(file, diff)
  return file
}

/** GitHub shows 10 error, 10 warning and 10 notice annotations per step and drops the rest silently. */
export const ANNOTATIONS_SHOWN = 10

interface Note {
  message: string
  props: core.AnnotationProperties
}

/**
 * The most useful annotations first, at most ANNOTATIONS_SHOWN of each level: the first annotation of every drifted
 * module, then failures, then the drifted modules' other lines; past the limit, one annotation that says how many
 * more there are and where they are.
 */
export function reportAnnotations(r: RunResult, outputNotes: string[] = []): void {
  const first: Note[] = []
  const rest: Note[] = []
  const failed: Note[] = []
  for (const m of r.modules) {
    m.annotations.forEach((a, i) =>
      (i === 0 ? first : rest).push({
        message: a.message,
        props: { title: a.title, file: a.file, startLine: a.startLine }
      })
    )
    if (m.error) {
      const file = workspacePath(m.module.rel, 'go.mod')
      failed.push({
        message: `${m.error.message}\n${m.error.hint}`,
        props: { title: `go mod tidy failed in ${m.module.rel} (${m.error.class})`, file }
      })
    }
  }
  // The failing step's own line (core.setFailed) is an error annotation too: one place is kept for it.
  const errorsShown = ANNOTATIONS_SHOWN - 1
  // Caching is fail-soft: a failed restore is a warning, a deliberate skip a notice (counted with the others).
  const cacheNote = r.cache?.note ? [{ message: r.cache.note, props: { title: 'Module cache' } }] : []
  const cacheNotice = r.cache?.restore === 'failed' ? [] : cacheNote
  if (r.mode === 'fix') {
    emit(core.notice, [...cacheNotice, ...first, ...rest])
    emit(core.error, failed, errorsShown)
  } else {
    emit(core.error, [...first, ...failed, ...rest], errorsShown)
    emit(core.notice, cacheNotice)
  }
  const warnings: Note[] = (r.security ?? []).map((s) => ({ message: s.message, props: { title: s.title } }))
  if (r.cache?.restore === 'failed') warnings.push(...cacheNote)
  for (const message of outputNotes) warnings.push({ message, props: { title: 'Outputs' } })
  for (const p of r.preflight ?? []) {
    if (p.verdict !== 'ok' && p.verdict !== 'unfinished')
      warnings.push({ message: `${p.endpoint}: ${p.verdict}. ${p.hint}`, props: { title: 'Preflight' } })
  }
  emit(core.warning, warnings)
}

function emit(
  level: (message: string, props: core.AnnotationProperties) => void,
  notes: Note[],
  limit = ANNOTATIONS_SHOWN
): void {
  const shown = notes.length <= limit ? notes : notes.slice(0, limit - 1)
  for (const n of shown) level(redact(n.message), n.props)
  const more = notes.length - shown.length
  if (more > 0)
    level(
      `${more} more like these (GitHub shows ${ANNOTATIONS_SHOWN} per step): see the job summary and the step log.`,
      { title: 'go-tidy-guard' }
    )
}

/** go's own output for failed modules, folded into a group per module (core escapes the title). */
export function reportLog(r: RunResult): void {
  for (const m of r.modules) {
    if (!m.error?.output) continue
    core.startGroup(`go output for ${m.module.rel}`)
    logUntrusted(m.error.output)
    core.endGroup()
  }
}

/** One line that says why the step fails, or undefined when it passes. */
export function failureMessage(r: RunResult): string | undefined {
  if (r.fatal) return redact(r.fatal)
  const errors = r.modules.filter((m) => m.status === 'error')
  if (errors.length > 0) {
    const first = errors[0].error
    const list = names(errors.map((m) => `${m.module.rel} (${m.error?.class})`))
    return redact(`go mod tidy failed for ${list}: ${first?.message ?? ''}`)
  }
  const drifted = r.modules.filter((m) => m.status === 'drift')
  if (r.mode === 'check' && drifted.length > 0) {
    return `go.mod/go.sum are not tidy in: ${names(drifted.map((m) => m.module.rel))} (run \`go mod tidy\`)`
  }
  return undefined
}

/** A list for one line: the first 20, then how many more. */
function names(items: string[]): string {
  const more = items.length > 20 ? `, and ${items.length - 20} more` : ''
  return items.slice(0, 20).join(', ') + more
}

/** Writes everything; each part is fail-soft. */
export async function report(r: RunResult): Promise<void> {
  let notes: string[] = []
  const parts: Array<[string, () => void]> = [
    ['outputs', () => (notes = reportOutputs(r))],
    ['the log', () => reportLog(r)],
    ['annotations', () => reportAnnotations(r, notes)]
  ]
  for (const [what, part] of parts) {
    try {
      part()
    } catch (e) {
      core.warning(`go-tidy-guard could not write ${what}: ${redact(String(e))}`)
    }
  }
  try {
    await core.summary.addRaw(redact(renderSummary(r)), true).write()
  } catch (e) {
    core.warning(`go-tidy-guard could not write the job summary: ${redact(String(e))}`)
  }
}
