// `npm run smoke`: the one part of the project that uses the network. Runs the bundled action (dist/) exactly as
// the runner does against this machine's real GOPROXY and GOSUMDB (read from `go env`), on small generated apps
// that depend on real, widely used modules, and compares every verdict with bare `go mod tidy -diff`.
// Scenarios: cold and warm module cache; the real proxies alone and behind a silent loopback proxy; relay on/off.
// Prints a Markdown report on stdout (progress on stderr); exits 1 on any disagreement or false alarm, 2 when the
// harness itself cannot be trusted (the generated apps are not what they claim). Never part of `npm test`.
// Usage: npm run -s smoke [-- --only toml,uuid] [-- --timeout 60] [-- --ref HEAD (the committed dist/, not the tree's)]
import { execFileSync } from 'node:child_process'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { startBlackhole, type Blackhole } from '../__tests__/helpers/fixture-proxy.js'
import { makeTempDir, removeTree } from '../__tests__/helpers/gotest-env.js'
import { makeWorkspace, REPO_ROOT, runAction } from '../__tests__/helpers/runner.js'
import { generateApps, SUBJECTS, type App } from './smoke-subjects.js'
import {
  falseAlarmCount,
  agrees,
  renderDetail,
  renderFindings,
  renderScenarios,
  renderSubjects,
  scenarioName
} from './smoke-table.js'
import type { BareResults, Scenario, ScenarioResult } from './smoke-table.js'
import { actionVerdicts, scanAlarms } from './smoke-verdicts.js'
import { bareTidy, makeRealGoEnv, readRealWorld, type RealWorld, type Timed } from './smoke-world.js'

interface Options {
  subjects: typeof SUBJECTS
  /** Each action step is killed after this long (its verdict is then `timeout`). */
  stepTimeoutMs: number
  bareTimeoutMs: number
  /** action.yml + dist/ to run; default the working tree's. */
  actionDir?: string
  /** What actionDir holds, for the report. */
  actionLabel: string
}

const progress = (msg: string): void => void process.stderr.write(`smoke: ${msg}\n`)

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    subjects: SUBJECTS,
    stepTimeoutMs: 60_000,
    bareTimeoutMs: 120_000,
    actionLabel: 'dist/ of the working tree'
  }
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1] ?? '']
    if (flag === '--only') {
      const slugs = value.split(',')
      opts.subjects = SUBJECTS.filter((s) => slugs.includes(s.slug))
      if (opts.subjects.length !== slugs.length)
        throw new Error(`--only: known subjects are ${SUBJECTS.map((s) => s.slug).join(',')}`)
    } else if (flag === '--ref' && value) {
      // The bundle as committed at a ref, away from edits in progress: git archive of action.yml and dist/.
      opts.actionDir = makeTempDir('gtg-smoke-action-')
      execFileSync('sh', ['-c', 'git archive "$1" action.yml dist | tar -x -C "$2"', 'sh', value, opts.actionDir], {
        cwd: REPO_ROOT
      })
      opts.actionLabel = `dist/ at ${value} (${execFileSync('git', ['rev-parse', '--short', value], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()})`
    } else if (flag === '--timeout' && Number(value) > 0) {
      opts.stepTimeoutMs = Number(value) * 1000
    } else {
      throw new Error(
        `usage: npm run smoke -- [--only ${SUBJECTS.map((s) => s.slug).join(',')}] [--timeout <seconds per action step>] [--ref <git ref whose dist/ to run>]`
      )
    }
    i++
  }
  return opts
}

/** Bare go with the real proxies only, in its own module cache: a cold pass, then a warm one. */
async function runBare(root: string, apps: App[], world: RealWorld, timeoutMs: number): Promise<BareResults> {
  const env = makeRealGoEnv(world)
  const results: BareResults = { cold: new Map(), warm: new Map() }
  try {
    for (const temp of ['cold', 'warm'] as const) {
      progress(`bare go mod tidy -diff, ${temp} cache`)
      for (const a of apps) results[temp].set(a.rel, await bareTidy(join(root, a.rel), env.env, timeoutMs))
    }
  } finally {
    env.cleanup()
  }
  return results
}

/** One module cache for a cold step, then a warm step (same GOMODCACHE), each on a fresh copy of the apps. */
async function runChain(
  root: string,
  apps: App[],
  world: RealWorld,
  opts: Options,
  silentFirst: boolean,
  relay: boolean,
  bare: BareResults
): Promise<ScenarioResult[]> {
  const env = makeRealGoEnv(world)
  const silent: Blackhole | undefined = silentFirst ? await startBlackhole() : undefined
  const out: ScenarioResult[] = []
  try {
    for (const temp of ['cold', 'warm'] as const) {
      const scenario: Scenario = { temp, silentFirst, relay }
      progress(`action, ${scenarioName(scenario)}`)
      const workspace = makeWorkspace()
      cpSync(join(root, 'apps'), join(workspace, 'apps'), { recursive: true })
      const inputs: Record<string, string> = { cache: 'false', relay: String(relay), mode: 'check' }
      // Alone: the goproxy input stays empty, so the action takes GOPROXY from go env, as most users leave it.
      if (silent) inputs.goproxy = `${silent.url},${world.goproxy}`
      const started = Date.now()
      const run = await runAction({
        workspace,
        env: env.env,
        inputs,
        timeoutMs: opts.stepTimeoutMs,
        actionDir: opts.actionDir
      })
      const stepMs = Date.now() - started
      if (run.unexpectedInputs.length > 0)
        throw new Error(`inputs action.yml does not declare: ${run.unexpectedInputs.join(', ')}`)
      const healthy = [...bare[temp].values()].every((t: Timed) => t.verdict === 'tidy' || t.verdict === 'drift')
      const alarmsUnjudged = run.timedOut ? 'killed before reporting' : healthy ? undefined : 'bare go failed too'
      out.push({
        scenario,
        stepMs,
        step: run.timedOut ? 'killed (timeout)' : run.failed ? `failed (exit ${run.exitCode})` : 'passed',
        verdicts: actionVerdicts(run, apps, opts.stepTimeoutMs),
        alarms: scanAlarms(run, world, silent ? `${silent.host}:${silent.port}` : undefined),
        alarmsUnjudged
      })
      removeTree(workspace)
    }
  } finally {
    await silent?.close()
    env.cleanup()
  }
  return out
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2))
  const world = readRealWorld()
  const started = Date.now()
  progress(
    `GOPROXY=${world.goproxy} GOSUMDB=${world.gosumdb} (from go env); forwarding ${Object.keys(world.netVars).join(', ') || 'no network variables'}`
  )
  const root = makeTempDir('gtg-smoke-apps-')
  const gen = makeRealGoEnv(world)
  progress(`generating ${opts.subjects.length * 2} apps with the real go`)
  let apps: App[]
  try {
    apps = await generateApps(root, opts.subjects, gen.env)
  } finally {
    gen.cleanup()
  }
  const bare = await runBare(root, apps, world, opts.bareTimeoutMs)
  const results: ScenarioResult[] = []
  for (const silentFirst of [false, true]) {
    for (const relay of [true, false])
      results.push(...(await runChain(root, apps, world, opts, silentFirst, relay, bare)))
  }
  const disagreements = results.reduce((n, r) => n + apps.filter((a) => !agrees(r, bare, a)).length, 0)
  const alarms = results.reduce((n, r) => n + falseAlarmCount(r), 0)
  const selfCheck = apps.every(
    (a) => bare.cold.get(a.rel)?.verdict === a.expected && bare.warm.get(a.rel)?.verdict === a.expected
  )
  console.log(`## go-tidy-guard smoke: ${opts.actionLabel} against the real module proxy\n`)
  console.log(
    `GOPROXY \`${world.goproxy}\`, GOSUMDB \`${world.gosumdb}\` (from \`go env\`); silent-first = a loopback proxy that accepts and never answers, listed first; alone = goproxy input empty; cache: false; check mode; each step killed after ${opts.stepTimeoutMs / 1000} s.\n`
  )
  console.log(renderSubjects(opts.subjects) + '\n')
  console.log(renderScenarios(apps, results, bare) + '\n')
  console.log(renderDetail(opts.subjects, apps, results, bare) + '\n')
  console.log(renderFindings(apps, results, bare) + '\n')
  const total = `${((Date.now() - started) / 1000).toFixed(0)} s`
  console.log(
    `**Result:** ${disagreements} disagreement(s), ${alarms} false alarm(s)${selfCheck ? '' : ', HARNESS SELF-CHECK FAILED'}; smoke took ${total}.`
  )
  if (!selfCheck) return 2
  return disagreements > 0 || alarms > 0 ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e)
    process.exit(2)
  }
)
