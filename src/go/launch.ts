// How go processes start. Node forks this whole process for each child, which costs in proportion to its memory
// (about 2–3 ms at the step's 80–100 MB, more on a busy machine) and blocks the event loop until the child has
// exec'd: over 300 modules that was half of the main thread's time, and the relay's answers to go waited behind it.
// So, where there is a POSIX shell, go is started by long-lived shells instead, one per lane of the run: each is
// handed a directory and go's argv on its stdin, forks go itself (a fork of a 1 MB shell), and reports go's pid and
// exit status on stderr and the end of its output on stdout, behind markers carrying a random nonce that go's output
// cannot forge. go sees the same argv, directory (physical, as a direct start gives it) and environment; PWD then
// names that directory, as a shell's children see it.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { constants } from 'node:os'

export interface GoHandlers {
  stdout(b: Buffer): void
  stderr(s: string): void
  /** go ended: its exit code, or the signal that killed it. */
  exit(code: number | null, signal: NodeJS.Signals | null): void
  /** go could not be started at all. */
  error(e: Error): void
}

export interface StartOptions {
  cwd: string
  env: Record<string, string>
}

export interface Started {
  kill(signal: NodeJS.Signals): void
}

export interface Launcher {
  start(bin: string, argv: string[], o: StartOptions, h: GoHandlers): Started
  /** Ends the launcher's shells once their current go is done; starting later goes direct. */
  close(): void
}

/** go started by this process itself: one fork of it per go. */
export const directLauncher: Launcher = {
  start(bin, argv, o, h) {
    // go mod tidy reads nothing from stdin: no pipe for it (one socket less per module).
    const child = spawn(bin, argv, { cwd: o.cwd, env: o.env, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (b: Buffer) => h.stdout(b))
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (s: string) => h.stderr(s))
    child.once('error', (e) => h.error(e))
    child.once('close', (code, signal) => h.exit(code, signal))
    return { kill: (signal) => void child.kill(signal) }
  },
  close() {}
}

const SHELL = '/bin/sh'
/** Names a POSIX shell passes on to its children: it drops the others from the environment. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Starts go through long-lived shells where that keeps go's environment as given: on Windows, without `/bin/sh`, or
 * with an environment variable whose name a shell would drop, go is started directly.
 */
export function shellLauncher(shell = SHELL): Launcher {
  if (process.platform === 'win32' || !existsSync(shell)) return directLauncher
  // Idle shells by the environment they were started with: by content, as a caller may build it anew for each go
  // (an environment a shell would not pass on exactly: undefined). Each object is read once.
  const idle = new Map<string, ShellLane[]>()
  const keys = new WeakMap<Record<string, string>, string | undefined>()
  const keyOf = (env: Record<string, string>): string | undefined => {
    if (!keys.has(env))
      keys.set(env, Object.keys(env).every((k) => SHELL_NAME.test(k)) ? JSON.stringify(env) : undefined)
    return keys.get(env)
  }
  let closed = false
  return {
    start(bin, argv, o, h) {
      const key = closed ? undefined : keyOf(o.env)
      if (key === undefined) return directLauncher.start(bin, argv, o, h)
      const lanes = idle.get(key) ?? []
      idle.set(key, lanes)
      let lane = lanes.pop()
      while (lane?.dead) lane = lanes.pop()
      lane ??= new ShellLane(shell, o.env, (l) => (closed ? l.end() : lanes.push(l)))
      return lane.run(bin, argv, o.cwd, h)
    },
    close() {
      closed = true
      for (const lanes of idle.values()) for (const l of lanes) l.end()
      idle.clear()
    }
  }
}

/** A shell's single-quoted word: the text exactly, whatever it holds (a quote closes, is escaped, and reopens). */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** One shell running one go at a time. */
class ShellLane {
  private readonly sh: ChildProcess
  private readonly nonce = randomBytes(16).toString('hex')
  private job?: Job
  dead = false

  constructor(
    shell: string,
    private readonly env: Record<string, string>,
    private readonly release: (lane: ShellLane) => void
  ) {
    this.sh = spawn(shell, [], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    this.sh.stdin!.on('error', () => {}) // a shell that died: its close says so
    this.sh.stdout!.on('data', (b: Buffer) => this.job?.out(b))
    this.sh.stderr!.setEncoding('utf8')
    this.sh.stderr!.on('data', (s: string) => this.job?.err(s))
    this.sh.once('error', (e) => this.gone(e))
    this.sh.once('close', () => this.gone())
  }

  run(bin: string, argv: string[], cwd: string, h: GoHandlers): Started {
    const job = new Job(this.nonce, h, () => {
      this.job = undefined
      this.release(this)
    })
    this.job = job
    // OLDPWD as go would have it (a shell's cd sets it); go's stdin is /dev/null, never the shell's commands.
    const oldpwd = this.env.OLDPWD === undefined ? 'unset OLDPWD' : `OLDPWD=${shellQuote(this.env.OLDPWD)}`
    const n = this.nonce
    this.sh.stdin!.write(
      `cd -P -- ${shellQuote(cwd)} && ${oldpwd} && { ${[bin, ...argv].map(shellQuote).join(' ')} </dev/null & ` +
        `printf '${n}pid %s\\n' "$!" >&2; wait "$!"; }; printf '${n}exit %s\\n' "$?" >&2; printf '${n}end\\n'\n`
    )
    return job
  }

  end(): void {
    this.dead = true
    this.sh.stdin!.end()
  }

  /** The shell itself is gone (killed, or never started): its go, if any, ends with it. */
  private gone(e?: Error): void {
    this.dead = true
    const job = this.job
    this.job = undefined
    job?.lost(e)
  }
}

/** One go in a lane: its output up to the markers, its pid, its exit status. */
class Job implements Started {
  private outTail = ''
  private errTail = ''
  private pid?: number
  private pendingKill?: NodeJS.Signals
  private status?: number
  private outDone = false
  private over = false

  constructor(
    private readonly nonce: string,
    private readonly h: GoHandlers,
    private readonly done: () => void
  ) {}

  /** A background job of a non-interactive shell ignores SIGINT and SIGQUIT: it is stopped with SIGTERM instead. */
  kill(signal: NodeJS.Signals): void {
    if (this.over) return
    const s = signal === 'SIGINT' || signal === 'SIGQUIT' ? 'SIGTERM' : signal
    if (this.pid === undefined) return void (this.pendingKill = s)
    try {
      process.kill(this.pid, s)
    } catch {
      // already gone
    }
  }

  /** stdout up to `<nonce>end`. Binary-safe: latin1 maps bytes to characters one to one. */
  out(b: Buffer): void {
    const marker = `${this.nonce}end\n`
    const s = this.outTail + b.toString('latin1')
    const at = s.indexOf(marker)
    const upTo = at >= 0 ? at : s.length - heldBack(s, marker)
    if (upTo > 0) this.h.stdout(Buffer.from(s.slice(0, upTo), 'latin1'))
    this.outTail = at >= 0 ? '' : s.slice(upTo)
    if (at >= 0) {
      this.outDone = true
      this.finish()
    }
  }

  /** stderr without the `<nonce>pid <n>` and `<nonce>exit <n>` lines, which it reads. */
  err(chunk: string): void {
    let s = this.errTail + chunk
    for (let at = s.indexOf(this.nonce); at >= 0; at = s.indexOf(this.nonce)) {
      const eol = s.indexOf('\n', at)
      if (eol < 0) break
      if (at > 0) this.h.stderr(s.slice(0, at))
      const [kind, value] = s.slice(at + this.nonce.length, eol).split(' ')
      if (kind === 'pid') this.started(Number(value))
      if (kind === 'exit') this.status = Number(value)
      s = s.slice(eol + 1)
    }
    const at = s.indexOf(this.nonce)
    const upTo = at >= 0 ? at : s.length - heldBack(s, this.nonce)
    if (upTo > 0) this.h.stderr(s.slice(0, upTo))
    this.errTail = s.slice(upTo)
    this.finish()
  }

  /** The shell died under this go: it ends as killed (or as not started when the shell never ran). */
  lost(e?: Error): void {
    if (this.over) return
    this.over = true
    if (e) this.h.error(e)
    else this.h.exit(null, 'SIGKILL')
  }

  private started(pid: number): void {
    this.pid = pid
    if (this.pendingKill) this.kill(this.pendingKill)
  }

  private finish(): void {
    if (this.over || !this.outDone || this.status === undefined) return
    this.over = true
    if (this.errTail) this.h.stderr(this.errTail)
    this.done()
    // A shell reports a death by signal n as status 128 + n.
    const signal =
      this.status > 128
        ? (Object.entries(constants.signals).find(([, v]) => v === this.status! - 128)?.[0] as NodeJS.Signals)
        : undefined
    this.h.exit(signal ? null : this.status, signal ?? null)
  }
}

/**
 * How much of the end of `s` to keep back: the longest part that could begin `marker` (no newline is ever kept
 * back, the marker has none before its end, so go's lines reach the watchdog as go writes them).
 */
function heldBack(s: string, marker: string): number {
  for (let k = Math.min(s.length, marker.length - 1); k > 0; k--) if (s.endsWith(marker.slice(0, k))) return k
  return 0
}
