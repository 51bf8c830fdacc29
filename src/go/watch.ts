// A watchdog for a go command: go has no timeout for a proxy that accepts a request and never answers, or for a
// body that stalls. With `-x` go prints `# get URL` when a request starts and `# get URL: STATUS (TIME)` when its
// headers arrive; a zip's body then streams into `<version>.zip*.tmp` in the download cache until go renames it.
// While a request waits for headers or a zip body is still being written, and go shows no progress (no output, no
// growth of those files) for `stallMs`, go is stopped and the run says which URL it was waiting for. go's own
// work between requests (loading packages, running git) is never timed.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { GoRun } from './exec.js'
import type { GoToolchain } from '../types.js'
import { directLauncher, type Launcher, type Started } from './launch.js'

export interface WatchOptions {
  cwd: string
  env: Record<string, string>
  /** No progress for this long while a request is outstanding: go is stopped. 0 turns the watchdog off. */
  stallMs: number
  /** GOMODCACHE, where go writes the zip it downloads (`cache/download/<path>/@v/<version>.zip*.tmp`). */
  gomodcache?: string
  /**
   * Requests under this URL are not timed: the relay's. It answers go only from a complete body, so a healthy slow
   * download shows no progress to go, and it times its upstreams itself (first byte, stalled body).
   */
  untimed?: string
  /** How go starts (see go/launch.ts); default: directly. */
  launcher?: Launcher
}

export interface WatchedRun extends GoRun {
  /** Set when the watchdog stopped go: the request it was waiting for (as go printed it: password redacted). */
  stalled?: { url: string; ms: number }
}

const GET = /^# get (\S+)(: .*)?$/
const KILL_GRACE_MS = 2000

/** go processes running now, and whether the step was cancelled (then no new one starts). */
const live = new Set<Started>()
let cancelled: NodeJS.Signals | undefined

/** How many go processes are running now (the run's concurrency bound is checked against this). */
export function goProcesses(): number {
  return live.size
}

/**
 * The job is being cancelled: pass the signal on to every go (and so its git children, which go stops), and start no
 * new one. The step then reports what it has and exits.
 */
export function cancelGo(signal: NodeJS.Signals): void {
  cancelled = signal
  for (const child of live) child.kill(signal)
}

/** Runs go with `-x` added to `args` (after the subcommand words given in `verbs`), under the watchdog. */
export function runGoWatched(
  go: Pick<GoToolchain, 'bin'>,
  verbs: string[],
  args: string[],
  o: WatchOptions
): Promise<WatchedRun> {
  const argv = [...verbs, ...(args.some((a) => a === '-x' || a === '--x') ? [] : ['-x']), ...args]
  if (cancelled) return Promise.reject(new Error(`the step was cancelled (${cancelled}): go mod tidy did not run`))
  return new Promise((resolve, reject) => {
    const out: Buffer[] = []
    let err = ''
    let partial = ''
    const active: Active = { headers: new Set(), bodies: new Set() }
    let last = { at: Date.now(), bytes: 0 }
    let stalled: WatchedRun['stalled']
    // Both launchers report go's end asynchronously: `timer` is set by then.
    const child = (o.launcher ?? directLauncher).start(go.bin, argv, o, {
      stdout: (b) => out.push(b),
      stderr: (s) => {
        err += s
        last = { at: Date.now(), bytes: last.bytes }
        const lines = (partial + s).split('\n')
        partial = lines.pop() ?? ''
        for (const line of lines) track(active, line, o.untimed)
      },
      error: (e) => {
        live.delete(child)
        clearInterval(timer)
        reject(new Error(`cannot run ${go.bin}: ${e.message}`))
      },
      exit: (code, signal) => {
        live.delete(child)
        clearInterval(timer)
        const stderr = signal && !stalled ? `${err}\ngo was killed by ${signal}` : err
        resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr, stalled })
      }
    })
    live.add(child)
    const timer =
      o.stallMs > 0
        ? setInterval(
            () => {
              if (stalled) return
              let bytes = 0
              for (const url of active.bodies) {
                const n = downloading(o.gomodcache, url)
                if (n === undefined)
                  active.bodies.delete(url) // written and renamed, or given up
                else bytes += n
              }
              const url = [...active.headers, ...active.bodies].at(-1)
              if (url === undefined) return void (last = { at: Date.now(), bytes: 0 })
              if (bytes !== last.bytes) last = { at: Date.now(), bytes }
              const idle = Date.now() - last.at
              if (idle < o.stallMs) return
              stalled = { url, ms: idle }
              child.kill('SIGTERM')
              setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS).unref()
            },
            Math.min(1000, Math.max(50, o.stallMs / 4))
          )
        : undefined
  })
}

/** Requests waiting for headers, and zip bodies still being written (by URL as go printed it). */
interface Active {
  headers: Set<string>
  bodies: Set<string>
}

function track(active: Active, line: string, untimed: string | undefined): void {
  const m = GET.exec(line.trimEnd())
  if (!m || (untimed && m[1].startsWith(untimed))) return
  if (m[2] === undefined) return void active.headers.add(m[1])
  active.headers.delete(m[1])
  // A body go caches as a file is timed until that file is there: a zip by its growth, a .mod or a version's .info
  // by its appearance (go has no body timeout; a body that stalls after its headers would hang go for good).
  if (/^: 2\d\d /.test(m[2]) && /\/@v\/(v\d[^/]*\.(info|mod)|[^/]+\.zip)$/.test(m[1])) active.bodies.add(m[1])
}

/**
 * Progress of a body go is writing into the download cache: for a zip, the bytes of its temporary file; for a .mod
 * or .info, 0 until the file is there. Undefined once go is done with it (written and renamed, or given up). The
 * file lives under the longest tail of the URL's path that names a module directory of the download cache (the
 * proxy's own base path is not part of it).
 */
function downloading(gomodcache: string | undefined, url: string): number | undefined {
  const m = /^[a-z]+:\/\/[^/]+\/(.+)\/@v\/([^/]+\.(zip|mod|info))$/.exec(url)
  if (!gomodcache || !m) return undefined
  let segments: string[]
  try {
    segments = m[1].split('/').map(decodeURIComponent)
  } catch {
    return undefined
  }
  const name = decodeURIComponent(m[2])
  if (m[3] !== 'zip') return cachedFile(gomodcache, segments, name) ? undefined : 0
  const zip = name
  for (let i = 0; i < segments.length; i++) {
    const dir = join(gomodcache, 'cache', 'download', ...segments.slice(i), '@v')
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      continue
    }
    const tmp = names.filter((n) => n.startsWith(zip) && n.endsWith('.tmp'))
    return tmp.length === 0 ? undefined : tmp.reduce((sum, n) => sum + statSafe(join(dir, n)), 0)
  }
  return undefined
}

/** Whether `name` is in the download cache's @v directory of any tail of the URL path's segments. */
function cachedFile(gomodcache: string, segments: string[], name: string): boolean {
  for (let i = 0; i < segments.length; i++) {
    if (existsSync(join(gomodcache, 'cache', 'download', ...segments.slice(i), '@v', name))) return true
  }
  return false
}

function statSafe(p: string): number {
  try {
    return statSync(p).size
  } catch {
    return 0
  }
}

/** go's stderr without the `-x` trace lines this module added (kept when the user asked for `-x` themselves). */
export function withoutTrace(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !GET.test(l.trimEnd()))
    .join('\n')
}
