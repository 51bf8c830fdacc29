// `go-tidy-guard check|fix [dir]`: the action's pipeline (pipeline.ts) with the directory as the workspace, live
// progress per module, then the run's report for a person, as JSON, or as annotations for another CI system.
import { existsSync, statSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { GoModule, RunResult } from '../types.js'
import type { Inputs } from '../config/inputs.js'
import { InputError } from '../lib/input-error.js'
import { runPipeline } from '../pipeline.js'
import { redact } from '../lib/redact.js'
import { defaultFormat, readFlags, UsageError, type CliArgs } from './args.js'
import { progress, type Term } from './term.js'
import { exitCode, lastLine, moduleLine, renderDiff, renderFailures, renderPreflight, renderRelay } from './render.js'
import { githubAnnotations, plainLines, writeGitlabReport } from './format.js'
import { readAheadText } from '../report/report.js'

export async function runCheck(args: CliArgs, mode: 'check' | 'fix', term: Term): Promise<number> {
  const workspace = path.resolve(args.dir ?? '.')
  if (!existsSync(workspace) || !statSync(workspace).isDirectory())
    throw new UsageError(`"${args.dir}" is not a directory`)
  const inputs = cliInputs(args, mode, workspace)
  const live = args.json ? undefined : progress(term)
  const running: string[] = []
  const showRunning = (): void => live?.status(`go mod tidy: ${running.join(', ')}`)
  const { result, error } = await runPipeline(() => inputs, {
    tempDir: os.tmpdir(),
    onModules: (modules: GoModule[]) => {
      if (!args.json)
        term.out(
          term.c.bold(`go-tidy-guard ${mode} ${workspace} (${modules.length} module${modules.length === 1 ? '' : 's'})`)
        )
    },
    onModuleStart: (m) => {
      running.push(m.rel)
      showRunning()
    },
    onModuleDone: (r) => {
      running.splice(running.indexOf(r.module.rel), 1)
      live?.line(moduleLine(term, r))
      if (running.length > 0) showRunning()
    }
  })
  live?.stop()
  if (error instanceof InputError) {
    term.err(`go-tidy-guard: ${redact(error.message)}`)
    return 3
  }
  if (args.json) term.out(redact(JSON.stringify(result, null, 2)))
  else renderRun(term, result)
  annotate(args, result, workspace, term)
  if (!args.json) term.out(lastLine(term, result, again(args, mode, workspace)))
  return exitCode(result)
}

function cliInputs(args: CliArgs, mode: 'check' | 'fix', workspace: string): Inputs {
  const given = { ...args.inputs }
  // A CA file named on the command line is relative to the current directory, not to [dir].
  const ca = given['ca-certificates']
  if (ca && !ca.includes('-----BEGIN') && !path.isAbsolute(ca)) given['ca-certificates'] = path.resolve(ca)
  return readFlags({ ...args, inputs: given }, mode, workspace)
}

function renderRun(term: Term, r: RunResult): void {
  term.out()
  const facts = [
    r.goVersion && `go ${r.goVersion}`,
    r.goproxy !== undefined && `GOPROXY ${r.goproxy}`,
    r.egressProxy && `egress proxy ${r.egressProxy}`
  ]
  const line = facts.filter(Boolean).join(' · ')
  if (line) term.out(term.c.dim(redact(line)) + '\n')
  renderPreflight(term, r.preflight)
  renderDiff(term, r)
  renderFailures(term, r)
  renderRelay(term, r.relay)
  const ahead = readAheadText(r.readAhead)
  if (ahead) term.out(term.c.dim(ahead) + '\n')
}

function annotate(args: CliArgs, r: RunResult, workspace: string, term: Term): void {
  const format = args.format ?? (args.json ? undefined : defaultFormat(process.env))
  if (format === 'gitlab') {
    const file = path.resolve(args.reportFile ?? 'gl-code-quality-report.json')
    const n = writeGitlabReport(r, file)
    if (!args.json) term.out(`GitLab Code Quality report: ${n} finding${n === 1 ? '' : 's'} in ${file}\n`)
  } else if (format === 'github') {
    githubAnnotations(r)
  } else if (format === 'plain') {
    const lines = plainLines(r, workspace)
    const write = args.json ? term.err : term.out
    for (const l of lines) write(l)
    if (lines.length > 0 && !args.json) term.out()
  }
}

function again(args: CliArgs, mode: 'check' | 'fix', workspace: string): { fix: string; doctor: string } {
  const rel = path.relative(process.cwd(), workspace)
  const dir = rel === '' ? '' : ` ${/^[\w./-]+$/.test(rel) ? rel : JSON.stringify(rel)}`
  void mode
  return { fix: `go-tidy-guard fix${dir}`, doctor: 'go-tidy-guard doctor' }
}
