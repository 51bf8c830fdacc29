// Warm restore versus cold: main then post, as the runner runs them, against the loopback cache service. Run 1
// on a fresh runner downloads everything and saves in post; run 2 on a fresh runner at the same paths (the
// cache's version depends on them, as on GitHub's runners) restores the entry and should fetch no zip.
import { cpSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startCacheService, type CacheService } from '../__tests__/helpers/cache-service.js'
import { makeGoEnv, makeTempDir, removeTree, type GoEnv } from '../__tests__/helpers/gotest-env.js'
import { readActionYml, runAction, type ActionRun } from '../__tests__/helpers/runner.js'
import type { BenchFixture } from './bench-fixture.js'
import { median, type BenchConfig } from './bench-measure.js'
import { mb, secs, type CaseResult } from './bench-table.js'

interface Measured {
  ms: number
  bytes: number
  zips: number
  run: ActionRun
}

interface Pair {
  cold: Measured
  warm: Measured
  saved: boolean
}

const NAME = 'warm restore vs cold (main step)'

export async function warmRestore(fx: BenchFixture, cfg: BenchConfig): Promise<CaseResult> {
  const actionDir = cfg.actionDir
  if (!readActionYml(actionDir).post) {
    return { name: NAME, target: '—', result: 'SKIP', notes: 'action.yml has no runs.post yet (the cache save step)' }
  }
  const svc = await startCacheService()
  const goEnv = makeGoEnv(fx.healthy.url)
  const workspace = join(makeTempDir('gtg-bench-cache-'), 'workspace')
  try {
    const pairs: Pair[] = []
    for (let i = 0; i < cfg.runs; i++) pairs.push(await onePair(fx, cfg, { svc, goEnv, workspace, actionDir }))
    return judge(pairs)
  } finally {
    await svc.close()
    goEnv.cleanup()
    removeTree(join(workspace, '..'))
  }
}

interface World {
  svc: CacheService
  goEnv: GoEnv
  workspace: string
  actionDir: string
}

async function onePair(fx: BenchFixture, cfg: BenchConfig, w: World): Promise<Pair> {
  w.svc.clear()
  freshRunner(fx, w)
  const cold = await measuredMain(fx, cfg, w)
  const savePost = await step(cfg, w, 'post', cold.run.state)
  freshRunner(fx, w)
  const warm = await measuredMain(fx, cfg, w)
  await step(cfg, w, 'post', warm.run.state)
  return { cold, warm, saved: !savePost.failed && w.svc.entries().some((e) => e.finalized) }
}

/** A new runner at the same paths: empty HOME, GOPATH (module cache), build cache; a fresh checkout. */
function freshRunner(fx: BenchFixture, w: World): void {
  for (const d of [w.workspace, w.goEnv.env.HOME, w.goEnv.env.GOPATH, w.goEnv.env.GOCACHE]) {
    removeTree(d)
    mkdirSync(d, { recursive: true })
  }
  cpSync(fx.appTemplate, w.workspace, { recursive: true })
}

async function measuredMain(fx: BenchFixture, cfg: BenchConfig, w: World): Promise<Measured> {
  const bytes = fx.healthy.bytesServed()
  const zips = fx.healthy.zipRequests()
  const started = performance.now()
  const run = await step(cfg, w, 'main')
  return {
    ms: performance.now() - started,
    bytes: fx.healthy.bytesServed() - bytes,
    zips: fx.healthy.zipRequests() - zips,
    run
  }
}

async function step(
  cfg: BenchConfig,
  w: World,
  entry: 'main' | 'post',
  state?: Record<string, string>
): Promise<ActionRun> {
  const run = await runAction({
    entry,
    state,
    workspace: w.workspace,
    actionDir: w.actionDir,
    env: { ...w.goEnv.env, ...w.svc.env() },
    inputs: { goproxy: w.goEnv.env.GOPROXY, cache: 'true' },
    timeoutMs: cfg.actionCapMs
  })
  removeTree(run.runnerTemp)
  return run
}

function judge(pairs: Pair[]): CaseResult {
  const cold = median(pairs.map((p) => p.cold.ms))
  const warm = median(pairs.map((p) => p.warm.ms))
  const hits = pairs.filter((p) => p.warm.run.outputs['cache-hit'] === 'true').length
  const warmZips = Math.max(...pairs.map((p) => p.warm.zips))
  const passed = pairs.every((p) => !p.cold.run.failed && !p.warm.run.failed)
  // Time is reported, not judged: a loopback proxy is faster than any archive restore.
  const ok = passed && hits === pairs.length && warmZips === 0
  const problems = [
    !passed && 'a main step failed',
    !pairs.every((p) => p.saved) && 'post did not save an entry',
    hits < pairs.length && `cache-hit true in ${hits}/${pairs.length}`,
    warmZips > 0 && `restored run fetched ${warmZips} zip(s)`
  ].filter(Boolean)
  return {
    name: NAME,
    actionText: `restored ${secs(warm)} / cold ${secs(cold)}`,
    goText: '—',
    ratioText: `${(warm / cold).toFixed(2)}× cold`,
    target: 'cache-hit, no zip from the proxy',
    result: ok ? 'PASS' : 'FAIL',
    notes:
      `from the proxy: cold ${mb(median(pairs.map((p) => p.cold.bytes)))} (${pairs[0].cold.zips} zips), ` +
      `restored ${mb(median(pairs.map((p) => p.warm.bytes)))} (${warmZips} zips)` +
      (problems.length ? `; ${problems.join('; ')}` : '')
  }
}
