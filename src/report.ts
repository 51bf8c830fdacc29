// Reporting reads one RunResult and writes annotations, outputs and the job summary. Nothing else logs ad hoc.
// Fail-soft: a reporting problem is a warning, never the reason a step fails.
import * as core from '@actions/core'
import type { RunResult } from './types.js'
import { redact } from './redact.js'
import { renderSummary } from './summary.js'
import { logUntrusted } from './log-safe.js'

export function reportOutputs(r: RunResult): void {
  const drifted = r.modules.filter((m) => m.status === 'drift' || m.status === 'fixed')
  core.setOutput('drift', drifted.length > 0 ? 'true' : 'false')
  core.setOutput('diff', redact(drifted.map((m) => m.diff).join('')))
  core.setOutput('changed-files', r.modules.flatMap((m) => m.changedFiles).join('\n'))
  core.setOutput('modules', JSON.stringify(r.modules.map((m) => m.module.rel)))
  if (r.goproxy !== undefined) core.setOutput('goproxy', redact(r.goproxy))
  if (r.preflight) core.setOutput('preflight', redact(JSON.stringify(r.preflight)))
  if (r.cache) core.setOutput('cache-hit', r.cache.restore === 'hit' ? 'true' : 'false')
}

export function reportAnnotations(r: RunResult): void {
  const level = r.mode === 'fix' ? core.notice : core.error
  for (const m of r.modules) {
    for (const a of m.annotations) {
      level(redact(a.message), { title: a.title, file: a.file, startLine: a.startLine })
    }
    if (m.error) {
      core.error(redact(`${m.error.message}\n${m.error.hint}`), {
        title: `go mod tidy failed in ${m.module.rel} (${m.error.class})`,
        file: m.module.rel === '.' ? 'go.mod' : `${m.module.rel}/go.mod`
      })
    }
  }
  for (const s of r.security ?? []) core.warning(redact(s.message), { title: s.title })
  // Caching is fail-soft: a failed restore is a warning, a deliberate skip a notice.
  if (r.cache?.note) (r.cache.restore === 'failed' ? core.warning : core.notice)(redact(r.cache.note), { title: 'Module cache' })
  for (const p of r.preflight ?? []) {
    if (p.verdict !== 'ok' && p.verdict !== 'unfinished') core.warning(redact(`${p.endpoint}: ${p.verdict}. ${p.hint}`), { title: 'Preflight' })
  }
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
    const list = errors.map((m) => `${m.module.rel} (${m.error?.class})`).join(', ')
    return redact(`go mod tidy failed for ${list}: ${first?.message ?? ''}`)
  }
  const drifted = r.modules.filter((m) => m.status === 'drift')
  if (r.mode === 'check' && drifted.length > 0) {
    return `go.mod/go.sum are not tidy in: ${drifted.map((m) => m.module.rel).join(', ')} (run \`go mod tidy\`)`
  }
  return undefined
}

/** Writes everything; each part is fail-soft. */
export async function report(r: RunResult): Promise<void> {
  for (const part of [reportOutputs, reportLog, reportAnnotations]) {
    try {
      part(r)
    } catch (e) {
      core.warning(`go-tidy-guard could not write ${part.name}: ${redact(String(e))}`)
    }
  }
  try {
    await core.summary.addRaw(redact(renderSummary(r)), true).write()
  } catch (e) {
    core.warning(`go-tidy-guard could not write the job summary: ${redact(String(e))}`)
  }
}
