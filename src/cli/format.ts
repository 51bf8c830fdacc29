// Annotations of a check/fix run for other CI systems and editors: GitHub workflow commands (report/report.ts's own, as
// the action writes them), a GitLab Code Quality report (a JSON array in a file), or plain `file:line: message`.
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { RunResult } from '../types.js'
import { reportAnnotations } from '../report/report.js'
import { redact } from '../lib/redact.js'
import { printable } from './term.js'

export interface Finding {
  /** Relative to the workspace ('' when it is about no file). */
  file: string
  line: number
  severity: 'error' | 'warning' | 'info'
  check: string
  message: string
}

/** Every finding of a run: drifted lines, failed modules, security findings and preflight warnings. */
export function findings(r: RunResult): Finding[] {
  const out: Finding[] = []
  const driftSeverity = r.mode === 'fix' ? 'info' : 'error'
  for (const m of r.modules) {
    for (const a of m.annotations)
      out.push({
        file: a.file,
        line: a.startLine,
        severity: driftSeverity,
        check: 'go-mod-tidy',
        message: `${a.title}: ${a.message}`
      })
    if (m.error) {
      const file = m.module.rel === '.' ? 'go.mod' : `${m.module.rel}/go.mod`
      out.push({
        file,
        line: 1,
        severity: 'error',
        check: `tidy-${m.error.class}`,
        message: `go mod tidy failed (${m.error.class}): ${m.error.message} ${m.error.hint}`
      })
    }
  }
  for (const s of r.security ?? [])
    out.push({ file: '', line: 1, severity: 'warning', check: 'go-env-security', message: `${s.title}: ${s.message}` })
  for (const p of r.preflight ?? []) {
    if (p.verdict === 'ok' || p.verdict === 'unfinished') continue
    out.push({
      file: '',
      line: 1,
      severity: 'warning',
      check: 'preflight',
      message: `${p.endpoint}: ${p.verdict}. ${p.hint}`
    })
  }
  return out.map((f) => ({ ...f, message: printable(redact(f.message)).replace(/\s*\n\s*/g, ' ') }))
}

/** `file:line: message`, paths relative to the current directory. */
export function plainLines(r: RunResult, workspace: string, cwd = process.cwd()): string[] {
  return findings(r).map((f) => {
    const where = f.file ? `${path.relative(cwd, path.join(workspace, f.file)) || f.file}:${f.line}: ` : ''
    return `${where}${f.severity}: ${f.message}`
  })
}

/** GitLab's Code Quality report (a subset of Code Climate's format); paths relative to the workspace. */
export function gitlabReport(r: RunResult): object[] {
  const severity = { error: 'major', warning: 'minor', info: 'info' } as const
  return findings(r).map((f) => ({
    description: f.message,
    check_name: f.check,
    fingerprint: createHash('sha256').update(`${f.check}\0${f.file}\0${f.line}\0${f.message}`).digest('hex'),
    severity: severity[f.severity],
    location: { path: f.file || 'go.mod', lines: { begin: f.line } }
  }))
}

export function writeGitlabReport(r: RunResult, file: string): number {
  const report = gitlabReport(r)
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n')
  return report.length
}

/** The action's own annotations (workflow commands on stdout), at most as many as GitHub shows. */
export function githubAnnotations(r: RunResult): void {
  reportAnnotations(r)
}
