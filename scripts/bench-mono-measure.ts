// Measuring the monorepo cases: their configuration, one action step or one bare loop on a fresh copy of a
// generated repository, cold (a module cache of its own) or warm (the cache go filled while authoring).
//   BENCH_MONO_RUNS     repetitions of each monorepo case but the drift one (default 5: the median of interleaved runs;
//                       at most BENCH_RUNS)
//   BENCH_MONO_MODULES  modules of the generated monorepo (default 300)
import { usableCpus } from '../src/lib/cpus.js'
import { makeGoEnv, removeTree, type GoEnv } from '../__tests__/helpers/gotest-env.js'
import { runAction, type ActionRun } from '../__tests__/helpers/runner.js'
import type { MonoRepo } from './bench-mono-fixture.js'
import { goLoop, type LoopResult } from './bench-mono-loop.js'
import type { BenchConfig, Sample, Series } from './bench-measure.js'

export interface MonoConfig extends BenchConfig {
  modules: number
  cores: number
}

export const progress = (text: string): void => void process.stderr.write(`bench:   ${text}\n`)

export function wholeNumber(name: string, dflt: number, min: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return dflt
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`)
  return n
}

/** Repetitions of the monorepo cases: fewer than the others, each takes seconds. */
export const monoRuns = (cfg: BenchConfig): number => Math.min(cfg.runs, wholeNumber('BENCH_MONO_RUNS', 5, 1))

export function monoConfig(cfg: BenchConfig): MonoConfig {
  return {
    ...cfg,
    runs: monoRuns(cfg),
    modules: wholeNumber('BENCH_MONO_MODULES', 300, 2),
    cores: usableCpus(),
    // One step tidies hundreds of modules; a slow sample is still repeated (the runs are few already).
    actionCapMs: 600_000,
    slowMs: Infinity
  }
}

export const loopSample = (r: LoopResult, okCodes: number[] = [0]): Sample => ({
  ms: r.ms,
  ok: !r.killed && r.codes.every((c) => c !== null && okCodes.includes(c)),
  killed: r.killed,
  exitCode: r.codes.find((c) => c !== 0) ?? 0
})

export interface LoopCall {
  /** The warm module cache; null: a cold one of its own. */
  warm: GoEnv | null
  parallel: number
  goproxy?: string
  okCodes?: number[]
  prepare?: (ws: string) => void
}

/** The bare loop of `go mod tidy -diff` on a fresh copy of the repository. */
export async function timeLoop(repo: MonoRepo, mc: MonoConfig, o: LoopCall): Promise<LoopResult & { sample: Sample }> {
  const goproxy = o.goproxy ?? repo.proxy.url
  const goEnv = o.warm ?? makeGoEnv(goproxy)
  const ws = repo.newWorkspace()
  try {
    o.prepare?.(ws)
    const env = { ...goEnv.env, GOPROXY: goproxy }
    const args = ['mod', 'tidy', '-diff']
    const r = await goLoop(ws, repo.dirs, { args, env, parallel: o.parallel, capMs: mc.goCapMs, okCodes: o.okCodes })
    return { ...r, sample: loopSample(r, o.okCodes) }
  } finally {
    removeTree(ws)
    if (!o.warm) goEnv.cleanup()
  }
}

/** One action step (check mode, cache off, relay and concurrency by default) on a fresh copy of the repository. */
export async function timeAction(
  repo: MonoRepo,
  mc: MonoConfig,
  o: { warm: GoEnv | null; goproxy?: string; prepare?: (ws: string) => void; inspect?: (run: ActionRun) => void }
): Promise<Sample> {
  const goproxy = o.goproxy ?? repo.proxy.url
  const goEnv = o.warm ?? makeGoEnv(goproxy)
  const workspace = repo.newWorkspace()
  try {
    o.prepare?.(workspace)
    const started = performance.now()
    const run = await runAction({
      workspace,
      actionDir: mc.actionDir,
      env: { ...goEnv.env, GOPROXY: goproxy },
      inputs: { goproxy, cache: 'false' },
      timeoutMs: mc.actionCapMs
    })
    const ms = performance.now() - started
    o.inspect?.(run)
    removeTree(run.runnerTemp)
    return { ms, ok: !run.failed, killed: run.timedOut, exitCode: run.exitCode }
  } finally {
    removeTree(workspace)
    if (!o.warm) goEnv.cleanup()
  }
}

export const series = (capMs: number): Series => ({ samples: [], capMs })
export const clean = (s: Series): boolean => s.samples.length > 0 && s.samples.every((x) => x.ok && !x.killed)

/** How many modules the step checked (its `modules` output), or a note when that is not all of them. */
export function checkedNote(run: ActionRun, expected: number): string {
  let n = -1
  try {
    n = (JSON.parse(run.outputs.modules ?? '[]') as unknown[]).length
  } catch {
    // n stays -1
  }
  return (n === expected ? '' : `; the step checked ${n} of ${expected} modules`) + stepError(run)
}

/** "; step failed: <its first error>", or '' when the step passed. */
export function stepError(run: ActionRun): string {
  if (!run.failed) return ''
  const error = run.annotations.find((a) => a.level === 'error')?.message ?? `exit ${run.exitCode}`
  return `; step failed${run.timedOut ? ' (killed at the cap)' : ''}: ${error.split('\n')[0].slice(0, 160)}`
}
