// Renders the job summary (GitHub-flavoured Markdown) from a RunResult. Pure: no I/O.
// Every value that is not this file's own text goes through lib/markdown.ts (md, html, code, codeBlock).
import type { ProbeResult, ReadAhead, RunResult, UpstreamStats } from '../types.js'
import { formatBytes } from '../lib/format.js'
import { code, md } from '../lib/markdown.js'
import { modulesSection, seconds, table } from './summary-modules.js'

export function renderSummary(r: RunResult): string {
  const parts = [`## go-tidy-guard (${r.mode})`, '']
  const facts = [
    r.goVersion && `**Go** ${md(r.goVersion)}`,
    r.goproxy !== undefined && `**GOPROXY** ${code(r.goproxy)}`,
    r.egressProxy && `**Egress proxy** ${code(r.egressProxy)}`
  ].filter(Boolean)
  if (facts.length) parts.push(facts.join(' · '), '')
  if (r.fatal) parts.push(`> [!CAUTION]\n> ${r.fatal.split('\n').map(md).join('\n> ')}`, '')
  if (r.discovery) parts.push(discoveryLine(r.discovery), '')
  parts.push(...modulesSection(r.modules))
  if (r.preflight?.length) parts.push('### Preflight', '', preflightTable(r.preflight), '')
  if (r.relay?.length) parts.push('### Relay', '', relayTable(r.relay), '', ...readAheadLine(r.readAhead))
  if (r.cache) parts.push('### Module cache', '', cacheLine(r), '')
  if (r.security?.length) {
    parts.push('### Security review', '', ...r.security.map((s) => `- ⚠️ **${md(s.title)}**: ${md(s.message)}`), '')
  }
  return bounded(parts.join('\n'))
}

/** GitHub refuses a step summary over 1 MiB: kept well under, whatever the parts held (they are capped already). */
export const SUMMARY_LIMIT = 900 * 1024

function bounded(text: string): string {
  if (Buffer.byteLength(text) <= SUMMARY_LIMIT) return text
  const cut = Buffer.from(text)
    .subarray(0, SUMMARY_LIMIT - 4096)
    .toString('utf8')
    .replace(/\uFFFD$/, '')
  const end = cut.lastIndexOf('\n')
  return `${cut.slice(0, end)}\n\n> [!NOTE]\n> The summary was cut here to stay within GitHub's 1 MiB limit.\n`
}

function discoveryLine(d: NonNullable<RunResult['discovery']>): string {
  const plural = (n: number): string => `${n} module${n === 1 ? '' : 's'}`
  const where = `below ${code(d.workingDirectory)}`
  if (d.shard)
    return `Checked ${d.checked} of the ${plural(d.found)} found ${where}: shard ${d.shard} of those selected.`
  if (d.checked === d.found) return `Checked all ${plural(d.found)} found ${where} (go.work members and every go.mod).`
  return `Checked ${d.checked} of the ${plural(d.found)} found ${where}, as the \`modules\` input selects.`
}

function preflightTable(rows: ProbeResult[]): string {
  const ms = (n?: number): string => (n === undefined ? '–' : `${Math.round(n)} ms`)
  return table(
    ['Endpoint', 'Role', 'Verdict', 'DNS', 'TCP', 'TLS', 'HTTP', 'Hint'],
    rows.map((p) => [
      code(p.endpoint),
      p.role,
      p.verdict === 'ok' ? '✅ ok' : p.verdict === 'unfinished' ? '⏸️ not finished' : `❌ ${p.verdict}`,
      ms(p.timings.dns),
      ms(p.timings.tcp),
      ms(p.timings.tls),
      ms(p.timings.http),
      md(p.hint + (p.certificate ? ` (subject: ${p.certificate.subject}; issuer: ${p.certificate.issuer})` : ''))
    ])
  )
}

/** "Fetched ahead of go: 37 module files (21.4 KiB); go asked for 37 of them.", or undefined when none was. */
export function readAheadText(ra: ReadAhead | undefined): string | undefined {
  if (!ra || ra.files === 0) return undefined
  const files = ra.files === 1 ? '1 module file' : `${ra.files} module files`
  return `Fetched ahead of go: ${files} (${formatBytes(ra.bytes)}); go asked for ${ra.used} of them.`
}

function readAheadLine(ra: ReadAhead | undefined): string[] {
  const text = readAheadText(ra)
  return text ? [text, ''] : []
}

function relayTable(rows: UpstreamStats[]): string {
  return table(
    ['Upstream', 'Requests', 'Bytes', 'Retries', 'Hedged', 'Failures', 'Median latency', 'State'],
    rows.map((u) => [
      code(u.upstream),
      String(u.requests),
      String(u.bytes),
      String(u.retries),
      String(u.hedges ?? 0),
      String(u.failures),
      u.answers === 0 ? '– (never answered)' : `${Math.round(u.latencyMs)} ms`,
      relayState(u)
    ])
  )
}

function relayState(u: UpstreamStats): string {
  if (u.tripped) return '⛔ stopped (circuit breaker)'
  if (!u.demoted) return 'in use'
  if (u.demotedFor === 'stalled') return '⚠️ demoted: a body stalled mid-way'
  const left = u.unanswered ? `, ${u.unanswered} request${u.unanswered === 1 ? '' : 's'} left unanswered` : ''
  return `⚠️ demoted: silent${left}`
}

function cacheLine(r: RunResult): string {
  const c = r.cache!
  const bits = [`restore: **${c.restore}**`]
  if (c.matchedKey) bits.push(`key ${code(c.matchedKey)}`)
  else if (c.key) bits.push(`key ${code(c.key)}`)
  if (c.sizeBytes !== undefined) bits.push(formatBytes(c.sizeBytes))
  if (c.durationMs !== undefined) bits.push(seconds(c.durationMs))
  if (c.note) bits.push(md(c.note))
  return bits.join(' · ')
}
