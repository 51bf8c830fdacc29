// Tidies every module of the run: concurrently (go's module cache locking makes concurrent go processes safe, and
// they share one relay and one preflight), the slowest modules first when a previous run's timings are known, and
// with whole-module retries that are shared by the run: a cause that already failed one module after its retries
// (same class, same host) is not retried again module by module.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { tidyWithRetries, type RetryGate, type TidyOptions } from './module.js'
import { usableCpus } from '../lib/cpus.js'
import { shellLauncher } from '../go/launch.js'
import type { ClassifiedError, GoModule, TidyResult } from '../types.js'

export interface RunOptions extends TidyOptions {
  /** go processes at once; default: the CPUs the job may use (the inputs default to two per CPU). */
  concurrency?: number
  /** How long each module (by workspace-relative directory) took last time, ms: the slowest start first. */
  timings?: Record<string, number>
  /** Progress for a front end: a module's tidy starts, and its result (after its retries). */
  onStart?: (module: GoModule) => void
  onDone?: (result: TidyResult) => void
}

/** Results in the order of `modules`, whatever order they ran in. */
export async function tidyModules(modules: GoModule[], o: RunOptions): Promise<TidyResult[]> {
  const order = slowestFirst(modules, o.timings ?? {})
  const gate = new SharedRetries(o.retries * Math.max(1, o.concurrency ?? 1))
  const results = new Map<GoModule, TidyResult>()
  let next = 0
  const lane = async (): Promise<void> => {
    while (next < order.length) {
      const m = order[next++]
      o.onStart?.(m)
      const r = await tidyWithRetries(m, each, gate)
      results.set(m, r)
      o.onDone?.(r)
    }
  }
  const lanes = Math.max(1, Math.min(o.concurrency ?? usableCpus(), order.length))
  // go started by a shell per lane rather than by this process (see go/launch.ts), unless the caller chose.
  const launcher = o.launcher ?? shellLauncher()
  const each = { ...o, launcher }
  try {
    await Promise.all(Array.from({ length: lanes }, lane))
  } finally {
    if (!o.launcher) launcher.close()
  }
  return modules.map((m) => results.get(m)!)
}

export function slowestFirst(modules: GoModule[], timings: Record<string, number>): GoModule[] {
  // Unknown modules (new ones) count as slow: they may need downloads the others already made.
  const ms = (m: GoModule): number => timings[m.rel] ?? Infinity
  return [...modules].sort((a, b) => ms(b) - ms(a) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

/** The run's whole-module retries: a budget in attempts, and the causes that already failed a module for good. */
class SharedRetries implements RetryGate {
  private readonly failed = new Set<string>()

  constructor(private left: number) {}

  mayRetry(e: ClassifiedError): boolean {
    if (this.failed.has(causeOf(e)) || this.left <= 0) return false
    this.left--
    return true
  }

  gaveUp(e: ClassifiedError): void {
    this.failed.add(causeOf(e))
  }
}

/** What failed, coarsely: the class and the host named in the message (a URL's, or a DNS lookup's). */
export function causeOf(e: ClassifiedError): string {
  // Literal searches, then anchored patterns: the message holds untrusted text (module paths), so nothing here may
  // backtrack over it.
  const scheme = e.message.indexOf('://')
  const url = scheme < 0 ? undefined : /^[^/\s"':@]+(?::\d+)?/.exec(e.message.slice(scheme + 3))?.[0]
  const lookup = e.message.indexOf('lookup ')
  const host = url ?? (lookup < 0 ? undefined : /^[^\s:]+/.exec(e.message.slice(lookup + 7))?.[0])
  return `${e.class} ${host ?? (e.message.includes('through the relay') ? 'relay' : '')}`
}

const TIMINGS_FILE = ['cache', 'download', 'go-tidy-guard-timings.json']

/** Last run's timings, kept in the module cache (saved and restored with it). Empty when there are none. */
export function readTimings(gomodcache: string | undefined): Record<string, number> {
  if (!gomodcache) return {}
  try {
    const data = JSON.parse(readFileSync(path.join(gomodcache, ...TIMINGS_FILE), 'utf8')) as unknown
    if (!data || typeof data !== 'object') return {}
    return Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)))
  } catch {
    return {}
  }
}

/** Records this run's timings next to last run's (modules not checked this time keep theirs). Fail-soft. */
export function writeTimings(gomodcache: string | undefined, results: TidyResult[]): void {
  if (!gomodcache || results.length === 0) return
  const file = path.join(gomodcache, ...TIMINGS_FILE)
  const all = { ...readTimings(gomodcache), ...Object.fromEntries(results.map((r) => [r.module.rel, r.durationMs])) }
  try {
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file + '.tmp', JSON.stringify(all))
    renameSync(file + '.tmp', file)
  } catch {
    // Only an ordering hint for the next run.
  }
}
