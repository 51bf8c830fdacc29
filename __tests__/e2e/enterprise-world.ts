// Shared by the enterprise e2e tests (enterprise-*.test.ts, issue 5): public fixture modules, an app made tidy
// once by the real go (so the action's go starts from an empty module cache and really fetches), runs of the
// bundled action as the runner runs it, and readers for what the runner shows (annotations, summary, outputs).
import { copyFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ProbeResult } from '../../src/types.js'
import { startFixtureProxy, type FixtureProxy, type FixtureProxyOptions } from '../helpers/fixture-proxy.js'
import type { FixtureModule } from '../helpers/modzip.js'
import { makeGoEnv, makeTempDir, runGo, writeModule } from '../helpers/gotest-env.js'
import { makeWorkspace, runAction, type ActionRun, type RunActionOptions } from '../helpers/runner.js'
import { closeAll, onClose } from '../helpers/closers.js'

export const PUB: FixtureModule = { path: 'example.com/pub', version: 'v1.2.0' }
export const LIB: FixtureModule = { path: 'example.com/lib', version: 'v1.0.0' }
export const PUBLIC_MODULES: FixtureModule[] = [PUB, LIB]

export { closeAll, onClose }

/** A fixture proxy serving the public modules, closed by closeAll. */
export async function fixtureProxy(opts: Omit<FixtureProxyOptions, 'modules'> = {}): Promise<FixtureProxy> {
  return onClose(await startFixtureProxy({ modules: PUBLIC_MODULES, ...opts }))
}

/**
 * A directory holding example.com/app importing `imports`, made tidy by the real go with `env` (a complete
 * environment, e.g. makeGoEnv(...).env plus credentials). Throws with go's output when go fails.
 */
export async function tidyTemplate(imports: string[], env: Record<string, string>): Promise<string> {
  const dir = makeTempDir('gtg-ent-app-')
  writeModule(dir, { path: 'example.com/app', imports })
  const r = await runGo(['mod', 'tidy'], { cwd: dir, env })
  if (r.code !== 0) throw new Error(`go mod tidy for the template: ${r.stderr}`)
  return dir
}

/** A fresh workspace holding a copy of the template's files. */
export function workspaceFrom(template: string): string {
  const ws = makeWorkspace()
  for (const f of readdirSync(template)) copyFileSync(join(template, f), join(ws, f))
  return ws
}

export interface StepOptions extends Omit<RunActionOptions, 'env' | 'inputs' | 'workspace'> {
  inputs?: Record<string, string>
  /** Added to (or, with undefined, removed from) the hermetic go env. */
  env?: Record<string, string | undefined>
}

export type Step = ActionRun

/** Runs the bundled action (main unless `entry`) without the module cache, on a fresh module cache. */
export async function runStep(ws: string, o: StepOptions = {}): Promise<Step> {
  // The env's own GOPROXY must never be what go uses: the inputs set it. A refused port makes a mistake loud.
  const e = makeGoEnv('http://127.0.0.1:9/unused', o.env ?? {})
  onClose({ close: () => e.cleanup() })
  return runAction({
    ...o,
    workspace: ws,
    env: e.env,
    inputs: { cache: 'false', 'preflight-timeout': '3', ...o.inputs },
    timeoutMs: o.timeoutMs ?? 90_000
  })
}

/** Throws with the step's log when it did not pass (a readable failure instead of `expected 0, got 1`). */
export function expectPassed(r: ActionRun): void {
  if (r.exitCode !== 0) throw new Error(`the step failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}\n${r.summary}`)
}

export function preflightOf(r: ActionRun): ProbeResult[] {
  if (!r.outputs.preflight) throw new Error(`no preflight output; stdout:\n${r.stdout}`)
  return JSON.parse(r.outputs.preflight) as ProbeResult[]
}

/**
 * The preflight verdict for a proxy endpoint (redacted URL as shown). An upstream that gets credentials from the
 * netrc input is shown as `scheme://***@host` (they ride in its URL from preflight on): either form is found.
 */
export function probeOf(r: ActionRun, endpoint: string): ProbeResult {
  const withCreds = endpoint.replace(/^([a-z]+:\/\/)/, '$1***@')
  const found = preflightOf(r).find((p) => p.role === 'proxy' && (p.endpoint === endpoint || p.endpoint === withCreds))
  if (!found) throw new Error(`no preflight verdict for ${endpoint} in ${r.outputs.preflight}`)
  return found
}

/** The tidy failure annotation (title "go mod tidy failed in <dir> (<class>)"), if any. */
export function tidyError(r: ActionRun): { class: string; message: string } | undefined {
  const a = r.annotations.find((x) => x.level === 'error' && x.title?.startsWith('go mod tidy failed'))
  const m = a && /\((\w[\w-]*)\)$/.exec(a.title ?? '')
  return a && { class: m ? m[1] : '?', message: a.message }
}

/** Titles of the security warnings (warning annotations other than preflight's), sorted. */
export function securityWarnings(r: ActionRun): string[] {
  return r.annotations
    .filter((a) => a.level === 'warning' && a.title !== 'Preflight' && !/cache/i.test(a.title ?? ''))
    .map((a) => a.title ?? '')
    .sort()
}

/** Titles listed in the summary's "Security review" section, sorted. */
export function summarySecurity(r: ActionRun): string[] {
  const section = r.summary.split('### Security review')[1]
  if (section === undefined) return []
  const out: string[] = []
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('###')) break
    const m = /^- ⚠️ \*\*(.+?)\*\*: /.exec(line)
    if (m) out.push(m[1])
  }
  return out.sort()
}

/** Upstream statistics rows of the summary's relay table, by upstream as displayed. */
export function relayRequests(r: ActionRun, upstream: string): number | undefined {
  const section = r.summary.split('### Relay')[1] ?? ''
  const line = section.split('\n').find((l) => l.startsWith(`| \`${upstream}\` |`))
  const m = line && /^\| `[^`]+` \| (\d+) \|/.exec(line)
  return m ? Number(m[1]) : undefined
}

/**
 * Where a secret shows up in what the runner receives from the step: stdout (without the `::add-mask::` lines
 * that register it), stderr, the summary, outputs, annotations and saved state. GITHUB_ENV is checked apart.
 */
export function exposures(r: ActionRun, secrets: string[]): string[] {
  const places: Record<string, string> = {
    stdout: r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    stderr: r.stderr,
    summary: r.summary,
    outputs: JSON.stringify(r.outputs),
    annotations: JSON.stringify(r.annotations),
    state: JSON.stringify(r.state),
    // GITHUB_ENV: what later steps of the job get. GOPROXY is exported as the user wrote it (credentials they put in
    // the goproxy input included); anything else holding a secret is a leak (netrc or token credentials).
    env: JSON.stringify({ ...r.env, GOPROXY: undefined })
  }
  const out: string[] = []
  for (const [where, text] of Object.entries(places)) {
    for (const s of secrets) if (text.includes(s)) out.push(`${where} holds ${s.slice(0, 4)}…`)
  }
  return out
}

/** Exported variables (GITHUB_ENV) whose value holds one of the secrets. */
export function exportedWith(r: ActionRun, secrets: string[]): string[] {
  return Object.entries(r.env)
    .filter(([, v]) => secrets.some((s) => v.includes(s)))
    .map(([k]) => k)
}
