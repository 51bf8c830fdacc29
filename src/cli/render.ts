// Human output of a check/fix run, from the RunResult only: the preflight table, drift as a coloured unified diff,
// failures with go's output, security findings, the relay's per-upstream stats, and the last line.
import type { ProbeResult, RunResult, TidyResult, UpstreamStats } from '../types.js'
import { redact } from '../lib/redact.js'
import { printable, seconds, table, type Term } from './term.js'
import { formatBytes } from '../lib/format.js'

const safe = (text: string): string => printable(redact(text))

/** The line printed when a module's tidy ends. */
export function moduleLine(term: Term, m: TidyResult): string {
  const { c } = term
  const mark = { tidy: c.green('ok   '), fixed: c.cyan('fixed'), drift: c.red('drift'), error: c.red('error') }[
    m.status
  ]
  const why = m.error
    ? ` ${m.error.class}: ${safe(m.error.message)}`
    : m.changedFiles.length > 0
      ? ` ${m.changedFiles.join(', ')}`
      : ''
  const retried = m.attempts > 1 ? `, ${m.attempts} attempts` : ''
  return `  ${mark} ${safe(m.module.rel)}  ${c.dim(`(${seconds(m.durationMs)}${retried})`)}${why}`
}

export function renderPreflight(term: Term, results: ProbeResult[] | undefined): void {
  if (!results || results.length === 0) return
  const { c } = term
  term.out(c.bold('Preflight'))
  const ms = (n?: number): string => (n === undefined ? '-' : `${n}`)
  const rows = [['endpoint', 'role', 'verdict', 'dns', 'tcp', 'tls', 'http', 'total ms']]
  for (const r of results) {
    const t = r.timings
    rows.push([safe(r.endpoint), r.role, r.verdict, ms(t.dns), ms(t.tcp), ms(t.tls), ms(t.http), ms(t.total)])
  }
  const paint = (ri: number, ci: number, s: string): string => {
    if (ri === 0) return c.dim(s)
    if (ci !== 2) return s
    const v = results[ri - 1].verdict
    return v === 'ok' ? c.green(s) : v === 'unfinished' ? c.dim(s) : c.yellow(s)
  }
  for (const line of table(rows, paint)) term.out('  ' + line)
  for (const r of results) {
    if (r.verdict === 'ok' || r.verdict === 'unfinished') continue
    term.out(`  ${c.yellow('!')} ${safe(r.endpoint)}: ${safe(r.hint)}`)
    if (r.certificate)
      term.out(`    certificate: subject ${safe(r.certificate.subject)}, issuer ${safe(r.certificate.issuer)}`)
    if (r.via) term.out(`    through the egress proxy ${safe(r.via)}`)
  }
  term.out()
}

export function renderDiff(term: Term, r: RunResult): void {
  const diffs = r.modules.filter((m) => m.diff)
  if (diffs.length === 0) return
  const { c } = term
  term.out(c.bold(r.mode === 'fix' ? 'Changed by go mod tidy' : 'Drift (what go mod tidy would change)'))
  for (const line of safe(diffs.map((m) => m.diff).join('')).split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) term.out(c.bold(line))
    else if (line.startsWith('@@')) term.out(c.cyan(line))
    else if (line.startsWith('+')) term.out(c.green(line))
    else if (line.startsWith('-')) term.out(c.red(line))
    else if (line !== '') term.out(line)
  }
  term.out()
}

export function renderFailures(term: Term, r: RunResult): void {
  const { c } = term
  for (const m of r.modules) {
    if (!m.error) continue
    term.out(c.bold(c.red(`go mod tidy failed in ${safe(m.module.rel)} (${m.error.class})`)))
    term.out(`  ${safe(m.error.message)}`)
    term.out(`  ${c.yellow('hint:')} ${safe(m.error.hint)}`)
    for (const line of safe(m.error.output ?? '')
      .trimEnd()
      .split('\n')
      .slice(-15))
      if (line) term.out(c.dim(`  | ${line}`))
    term.out()
  }
  for (const s of r.security ?? []) term.out(`${c.yellow('warning:')} ${safe(s.title)}: ${safe(s.message)}`)
  if (r.security?.length) term.out()
}

export function renderRelay(term: Term, stats: UpstreamStats[] | undefined): void {
  if (!stats || stats.length === 0) return
  const { c } = term
  term.out(c.bold('Relay'))
  const rows = [['upstream', 'requests', 'bytes', 'retries', 'failures', 'hedges', 'median ms', 'state']]
  for (const s of stats) {
    const state = s.tripped
      ? 'out of service'
      : s.demoted
        ? `demoted (${s.demotedFor ?? 'slow'})`
        : s.answers === 0 && s.requests > 0
          ? 'never answered'
          : 'ok'
    rows.push([
      safe(s.upstream),
      `${s.requests}`,
      formatBytes(s.bytes),
      `${s.retries}`,
      `${s.failures}`,
      `${s.hedges ?? 0}`,
      `${s.latencyMs}`,
      state
    ])
  }
  const paint = (ri: number, ci: number, s: string): string =>
    ri === 0 ? c.dim(s) : ci === 7 && !s.startsWith('ok') ? c.yellow(s) : s
  for (const line of table(rows, paint)) term.out('  ' + line)
  term.out()
}

/** The exit code of a check/fix run: 0 tidy (or fixed), 1 drift, 2 failure. */
export function exitCode(r: RunResult): 0 | 1 | 2 {
  if (r.fatal || r.modules.some((m) => m.status === 'error')) return 2
  if (r.mode === 'check' && r.modules.some((m) => m.status === 'drift')) return 1
  return 0
}

/** The last line: what happened and what to do. `again` is the command line that reruns this run. */
export function lastLine(term: Term, r: RunResult, again: { fix: string; doctor: string }): string {
  const { c } = term
  const n = r.modules.length
  const drifted = r.modules.filter((m) => m.status === 'drift').map((m) => m.module.rel)
  const fixed = r.modules.filter((m) => m.status === 'fixed').map((m) => m.module.rel)
  const failed = r.modules.filter((m) => m.status === 'error')
  if (r.fatal) return c.red(`✖ ${safe(r.fatal)}`)
  if (failed.length > 0) {
    const network = failed.some((m) => m.error?.class === 'network' || m.error?.class === 'security')
    const next = network ? `run \`${again.doctor}\` to see what is wrong with the network` : 'see the hint above'
    return c.red(`✖ go mod tidy failed in ${failed.map((m) => safe(m.module.rel)).join(', ')}: ${next}`)
  }
  if (drifted.length > 0) return c.red(`✖ not tidy: ${drifted.map(safe).join(', ')}; run \`${again.fix}\` to tidy them`)
  if (fixed.length > 0) return c.green(`✔ tidied ${fixed.map(safe).join(', ')}; review and commit go.mod/go.sum`)
  if (n === 0) return c.yellow('no Go module found')
  return c.green(`✔ ${n === 1 ? 'the module is' : `all ${n} modules are`} tidy`)
}
