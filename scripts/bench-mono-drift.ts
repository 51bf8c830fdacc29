// The drift-everywhere monorepo case: every module drifted, and what the step reports must still fit GitHub's
// limits: a job summary under 1 MiB, at most 10 error annotations (the runner shows 10 and drops the rest).
import type { ActionRun } from '../__tests__/helpers/runner.js'
import { driftEverywhere, type MonoRepo } from './bench-mono-fixture.js'
import { codeCounts } from './bench-mono-loop.js'
import { stepError, timeAction, timeLoop, type MonoConfig } from './bench-mono-measure.js'
import { mb, secs, type CaseResult } from './bench-table.js'

interface Reported {
  summaryBytes: number
  errors: number
  warnings: number
  diffBytes: number
  drift: string
  changed: number
  /** The step's first error when it did not report drift (it broke). */
  broke: string
}

function reported(run: ActionRun): Reported {
  return {
    summaryBytes: Buffer.byteLength(run.summary),
    errors: run.annotations.filter((a) => a.level === 'error').length,
    warnings: run.annotations.filter((a) => a.level === 'warning').length,
    diffBytes: Buffer.byteLength(run.outputs.diff ?? ''),
    drift: run.outputs.drift ?? '(none)',
    changed: (run.outputs['changed-files'] ?? '').split('\n').filter(Boolean).length,
    broke: run.outputs.drift === 'true' ? '' : stepError(run)
  }
}

/** Drift in every module, warm cache: the step must fail, with a summary under 1 MiB and at most 10 errors. */
export async function driftCase(repo: MonoRepo, mc: MonoConfig): Promise<CaseResult> {
  const prepare = (ws: string): void => driftEverywhere(ws, repo.dirs)
  let rep: Reported | undefined
  let timedOut = false
  const par = await timeLoop(repo, mc, { warm: repo.warm, parallel: mc.cores, okCodes: [1], prepare })
  const inspect = (run: ActionRun): void => {
    rep = reported(run)
    timedOut = run.timedOut
  }
  const sample = await timeAction(repo, mc, { warm: repo.warm, prepare, inspect })
  const n = repo.dirs.length
  const ok = !!rep && !timedOut && !sample.ok && rep.drift === 'true' && rep.summaryBytes < 1048576 && rep.errors <= 10
  const step = sample.ok ? 'step passed (it should fail)' : 'step failed as it should'
  const notes = rep
    ? `summary ${mb(rep.summaryBytes)} (${rep.summaryBytes} bytes), ${rep.errors} error and ${rep.warnings} warning ` +
      `annotations; diff output ${mb(rep.diffBytes)}; drift=${rep.drift}, ${rep.changed} changed files; ${step}${rep.broke}`
    : 'no step result'
  return {
    name: `drift in all ${n} modules (warm cache)`,
    action: { samples: [sample], capMs: mc.actionCapMs },
    actionText: `${secs(sample.ms)}${timedOut ? ' (killed)' : ''} (n=1)`,
    goText: `${secs(par.ms)} (${codeCounts(par.codes)}; parallel loop, n=1)`,
    ratioText: `${(sample.ms / par.ms).toFixed(2)}×`,
    target: 'summary < 1 MiB, ≤ 10 error annotations, step fails',
    result: ok ? 'PASS' : 'FAIL',
    notes
  }
}
