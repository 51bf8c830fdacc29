// `npm run bench`: the speed and memory targets of issues 3 and 4, measured in one process run on loopback
// servers: the bundled action (as the runner runs it) against bare `go mod tidy` with the same GOPROXY on the
// same fixture. Prints one Markdown table of medians and ratios; exits 0 even when a target is missed.
//   BENCH_RUNS        repetitions per case (default 5)
//   BENCH_GO_CAP_S    seconds after which a hanging bare go is killed (default 20)
//   BENCH_ACTION_DIR  directory holding action.yml and the bundle (default: this repository)
//   BENCH_ONLY        `monorepo`: only the monorepo cases (bench-monorepo.ts, which has its own variables)
import { resolve } from 'node:path'
import { REPO_ROOT } from '../__tests__/helpers/runner.js'
import { warmRestore } from './bench-cache.js'
import {
  blackholedFirst,
  flakyAlone,
  healthyCold,
  healthyWarm,
  preflightOfTen,
  Servers,
  stalledFirst,
  tenEndpoints,
  tenWithFiveDead
} from './bench-cases.js'
import { startBenchFixture, type BenchFixture } from './bench-fixture.js'
import { seriesMedian, type BenchConfig } from './bench-measure.js'
import { relayMemory } from './bench-memory.js'
import { monorepoCases, monoRuns } from './bench-monorepo.js'
import { renderTable, summaryLine, type CaseResult } from './bench-table.js'

const LARGE_MB = 8

function config(): BenchConfig {
  const int = (name: string, dflt: number, min: number): number => {
    const raw = process.env[name]
    if (raw === undefined || raw === '') return dflt
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`)
    return n
  }
  return {
    runs: int('BENCH_RUNS', 5, 1),
    goCapMs: int('BENCH_GO_CAP_S', 20, 1) * 1000,
    // The action's own promise: every upstream down fails within preflight-timeout + 30 s.
    actionCapMs: 45_000,
    slowMs: 30_000,
    actionDir: resolve(process.env.BENCH_ACTION_DIR || REPO_ROOT)
  }
}

const progress = (text: string): void => void process.stderr.write(`bench: ${text}\n`)

/** A case that throws is a FAIL row, not the end of the benchmark. */
async function guarded(name: string, rows: CaseResult[], fn: () => Promise<CaseResult | CaseResult[]>): Promise<void> {
  progress(`${name}…`)
  const started = performance.now()
  try {
    const r = await fn()
    rows.push(...(Array.isArray(r) ? r : [r]))
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    rows.push({ name, target: '—', result: 'FAIL', notes: `bench error: ${message.split('\n')[0]}` })
  }
  progress(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

async function main(): Promise<void> {
  const cfg = config()
  const only = process.env.BENCH_ONLY ?? ''
  if (!['', 'monorepo'].includes(only)) throw new Error(`BENCH_ONLY must be empty or "monorepo", got "${only}"`)
  const started = performance.now()
  const rows: CaseResult[] = []
  if (only !== 'monorepo') await singleModuleCases(cfg, rows)
  await monorepoCases(cfg, (name, fn) => guarded(name, rows, fn))
  const total = ((performance.now() - started) / 1000).toFixed(0)
  const runs = `${only === 'monorepo' ? '' : `${cfg.runs}, `}monorepo cases ${monoRuns(cfg)}`
  console.log(
    `\n### go-tidy-guard bench (runs per case: ${runs}; bare go killed at ${cfg.goCapMs / 1000} s; total ${total} s)\n`
  )
  console.log(renderTable(rows))
  console.log(`\n${summaryLine(rows)}`)
}

/** The cases of issues 3 and 4 on the single-module fixture. */
async function singleModuleCases(cfg: BenchConfig, rows: CaseResult[]): Promise<void> {
  // First, while this process holds nothing else: its memory is what the relay case samples.
  await guarded('relay memory', rows, () => relayMemory(cfg))
  progress(`fixture: ${LARGE_MB} MB zip plus 33 small module versions, tidy app authored by go`)
  const fx: BenchFixture = await startBenchFixture(LARGE_MB)
  const sv = new Servers()
  try {
    let refMs = NaN
    await guarded('healthy proxy, cold cache', rows, async () => {
      const r = await healthyCold(fx, cfg)
      refMs = seriesMedian(r.action!)
      return r
    })
    await guarded('healthy proxy, warm cache', rows, () => healthyWarm(fx, cfg))
    await guarded('blackholed first proxy', rows, () => blackholedFirst(fx, cfg, sv))
    await guarded('stalled first proxy', rows, () => stalledFirst(fx, cfg, sv))
    await guarded('one flaky proxy alone', rows, () => flakyAlone(fx, cfg, sv, refMs))
    const ten = await tenEndpoints(fx, sv)
    await guarded('ten endpoints, five dead', rows, () => tenWithFiveDead(fx, cfg, ten, refMs))
    await guarded('preflight of ten endpoints', rows, () => preflightOfTen(fx, cfg, ten))
    await guarded('warm restore vs cold', rows, () => warmRestore(fx, cfg))
  } finally {
    await sv.close()
    await fx.close()
  }
}

// Temp dirs are removed on 'exit' (gotest-env); make Ctrl-C go through it.
process.once('SIGINT', () => process.exit(130))

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
