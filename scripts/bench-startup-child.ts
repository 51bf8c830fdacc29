// One Node version's part of `npm run bench:startup`, run by that Node binary, so that the action's steps, which the
// runner emulation starts with process.execPath, run on it. The plan comes as JSON in BENCH_STARTUP_PLAN:
// { runs, variants: [{ removed, dir }] }. The case isolates start-up: the benchmark's tidy app module, a warm module
// cache, `cache: false`, preflight and the relay as by default against one loopback fixture proxy (so one HTTP
// request compiles undici's parser, as in a real step). Rounds run every bundle once each, in a rotating order, so
// drift in the machine's load hits them alike. Prints one JSON line: { node, samples: { [removed]: ms[] } }.
import { makeGoEnv, runGo, type GoEnv } from '../__tests__/helpers/gotest-env.js'
import { startBenchFixture, type BenchFixture } from './bench-fixture.js'
import { timeAction, type BenchConfig } from './bench-measure.js'
import type { Variant } from './bench-startup-variants.js'

interface Plan {
  runs: number
  variants: Variant[]
}

export interface ChildResult {
  node: string
  samples: Record<string, number[]>
}

const progress = (text: string): void => void process.stderr.write(`bench:startup (${process.version}): ${text}\n`)

async function timeOne(fx: BenchFixture, v: Variant, warm: GoEnv): Promise<number> {
  const cfg: BenchConfig = { runs: 1, goCapMs: 20_000, actionCapMs: 60_000, slowMs: 60_000, actionDir: v.dir }
  let failure = ''
  const s = await timeAction(fx, cfg, { goproxy: fx.healthy.url, goEnv: warm, inputs: { cache: 'false' } }, (run) => {
    if (run.failed) failure = `exit ${run.exitCode}\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`
  })
  if (!s.ok || failure) throw new Error(`the step "${v.removed || 'all tweaks'}" failed: ${failure || 'killed'}`)
  return s.ms
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.env.BENCH_STARTUP_PLAN ?? '') as Plan
  const fx = await startBenchFixture(1)
  const warm = makeGoEnv(fx.healthy.url)
  try {
    const fill = await runGo(['mod', 'tidy'], { cwd: fx.newWorkspace(), env: warm.env, timeoutMs: 120_000 })
    if (fill.code !== 0) throw new Error(`filling the warm module cache failed:\n${fill.stderr}`)
    const samples: Record<string, number[]> = Object.fromEntries(plan.variants.map((v) => [v.removed, []]))
    // One unmeasured step per bundle: the first reads its files from disk and go builds its caches.
    for (const v of plan.variants) await timeOne(fx, v, warm)
    for (let round = 0; round < plan.runs; round++) {
      const n = plan.variants.length
      for (let k = 0; k < n; k++) {
        const v = plan.variants[(round + k) % n]
        samples[v.removed].push(await timeOne(fx, v, warm))
      }
      if ((round + 1) % 5 === 0) progress(`${round + 1}/${plan.runs} rounds`)
    }
    const result: ChildResult = { node: process.version, samples }
    process.stdout.write(JSON.stringify(result) + '\n')
  } finally {
    warm.cleanup()
    await fx.close()
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
