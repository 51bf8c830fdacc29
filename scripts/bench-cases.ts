// The benchmark's network cases: the action and bare `go mod tidy` with the same GOPROXY on the same fixture.
import { refusedUrl, startBlackhole, type Blackhole } from '../__tests__/helpers/blackhole.js'
import { startFixtureProxy, type Fault, type FixtureProxy } from '../__tests__/helpers/fixture-proxy.js'
import { makeGoEnv, runGo } from '../__tests__/helpers/gotest-env.js'
import type { ActionRun } from '../__tests__/helpers/runner.js'
import type { BenchFixture } from './bench-fixture.js'
import { actionVsGo, median, repeat, seriesMedian, timeAction, type BenchConfig, type Series } from './bench-measure.js'
import { secs, type CaseResult } from './bench-table.js'

export const PREFLIGHT_TIMEOUT_S = 5

/** Every server the cases start, closed once at the end. */
export class Servers {
  private readonly closers: Array<() => Promise<void>> = []
  async proxy(fx: BenchFixture, faults: Fault[] = []): Promise<FixtureProxy> {
    const p = await startFixtureProxy({ modules: fx.modules, faults })
    this.closers.push(() => p.close())
    return p
  }
  async blackhole(): Promise<Blackhole> {
    const b = await startBlackhole()
    this.closers.push(() => b.close())
    return b
  }
  async close(): Promise<void> {
    await Promise.allSettled(this.closers.map((c) => c()))
  }
}

const passed = (s: Series): boolean => s.samples.every((x) => x.ok && !x.killed)

/** "1.24× healthy": the case's median over a healthy reference; a lower bound ("≥") when a sample was killed. */
function healthyRatio(s: Series, refMs: number): string {
  return `${s.samples.some((x) => x.killed) ? '≥ ' : ''}${(seriesMedian(s) / refMs).toFixed(2)}× healthy`
}

/** A case whose target is that the step passes; its time is shown against the healthy cold-cache reference. */
function stepPasses(name: string, r: { action: Series; go: Series }, refMs: number, relayNote: string): CaseResult {
  return {
    name,
    ...r,
    target: 'step passes',
    result: passed(r.action) ? 'PASS' : 'FAIL',
    notes: [healthyRatio(r.action, refMs), relayNote].filter(Boolean).join('; ')
  }
}

/** ≤ factor × the healthy action measured alongside (r.reference), and every step passed. */
function withinFactor(
  name: string,
  r: { action: Series; go: Series; reference?: Series },
  factor: number,
  notes = ''
): CaseResult {
  const m = seriesMedian(r.action)
  const refMs = r.reference ? seriesMedian(r.reference) : NaN
  const ok = passed(r.action) && r.reference !== undefined && passed(r.reference) && m <= factor * refMs
  const got = `${healthyRatio(r.action, refMs)} (${secs(refMs)} alongside)`
  return {
    name,
    action: r.action,
    go: r.go,
    target: `≤ ${factor}× healthy action (${secs(factor * refMs)})`,
    result: ok ? 'PASS' : 'FAIL',
    notes: [passed(r.action) ? got : `${got}; step failed`, notes].filter(Boolean).join('; ')
  }
}

export async function healthyCold(fx: BenchFixture, cfg: BenchConfig): Promise<CaseResult> {
  const r = await actionVsGo(fx, cfg, { goproxy: fx.healthy.url })
  return {
    name: 'healthy proxy, cold cache',
    ...r,
    target: 'reference for the notes below (failover targets use a healthy run alongside)',
    result: passed(r.action) ? 'INFO' : 'FAIL',
    notes: passed(r.action) ? '' : 'step failed'
  }
}

export async function healthyWarm(fx: BenchFixture, cfg: BenchConfig): Promise<CaseResult> {
  const warm = makeGoEnv(fx.healthy.url)
  try {
    const fill = await runGo(['mod', 'tidy'], { cwd: fx.newWorkspace(), env: warm.env, timeoutMs: cfg.goCapMs })
    if (fill.code !== 0) throw new Error(`bench: filling the warm module cache failed:\n${fill.stderr}`)
    const r = await actionVsGo(fx, cfg, { goproxy: fx.healthy.url }, { warm })
    const a = seriesMedian(r.action)
    const g = seriesMedian(r.go)
    const allowed = g + Math.max(0.1 * g, 300)
    const ok = passed(r.action) && a <= allowed
    return {
      name: 'healthy proxy, warm cache',
      ...r,
      target: `≤ bare go + max(10%, 300 ms) (${secs(allowed)})`,
      result: ok ? 'PASS' : 'FAIL',
      notes: `overhead ${Math.round(a - g)} ms`
    }
  } finally {
    warm.cleanup()
  }
}

export async function blackholedFirst(fx: BenchFixture, cfg: BenchConfig, sv: Servers): Promise<CaseResult> {
  const dead = await sv.blackhole()
  const r = await actionVsGo(
    fx,
    cfg,
    { goproxy: `${dead.url},${fx.healthy.url}` },
    { reference: { goproxy: fx.healthy.url } }
  )
  return withinFactor('blackholed first proxy (`,`)', r, 1.5)
}

export async function stalledFirst(fx: BenchFixture, cfg: BenchConfig, sv: Servers): Promise<CaseResult> {
  // Every zip from the first proxy: headers with the full length, half the body, then silence (a middlebox
  // that stalls downloads from that host). Its module list and .mod files answer normally.
  const stalled = await sv.proxy(fx, [{ kind: 'stall', match: /\.zip$/ }])
  let relayNote = ''
  const r = await actionVsGo(
    fx,
    cfg,
    { goproxy: `${stalled.url},${fx.healthy.url}` },
    {
      inspect: (run) => (relayNote = attemptsNote(run)),
      reference: { goproxy: fx.healthy.url }
    }
  )
  return withinFactor('stalled first proxy, mid-zip (`,`)', r, 1.5, relayNote)
}

/** The flaky proxy's faults for one run: a fixed number of 503s and resets, healed after that. */
function flakyFaults(): Fault[] {
  return [
    { kind: 'reset', match: /bench\/assets\/@v\/v1\.0\.0\.zip$/, times: 1 },
    { kind: 'status', status: 503, match: /\.mod$/, times: 5 },
    { kind: 'reset', match: /\.mod$/, times: 3, afterBytes: 10 },
    { kind: 'status', status: 503, match: /\.zip$/, times: 3 },
    { kind: 'reset', match: /\.zip$/, times: 2, afterBytes: 100 }
  ]
}

export async function flakyAlone(fx: BenchFixture, cfg: BenchConfig, sv: Servers, refMs: number): Promise<CaseResult> {
  const flaky = await sv.proxy(fx)
  let relayNote = ''
  const r = await actionVsGo(
    fx,
    cfg,
    { goproxy: flaky.url },
    {
      before: () => flaky.setFaults(flakyFaults()),
      inspect: (run) => (relayNote = attemptsNote(run))
    }
  )
  return stepPasses('one flaky proxy alone (8 × 503, 6 resets)', r, refMs, relayNote)
}

/** Five dead endpoints (refused, blackhole, unresolvable, 503, stall), then five healthy proxies, `|`-separated. */
export async function tenEndpoints(fx: BenchFixture, sv: Servers): Promise<string> {
  const dead = [
    await refusedUrl(),
    (await sv.blackhole()).url,
    'http://goproxy.invalid',
    (await sv.proxy(fx, [{ kind: 'status', status: 503 }])).url,
    (await sv.proxy(fx, [{ kind: 'stall' }])).url
  ]
  const healthy = await Promise.all([1, 2, 3, 4, 5].map(async () => (await sv.proxy(fx)).url))
  return [...dead, ...healthy].join('|')
}

export async function tenWithFiveDead(
  fx: BenchFixture,
  cfg: BenchConfig,
  goproxy: string,
  refMs: number
): Promise<CaseResult> {
  let relayNote = ''
  const r = await actionVsGo(fx, cfg, { goproxy }, { inspect: (run) => (relayNote = attemptsNote(run)) })
  return stepPasses('ten endpoints, five dead (`|`)', r, refMs, relayNote)
}

interface ProbeOut {
  verdict: string
  timings: { total: number }
}

/** Preflight alone: `strict` stops the step after preflight; the time is what the `preflight` output reports. */
export async function preflightOfTen(fx: BenchFixture, cfg: BenchConfig, goproxy: string): Promise<CaseResult> {
  const inputs = { preflight: 'strict', 'preflight-timeout': String(PREFLIGHT_TIMEOUT_S) }
  const longest: number[] = []
  let verdicts = ''
  const steps = await repeat(cfg, cfg.actionCapMs, () =>
    timeAction(fx, cfg, { goproxy, inputs }, (run) => {
      const probes = readPreflight(run)
      longest.push(Math.max(...probes.map((p) => p.timings.total)))
      verdicts = probes.map((p) => p.verdict).join(', ')
    })
  )
  const healthyOnly = await repeat(cfg, cfg.actionCapMs, () => timeAction(fx, cfg, { goproxy: fx.healthy.url, inputs }))
  const m = median(longest)
  const limit = PREFLIGHT_TIMEOUT_S * 1000 + 500
  return {
    name: 'preflight of the ten endpoints alone',
    actionText: Number.isFinite(m) ? `${secs(m)} (slowest probe)` : 'no preflight output',
    goText: '—',
    ratioText: '—',
    target: `≤ preflight-timeout + 0.5 s (${secs(limit)})`,
    result: m <= limit ? 'PASS' : 'FAIL',
    notes:
      `strict step ${secs(seriesMedian(steps))} vs ${secs(seriesMedian(healthyOnly))} with the healthy proxy alone; ` +
      `verdicts: ${verdicts}`
  }
}

function readPreflight(run: ActionRun): ProbeOut[] {
  try {
    const v = JSON.parse(run.outputs.preflight ?? '[]') as ProbeOut[]
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}

/** tidy attempts and the relay's retries, from the step's log (the last run's). */
function attemptsNote(run: ActionRun): string {
  const rows = run.summary.split('\n').filter((l) => l.startsWith('| `http'))
  const relay = rows
    .map((l) => l.split('|').map((c) => c.trim()))
    .filter((c) => c.length >= 8 && /^\d+$/.test(c[2]) && /^\d+$/.test(c[4]))
  const retries = relay.reduce((n, c) => n + Number(c[4]), 0)
  const tripped = relay.filter((c) => c[7]?.includes('stopped')).length
  const attempts = /\| (\d+) \|\s*$/m.exec(run.summary.split('### ')[0] ?? '')?.[1]
  const bits = [
    attempts && `tidy attempts ${attempts}`,
    relay.length > 0 && `relay retries ${retries}`,
    tripped > 0 && `${tripped} upstream(s) tripped`
  ]
  if (run.timedOut) bits.push('last step killed at the cap')
  else if (run.failed) bits.push(`last step failed: ${lastError(run)}`)
  return bits.filter(Boolean).join(', ')
}

function lastError(run: ActionRun): string {
  const e = run.annotations.find((a) => a.level === 'error')
  return (e?.message ?? `exit ${run.exitCode}`).split('\n')[0].slice(0, 160)
}
