// `npm run smoke`: what the action said about each app module (from its outputs and annotations, as a workflow
// would read them), and which of its warnings/errors are false alarms about the real proxies or checksum database.
import type { ActionRun, RunnerAnnotation } from '../__tests__/helpers/runner.js'
import type { App } from './smoke-subjects.js'
import { lastLine, type RealWorld, type Verdict } from './smoke-world.js'

export interface ModuleVerdict {
  verdict: Verdict
  detail: string
}

/**
 * Per app: `timeout` when the step was killed; `error` when the action annotated a tidy failure for it (title
 * "go mod tidy failed in <dir>") or the step failed with nothing to show per module (a fatal error); `drift` when
 * `changed-files` names its go.mod/go.sum; `missing` when `modules` does not list it; otherwise `tidy`.
 */
export function actionVerdicts(run: ActionRun, apps: App[], timeoutMs: number): Map<string, ModuleVerdict> {
  const out = new Map<string, ModuleVerdict>()
  if (run.timedOut) {
    for (const a of apps)
      out.set(a.rel, { verdict: 'timeout', detail: `step killed after ${Math.round(timeoutMs / 1000)} s` })
    return out
  }
  const changed = new Set((run.outputs['changed-files'] ?? '').split('\n').filter((l) => l !== ''))
  const listed = parseModules(run.outputs.modules)
  for (const a of apps) {
    const failure = run.annotations.find(
      (n) => n.level === 'error' && n.title?.startsWith(`go mod tidy failed in ${a.rel} `)
    )
    if (failure)
      out.set(a.rel, { verdict: 'error', detail: `${failure.title}: ${lastLine(failure.message.split('\n')[0])}` })
    else if (changed.has(`${a.rel}/go.mod`) || changed.has(`${a.rel}/go.sum`))
      out.set(a.rel, { verdict: 'drift', detail: '' })
    else if (listed !== undefined && !listed.includes(a.rel))
      out.set(a.rel, { verdict: 'missing', detail: 'not in the modules output' })
    else out.set(a.rel, { verdict: 'tidy', detail: '' })
  }
  // A check-mode step fails exactly when some module drifted or failed; a failure explained by neither is fatal.
  const explained = [...out.values()].some((v) => v.verdict === 'drift' || v.verdict === 'error')
  if (run.failed && !explained) {
    const why = fatalMessage(run)
    for (const a of apps) out.set(a.rel, { verdict: 'error', detail: `step failed: ${why}` })
  }
  return out
}

function parseModules(json: string | undefined): string[] | undefined {
  if (!json) return undefined
  try {
    return (JSON.parse(json) as string[]).map((m) => m.replace(/^\.\//, ''))
  } catch {
    return undefined
  }
}

function fatalMessage(run: ActionRun): string {
  const err = [...run.annotations].reverse().find((n) => n.level === 'error')
  return err
    ? lastLine(err.message.split('\n')[0])
    : `exit ${run.exitCode}, ${lastLine(run.stderr) || 'no error annotation'}`
}

export interface AlarmScan {
  /** Warnings/errors about a real proxy or the real checksum database. */
  falseAlarms: string[]
  /** Warnings/errors about the silent loopback proxy (expected when it is listed). */
  expected: string[]
  /** Any other warning (not about an endpoint), shown for a reader to judge. */
  other: string[]
}

/**
 * Sorts the step's warning and error annotations by the endpoint they are about: the one named first (a preflight
 * warning starts with its endpoint, e.g. `<silent proxy>/sumdb/<name>: timeout` is about the silent proxy). Naming
 * a real proxy host or the checksum database first (or only) is a false alarm: the real ones are healthy (bare go
 * succeeded with them). Drift annotations (on an app's go.mod/go.sum line) and the step's closing failure line are
 * verdicts, not alarms; a module's tidy failure is a verdict too, and an alarm only when it blames a real endpoint.
 */
export function scanAlarms(run: ActionRun, world: RealWorld, silentHost: string | undefined): AlarmScan {
  const scan: AlarmScan = { falseAlarms: [], expected: [], other: [] }
  const real = [...world.proxyHosts, ...world.sumdbNames].map((h) => h.toLowerCase())
  for (const n of run.annotations) {
    if (n.level === 'notice' || isVerdict(n)) continue
    let text = `${n.level}: ${n.title ? `${n.title}: ` : ''}${n.message}`.replace(/\s+/g, ' ').trim()
    if (silentHost) text = text.split(silentHost).join('<silent proxy>') // its port differs from run to run
    const body = n.message.toLowerCase()
    const at = (needle: string): number => (body.includes(needle) ? body.indexOf(needle) : Infinity)
    const realAt = Math.min(
      ...real.map(at),
      /checksum database|sumdb/.test(body) ? body.search(/checksum database|sumdb/) : Infinity
    )
    const silentAt = silentHost ? at(silentHost) : Infinity
    if (silentAt < realAt) scan.expected.push(text)
    else if (realAt < Infinity) scan.falseAlarms.push(text)
    else if (!n.title?.startsWith('go mod tidy failed in ')) scan.other.push(text)
  }
  return scan
}

function isVerdict(n: RunnerAnnotation): boolean {
  if (n.file && /(^|\/)go\.(mod|sum)$/.test(n.file) && !n.title?.startsWith('go mod tidy failed in ')) return true
  return (
    n.level === 'error' &&
    !n.title &&
    !n.file &&
    /^(go mod tidy failed for |go\.mod\/go\.sum are not tidy in)/.test(n.message)
  )
}
