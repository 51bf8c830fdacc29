// The bare-go baselines of the monorepo cases: one go command in every module directory, one at a time (a shell
// `for` loop) or through a pool of `parallel` child processes (what `xargs -P <cores>` does), timed as a whole.
import { join } from 'node:path'
import { runGo } from '../__tests__/helpers/gotest-env.js'

export interface LoopResult {
  /** Wall time of the whole loop. */
  ms: number
  /** Exit code per directory (same order as `dirs`); null when killed at the cap. */
  codes: Array<number | null>
  /** Some go was killed at the cap. */
  killed: boolean
  /** The first stderr of a go that exited neither 0 nor with `okCodes`, for error messages. */
  firstError?: string
}

export interface LoopOptions {
  /** go's arguments, e.g. ['mod', 'tidy', '-diff']. */
  args: string[]
  env: Record<string, string>
  /** go processes at once: 1 is a sequential loop. */
  parallel: number
  /** Kill one go after this long. */
  capMs: number
  /** Exit codes that are results, not errors (1 for `-diff` finding drift). Default: 0 only. */
  okCodes?: number[]
}

/** Runs go in `root`/`dir` for every dir, `parallel` at a time, in the order given. */
export async function goLoop(root: string, dirs: string[], o: LoopOptions): Promise<LoopResult> {
  const codes: Array<number | null> = new Array<number | null>(dirs.length).fill(null)
  const ok = new Set([0, ...(o.okCodes ?? [])])
  let killed = false
  let firstError: string | undefined
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < dirs.length) {
      const i = next++
      const r = await runGo(o.args, { cwd: join(root, dirs[i]), env: o.env, timeoutMs: o.capMs })
      codes[i] = r.code
      if (r.timedOut) killed = true
      if ((r.code === null || !ok.has(r.code)) && firstError === undefined) {
        firstError = `${dirs[i]}: ${r.timedOut ? 'killed at the cap' : `exit ${r.code}`}: ${r.stderr.trim().slice(0, 400)}`
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel, dirs.length)) }, worker))
  return { ms: performance.now() - started, codes, killed, firstError }
}

/** How many directories ended with each exit code, e.g. "300 × exit 0" or "298 × exit 1, 2 × killed". */
export function codeCounts(codes: Array<number | null>): string {
  const counts = new Map<string, number>()
  for (const c of codes) {
    const k = c === null ? 'killed' : `exit ${c}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts].map(([k, n]) => `${n} × ${k}`).join(', ')
}
