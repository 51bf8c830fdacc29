// Memory and processes at scale (issue 11 point 5): one action step on a generated monorepo of 400 modules, cold
// cache (the relay fetches, spools and keeps answers for every go), while this process watches the step from
// /proc: the peak resident memory of the step's node process (VmHWM, exact however often it is read) and the
// go processes it runs at once (those named go among its descendants, sampled).
//   BENCH_MONO_MEMORY_MODULES  modules of this case's monorepo (default 400)
import { readdirSync, readFileSync } from 'node:fs'
import { authorRepo, libModules, monoSeeds } from './bench-mono-fixture.js'
import { monoConfig, series, stepError, timeAction, wholeNumber, type MonoConfig } from './bench-mono-measure.js'
import { secs, type CaseResult } from './bench-table.js'
import type { BenchConfig } from './bench-measure.js'
import { defaultConcurrency } from '../src/config/inputs.js'

const RSS_LIMIT_MB = 200
const SAMPLE_MS = 20

/** pid, command name and parent of every process, from /proc/<pid>/stat. */
function processes(): Array<{ pid: number; comm: string; ppid: number }> {
  const out: Array<{ pid: number; comm: string; ppid: number }> = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8')
    } catch {
      continue // gone meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')')
    const rest = stat.slice(close + 2).split(' ')
    out.push({ pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(rest[1]) })
  }
  return out
}

function peakRssKb(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

/**
 * Watches the step started by this process: its node child (running dist/index.js) and the go processes under it,
 * started directly or by the shells it starts them with (go/launch.ts).
 */
class StepWatch {
  private node: number | undefined
  peakKb = 0
  maxGo = 0
  samples = 0
  private readonly timer = setInterval(() => this.sample(), SAMPLE_MS)

  private sample(): void {
    const all = processes()
    // By its command line: Node 24 names its main thread (and so the process's comm) MainThread.
    this.node ??= all.find((p) => p.ppid === process.pid && this.isStep(p.pid))?.pid
    if (this.node === undefined) return
    this.samples++
    this.peakKb = Math.max(this.peakKb, peakRssKb(this.node) ?? 0)
    const under = new Set([this.node])
    for (let grew = true; grew;) {
      grew = false
      for (const p of all) if (under.has(p.ppid) && !under.has(p.pid)) grew = Boolean(under.add(p.pid))
    }
    this.maxGo = Math.max(this.maxGo, all.filter((p) => under.has(p.ppid) && p.comm === 'go').length)
  }

  private isStep(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[1]?.endsWith('index.js') ?? false
    } catch {
      return false
    }
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

export async function memoryCase(cfg: BenchConfig): Promise<CaseResult> {
  const mc: MonoConfig = { ...monoConfig(cfg), modules: wholeNumber('BENCH_MONO_MEMORY_MODULES', 400, 2) }
  const repo = await authorRepo(libModules(), monoSeeds(mc.modules), 180_000)
  const action = series(mc.actionCapMs)
  let watch: StepWatch | undefined
  let error = ''
  try {
    action.samples.push(
      await timeAction(repo, mc, {
        warm: null,
        prepare: () => (watch = new StepWatch()),
        inspect: (run) => (error = stepError(run))
      })
    )
  } finally {
    watch?.stop()
    await repo.close()
  }
  const w = watch!
  const peakMb = w.peakKb / 1024
  const ok = action.samples[0].ok && w.samples > 0 && peakMb < RSS_LIMIT_MB && w.maxGo <= defaultConcurrency()
  return {
    name: `memory and processes: monorepo of ${mc.modules} modules, cold cache`,
    action,
    actionText: `${peakMb.toFixed(0)} MB peak RSS`,
    target: `< ${RSS_LIMIT_MB} MB; ≤ ${defaultConcurrency()} go at once (its default concurrency)`,
    result: ok ? 'PASS' : 'FAIL',
    notes:
      `the step's node process: VmHWM ${peakMb.toFixed(1)} MB; at most ${w.maxGo} go processes at once in ${w.samples} ` +
      `samples (every ${SAMPLE_MS} ms); ${secs(action.samples[0].ms)}${error}`
  }
}
