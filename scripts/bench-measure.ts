// Timing for the benchmark: one action step (as the runner runs it) or one bare `go mod tidy`, wall time as the
// user waits for it, repeated into medians. A hang is capped and not repeated: it says all there is to say.
import { removeTree, makeGoEnv, runGo, type GoEnv } from '../__tests__/helpers/gotest-env.js'
import { runAction, type ActionRun } from '../__tests__/helpers/runner.js'
import type { BenchFixture } from './bench-fixture.js'

export interface Sample {
  ms: number
  /** The step passed / go exited 0. */
  ok: boolean
  /** Killed at the cap. */
  killed: boolean
  exitCode: number | null
}

export interface Series {
  samples: Sample[]
  capMs: number
  /** Set when later repetitions were skipped, with why. */
  cut?: string
}

export interface BenchConfig {
  runs: number
  /** Cap for bare go (it hangs on dead proxies). */
  goCapMs: number
  /** Cap for one action step. */
  actionCapMs: number
  /** A sample slower than this is not repeated: the case has failed its target by far already. */
  slowMs: number
  /** Directory holding action.yml and the bundle. */
  actionDir: string
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

export const seriesMedian = (s: Series): number => median(s.samples.map((x) => x.ms))

/** Runs `fn` up to `runs` times; stops after a killed or very slow sample. */
export async function repeat(cfg: BenchConfig, capMs: number, fn: () => Promise<Sample>): Promise<Series> {
  const out: Series = { samples: [], capMs }
  for (let i = 0; i < cfg.runs; i++) {
    const s = await fn()
    out.samples.push(s)
    if (i + 1 < cfg.runs && s.killed) {
      out.cut = 'killed at the cap, not repeated'
      break
    }
    if (i + 1 < cfg.runs && s.ms > cfg.slowMs) {
      out.cut = `over ${cfg.slowMs / 1000} s, not repeated`
      break
    }
  }
  return out
}

export interface ActionCall {
  goproxy: string
  inputs?: Record<string, string>
  /** Reuse this go environment (warm cache); default: a fresh one per run (cold cache). */
  goEnv?: GoEnv
  extraEnv?: Record<string, string>
}

/** One action step on a fresh copy of the app; the ActionRun goes to `inspect` before cleanup. */
export async function timeAction(
  fx: BenchFixture,
  cfg: BenchConfig,
  call: ActionCall,
  inspect?: (run: ActionRun) => void
): Promise<Sample> {
  const goEnv = call.goEnv ?? makeGoEnv(call.goproxy)
  const workspace = fx.newWorkspace()
  try {
    const started = performance.now()
    const run = await runAction({
      workspace,
      actionDir: cfg.actionDir,
      env: { ...goEnv.env, GOPROXY: call.goproxy, ...call.extraEnv },
      inputs: { goproxy: call.goproxy, cache: 'false', ...call.inputs },
      timeoutMs: cfg.actionCapMs
    })
    const ms = performance.now() - started
    inspect?.(run)
    removeTree(run.runnerTemp)
    return { ms, ok: !run.failed, killed: run.timedOut, exitCode: run.exitCode }
  } finally {
    removeTree(workspace)
    if (!call.goEnv) goEnv.cleanup()
  }
}

/** One bare `go mod tidy` with the same GOPROXY on a fresh copy of the app. */
export async function timeBareGo(fx: BenchFixture, cfg: BenchConfig, goproxy: string, warm?: GoEnv): Promise<Sample> {
  const goEnv = warm ?? makeGoEnv(goproxy)
  const workspace = fx.newWorkspace()
  try {
    const r = await runGo(['mod', 'tidy'], {
      cwd: workspace,
      env: { ...goEnv.env, GOPROXY: goproxy },
      timeoutMs: cfg.goCapMs
    })
    return { ms: r.durationMs, ok: r.code === 0, killed: r.timedOut, exitCode: r.code }
  } finally {
    removeTree(workspace)
    if (!warm) goEnv.cleanup()
  }
}

/**
 * Bare go then the action, alternately, so drift in the machine's load hits both alike. With `reference`, that
 * action call (e.g. the healthy proxy alone) runs in each round too, for ratios measured under the same load.
 */
export async function actionVsGo(
  fx: BenchFixture,
  cfg: BenchConfig,
  call: ActionCall,
  opts: { warm?: GoEnv; before?: () => void; inspect?: (run: ActionRun) => void; reference?: ActionCall } = {}
): Promise<{ action: Series; go: Series; reference?: Series }> {
  const go: Series = { samples: [], capMs: cfg.goCapMs }
  const reference: Series | undefined = opts.reference && { samples: [], capMs: cfg.actionCapMs }
  const action = await repeat(cfg, cfg.actionCapMs, async () => {
    // Bare go after each action run, unless it already hung once: a hang repeats.
    if (!go.samples.some((s) => s.killed)) {
      opts.before?.()
      go.samples.push(await timeBareGo(fx, cfg, call.goproxy, opts.warm))
    } else go.cut = 'killed at the cap, not repeated'
    if (reference) reference.samples.push(await timeAction(fx, cfg, { ...opts.reference!, goEnv: opts.warm }))
    opts.before?.()
    return timeAction(fx, cfg, { ...call, goEnv: opts.warm }, opts.inspect)
  })
  return { action, go, reference }
}
