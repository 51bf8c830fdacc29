// The bare-go baselines of the monorepo cases: one go command in every module directory, as issue 11 words it,
// `xargs -P <parallel>` starting `sh -c 'cd <dir> && go …'` (1: one module after another), timed as a whole. Real
// xargs, not a pool in this process: a fork of this process costs in proportion to its memory, which the bench's
// other cases grow (a 50 MB zip relayed), and the baseline must not slow down with it.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GO_BIN, makeTempDir, removeTree } from '../__tests__/helpers/gotest-env.js'

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
  /** The loop is killed after this long per round of `parallel` modules. */
  capMs: number
  /** Exit codes that are results, not errors (1 for `-diff` finding drift). Default: 0 only. */
  okCodes?: number[]
}

/** A shell's single-quoted word. */
const quote = (w: string): string => `'${w.replace(/'/g, `'\\''`)}'`

/**
 * Runs go in `root`/`dir` for every dir, `parallel` at a time, in the order given: `xargs -0 -n 2 -P <parallel>
 * sh -c …` on "index, directory" pairs. Each sh reports "<index> <exit code>" on stdout (go's own stdout goes to
 * /dev/null, its stderr to a file per index, for the first error). The whole loop is capped at `capMs` per round of
 * `parallel` modules; a capped loop is killed (its process group) and its unfinished codes stay null.
 */
export async function goLoop(root: string, dirs: string[], o: LoopOptions): Promise<LoopResult> {
  const codes: Array<number | null> = new Array<number | null>(dirs.length).fill(null)
  const ok = new Set([0, ...(o.okCodes ?? [])])
  const errs = makeTempDir('gtg-bench-loop-')
  const go = [GO_BIN, ...o.args].map(quote).join(' ')
  const script = `cd "$2" || { echo "$1 126"; exit 0; }; ${go} >/dev/null 2>"$GTG_LOOP_ERRS/$1"; echo "$1 $?"`
  const input = dirs.map((d, i) => `${i}\0${join(root, d)}\0`).join('')
  const parallel = String(Math.max(1, Math.min(o.parallel, dirs.length)))
  const capMs = o.capMs * Math.ceil(dirs.length / Number(parallel))
  const started = performance.now()
  const child = spawn('xargs', ['-0', '-n', '2', '-P', parallel, 'sh', '-c', script, 'sh'], {
    env: { ...o.env, GTG_LOOP_ERRS: errs },
    stdio: ['pipe', 'pipe', 'inherit'],
    detached: true
  })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stdin.end(input)
  let killed = false
  const timer = setTimeout(() => {
    killed = true
    if (child.pid) process.kill(-child.pid, 'SIGKILL')
  }, capMs)
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', () => resolve())
  })
  const ms = performance.now() - started
  clearTimeout(timer)
  for (const line of out.split('\n')) {
    const [i, code] = line.split(' ').map(Number)
    if (Number.isInteger(i) && Number.isInteger(code) && i >= 0 && i < codes.length) codes[i] = code
  }
  const bad = codes.findIndex((c) => c === null || !ok.has(c))
  let firstError: string | undefined
  if (bad >= 0) {
    let stderr = ''
    try {
      stderr = readFileSync(join(errs, String(bad)), 'utf8')
    } catch {
      // never started
    }
    const c = codes[bad]
    firstError = `${dirs[bad]}: ${c === null ? (killed ? 'killed at the cap' : 'never ran') : `exit ${c}`}: ${stderr.trim().slice(0, 400)}`
  }
  removeTree(errs)
  return { ms, codes, killed, firstError }
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
