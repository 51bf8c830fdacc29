// The benchmark's one Markdown table and its summary line.
import { seriesMedian, type Series } from './bench-measure.js'

export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'SKIP'

export interface CaseResult {
  name: string
  action?: Series
  go?: Series
  /** Replaces the action cell (e.g. a preflight time or a memory figure). */
  actionText?: string
  goText?: string
  ratioText?: string
  target: string
  result: Verdict
  notes: string
}

export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
export const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`

/** A series as one cell: the median, or how it ended when it never finished normally. */
export function cell(s: Series | undefined, what: 'action' | 'go'): string {
  if (!s || s.samples.length === 0) return '—'
  const n = s.samples.length
  const killed = s.samples.filter((x) => x.killed).length
  if (killed === n) return `hang (killed at ${Math.round(s.capMs / 1000)} s)`
  const failed = s.samples.filter((x) => !x.ok && !x.killed)
  let text = `${secs(seriesMedian(s))}`
  if (failed.length === n) text = `fail (exit ${failed[0].exitCode}) ${text}`
  else if (failed.length + killed > 0)
    text += ` (${failed.length + killed}/${n} ${what === 'action' ? 'step failed' : 'go failed'})`
  return n === 1 ? `${text} (n=1)` : text
}

/** action/go when both finished normally every time. */
export function ratio(a: Series | undefined, g: Series | undefined): string {
  const clean = (s: Series | undefined): boolean =>
    !!s && s.samples.length > 0 && s.samples.every((x) => x.ok && !x.killed)
  if (!clean(a) || !clean(g)) return '—'
  return `${(seriesMedian(a!) / seriesMedian(g!)).toFixed(2)}×`
}

export function renderTable(rows: CaseResult[]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const head = ['Case', 'Action (median)', 'Bare go (median)', 'Action/go', 'Target', 'Result', 'Notes']
  const body = rows.map((r) => [
    r.name,
    r.actionText ?? cell(r.action, 'action'),
    r.goText ?? cell(r.go, 'go'),
    r.ratioText ?? ratio(r.action, r.go),
    r.target,
    r.result === 'FAIL' ? '**FAIL**' : r.result,
    r.notes
  ])
  return [head, head.map(() => '---'), ...body].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n')
}

export function summaryLine(rows: CaseResult[]): string {
  const judged = rows.filter((r) => r.result === 'PASS' || r.result === 'FAIL')
  const failed = judged.filter((r) => r.result === 'FAIL')
  const skipped = rows.filter((r) => r.result === 'SKIP').map((r) => r.name)
  const head = failed.length
    ? `FAIL: ${failed.length} of ${judged.length} targets missed (${failed.map((r) => r.name).join('; ')})`
    : `PASS: all ${judged.length} targets met`
  return skipped.length ? `${head}; skipped: ${skipped.join('; ')}` : head
}
