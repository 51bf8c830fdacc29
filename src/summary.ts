// Renders the job summary (GitHub-flavoured Markdown) from a RunResult. Pure: no I/O.
import type { ProbeResult, RunResult, TidyResult, UpstreamStats } from './types.js'

const STATUS: Record<TidyResult['status'], string> = {
  tidy: '✅ tidy',
  drift: '❌ drift',
  fixed: '🔧 fixed',
  error: '💥 error'
}

export function renderSummary(r: RunResult): string {
  const parts = [`## go-tidy-guard (${r.mode})`, '']
  const facts = [
    r.goVersion && `**Go** ${r.goVersion}`,
    r.goproxy !== undefined && `**GOPROXY** \`${r.goproxy}\``,
    r.egressProxy && `**Egress proxy** \`${r.egressProxy}\``
  ].filter(Boolean)
  if (facts.length) parts.push(facts.join(' · '), '')
  if (r.fatal) parts.push(`> [!CAUTION]\n> ${r.fatal.replace(/\n/g, '\n> ')}`, '')
  if (r.discovery) parts.push(discoveryLine(r.discovery), '')
  if (r.modules.length) parts.push(modulesTable(r.modules), '')
  for (const m of r.modules) parts.push(...moduleDetails(m))
  if (r.preflight?.length) parts.push('### Preflight', '', preflightTable(r.preflight), '')
  if (r.relay?.length) parts.push('### Relay', '', relayTable(r.relay), '')
  if (r.cache) parts.push('### Module cache', '', cacheLine(r), '')
  if (r.security?.length) {
    parts.push('### Security review', '', ...r.security.map((s) => `- ⚠️ **${s.title}**: ${s.message}`), '')
  }
  return parts.join('\n')
}

function table(head: string[], rows: string[][]): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n')
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

function discoveryLine(d: NonNullable<RunResult['discovery']>): string {
  const plural = (n: number): string => `${n} module${n === 1 ? '' : 's'}`
  const where = `below \`${d.workingDirectory}\``
  if (d.shard) return `Checked ${d.checked} of the ${plural(d.found)} found ${where}: shard ${d.shard} of those selected.`
  if (d.checked === d.found) return `Checked all ${plural(d.found)} found ${where} (go.work members and every go.mod).`
  return `Checked ${d.checked} of the ${plural(d.found)} found ${where}, as the \`modules\` input selects.`
}

function modulesTable(mods: TidyResult[]): string {
  return table(
    ['Module', 'Directory', 'Status', 'Time', 'Attempts'],
    mods.map((m) => [m.module.path || '?', m.module.rel, STATUS[m.status], seconds(m.durationMs), String(m.attempts)])
  )
}

function moduleDetails(m: TidyResult): string[] {
  if (m.error) {
    const out = m.error.output ? ['<details><summary>go output</summary>', '', '```', m.error.output, '```', '', '</details>', ''] : []
    return [`**${m.module.rel}**: ${m.error.class} error`, '', '```', m.error.message, '```', '', `💡 ${m.error.hint}`, '', ...out]
  }
  if (!m.diff) return []
  return [`<details open><summary><b>${m.module.rel}</b>: ${m.changedFiles.join(', ')}</summary>`, '', '```diff', m.diff.trimEnd(), '```', '', '</details>', '']
}

function preflightTable(rows: ProbeResult[]): string {
  const ms = (n?: number): string => (n === undefined ? '–' : `${Math.round(n)} ms`)
  return table(
    ['Endpoint', 'Role', 'Verdict', 'DNS', 'TCP', 'TLS', 'HTTP', 'Hint'],
    rows.map((p) => [
      `\`${p.endpoint}\``,
      p.role,
      p.verdict === 'ok' ? '✅ ok' : p.verdict === 'unfinished' ? '⏸️ not finished' : `❌ ${p.verdict}`,
      ms(p.timings.dns),
      ms(p.timings.tcp),
      ms(p.timings.tls),
      ms(p.timings.http),
      p.hint + (p.certificate ? ` (subject: ${p.certificate.subject}; issuer: ${p.certificate.issuer})` : '')
    ])
  )
}

function relayTable(rows: UpstreamStats[]): string {
  return table(
    ['Upstream', 'Requests', 'Bytes', 'Retries', 'Hedged', 'Failures', 'Median latency', 'State'],
    rows.map((u) => [
      `\`${u.upstream}\``,
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
  if (c.matchedKey) bits.push(`key \`${c.matchedKey}\``)
  else if (c.key) bits.push(`key \`${c.key}\``)
  if (c.sizeBytes !== undefined) bits.push(`${(c.sizeBytes / 1048576).toFixed(1)} MB`)
  if (c.durationMs !== undefined) bits.push(seconds(c.durationMs))
  if (c.note) bits.push(c.note)
  return bits.join(' · ')
}
