// The modules part of the job summary, bounded whatever the repository: drifted and failed modules first (one table),
// the tidy ones folded into one <details>, identical failures told once for all the modules they hit, and diffs
// capped per module and in total (the whole diff is in the `diff-file` output). GitHub refuses a step summary over
// 1 MiB; report/summary.ts keeps the rest small and cuts the whole as a last resort.
import { code, codeBlock, html, md } from '../lib/markdown.js'
import type { TidyResult } from '../types.js'

const STATUS: Record<TidyResult['status'], string> = {
  tidy: '✅ tidy',
  drift: '❌ drift',
  fixed: '🔧 fixed',
  error: '💥 error'
}

/** Diff shown per module (characters), and for all modules together (bytes). */
export const DIFF_CAP_PER_MODULE = 16 * 1024
export const DIFF_CAP_TOTAL = 512 * 1024
/** Rows of the folded table of tidy modules; module names listed for a group of identical failures. */
const TIDY_ROWS = 1000
const GROUP_NAMES = 20

/** Cells are already escaped (md/code); a pipe left inside a code span is escaped as GFM tables require. */
export function table(head: string[], rows: string[][]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n')
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

export function modulesSection(mods: TidyResult[]): string[] {
  const order = { error: 0, drift: 1, fixed: 2, tidy: 3 }
  const notTidy = mods.filter((m) => m.status !== 'tidy').sort((a, b) => order[a.status] - order[b.status])
  const tidy = mods.filter((m) => m.status === 'tidy')
  const parts: string[] = []
  if (notTidy.length) parts.push(moduleTable(notTidy), '')
  if (tidy.length) parts.push(...tidyFold(tidy))
  parts.push(...failures(notTidy.filter((m) => m.error)))
  parts.push(...diffs(notTidy.filter((m) => m.diff)))
  return parts
}

function moduleTable(mods: TidyResult[]): string {
  return table(
    ['Module', 'Directory', 'Status', 'Time', 'Attempts'],
    mods.map((m) => [
      md(m.module.path || '?'),
      md(m.module.rel),
      STATUS[m.status],
      seconds(m.durationMs),
      String(m.attempts)
    ])
  )
}

function tidyFold(tidy: TidyResult[]): string[] {
  const shown = tidy.slice(0, TIDY_ROWS)
  const more = tidy.length - shown.length
  return [
    `<details><summary>✅ ${tidy.length} module${tidy.length === 1 ? ' is' : 's are'} tidy</summary>`,
    '',
    moduleTable(shown),
    ...(more > 0 ? ['', `…and ${more} more.`] : []),
    '',
    '</details>',
    ''
  ]
}

/** Failures told once per distinct error (class, message, hint), naming the modules it hit. */
function failures(failed: TidyResult[]): string[] {
  const groups = new Map<string, TidyResult[]>()
  for (const m of failed) {
    const key = `${m.error!.class}\n${m.error!.message}\n${m.error!.hint}`
    groups.set(key, [...(groups.get(key) ?? []), m])
  }
  const out: string[] = []
  for (const group of groups.values()) {
    const e = group[0].error!
    const names = group
      .slice(0, GROUP_NAMES)
      .map((m) => md(m.module.rel))
      .join(', ')
    const more = group.length > GROUP_NAMES ? ` and ${group.length - GROUP_NAMES} more` : ''
    const who = group.length === 1 ? `**${names}**` : `**${group.length} modules** (${names}${more}), the same`
    const output = e.output
      ? ['<details><summary>go output</summary>', '', ...codeBlock(e.output), '', '</details>', '']
      : []
    out.push(`${who}: ${md(e.class)} error`, '', ...codeBlock(e.message), '', `💡 ${md(e.hint)}`, '', ...output)
  }
  return out
}

/** Each drifted module's diff, capped per module and in total; what is left out is said, with where to find it. */
function diffs(drifted: TidyResult[]): string[] {
  const out: string[] = []
  let budget = DIFF_CAP_TOTAL
  let omitted = 0
  for (const m of drifted) {
    if (budget <= 0) {
      omitted++
      continue
    }
    const cap = Math.min(DIFF_CAP_PER_MODULE, budget)
    const text = m.diff.trimEnd()
    const cut = cutAtLine(text, cap)
    budget -= Buffer.byteLength(cut)
    const note =
      cut.length < text.length
        ? [`(${text.length - cut.length} more bytes of this diff in the ${code('diff-file')} output)`, '']
        : []
    const summary = `<b>${html(m.module.rel)}</b>: ${html(m.changedFiles.join(', '))}`
    out.push(
      `<details open><summary>${summary}</summary>`,
      '',
      ...codeBlock(cut, 'diff'),
      '',
      ...note,
      '</details>',
      ''
    )
  }
  if (omitted > 0)
    out.push(`The diffs of ${omitted} more drifted modules are left out here: see the ${code('diff-file')} output.`, '')
  return out
}

/** At most `max` UTF-16 units of `text`, ending at a line end when there is one. */
function cutAtLine(text: string, max: number): string {
  if (text.length <= max) return text
  const nl = text.lastIndexOf('\n', max)
  return text.slice(0, nl > 0 ? nl : max)
}
