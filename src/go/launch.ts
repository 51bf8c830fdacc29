// How go processes start. Node forks this whole process for each child, which costs in proportion to its memory
// (about 2–3 ms at the step's 80–100 MB, more on a busy machine) and blocks the event loop until the child has
// exec'd: over 300 modules that was half of the main thread's time, and the relay's answers to go waited behind it.
// So, where there is a POSIX shell, go is started by long-lived shells instead, one per lane of the run: each is
// handed a directory and go's argv on its stdin, runs go in the foreground (a fork of a 1 MB shell), and reports
// go's exit status on stderr and the end of its output on stdout, behind markers carrying a random nonce that go's
// output cannot forge. Each shell leads its own process group: a kill signals the group, so go and the git it runs
// get the signal as they would from a terminal, and the shell goes with them (the next go gets a new shell).
// go sees the same argv, directory (physical, as a direct start gives it), stdin (/dev/null) and environment, but
// for PWD, which names that directory, and the variables a shell sets for itself (bash as sh: SHLVL and _).
// Where a shell could not pass on go's start exactly, go starts directly (see `shellLauncher`).
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { constants } from 'node:os'
import { resolve } from 'node:path'

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
  /** go's environment. It must not change once given: a shell started with it is reused for the same object. */
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
/** Variables a shell reads for itself (bash as sh: its options, startup files) or sets: go would not get them as given. */
const SHELL_OWN = new Set(['SHELLOPTS', 'BASHOPTS', 'BASH_ENV', 'ENV', 'IFS', 'CDPATH', 'PS4', 'PPID', 'OPTIND'])

/**
 * Starts go through long-lived shells where that gives go its start exactly: on Windows, without `/bin/sh`, once a
 * shell could not be started, or when the environment has a variable a shell would drop or read itself, or an
 * argument holds a NUL, go is started directly.
 */
export function shellLauncher(shell = SHELL): Launcher {
  if (process.platform === 'win32' || !existsSync(shell)) return directLauncher
  // Idle shells by the environment they were started with: by content, as a caller may build it anew for each go
  // (an environment a shell would not pass on exactly: undefined). Each object is read once.
  const idle = new Map<string, ShellLane[]>()
  const keys = new WeakMap<Record<string, string>, string | undefined>()
  const keyOf = (env: Record<string, string>): string | undefined => {
    if (!keys.has(env)) {
      const exact = Object.keys(env).every((k) => SHELL_NAME.test(k) && !SHELL_OWN.has(k))
      keys.set(env, exact ? JSON.stringify(env) : undefined)
    }
    return keys.get(env)
  }
  let closed = false
  let broken = false
  return {
    start(bin, argv, o, h) {
      const plain = ![bin, o.cwd, ...argv].some((s) => s.includes('\0'))
      const key = closed || broken || !plain ? undefined : keyOf(o.env)
      if (key === undefined) return directLauncher.start(bin, argv, o, h)
      const lanes = idle.get(key) ?? []
      idle.set(key, lanes)
      let lane = lanes.pop()
      while (lane?.dead) lane = lanes.pop()
      lane ??= new ShellLane(
        shell,
        o.env,
        (l) => (closed ? l.end() : lanes.push(l)),
        () => (broken = true)
      )
      return lane.run({ bin, argv, o: { ...o, cwd: resolve(o.cwd) }, h })
    },
    close() {
      closed = true
      for (const lanes of idle.values()) for (const l of lanes) l.end()
      idle.clear()
    }
  }
}

/** A shell's single-quoted word: the text exactly (a quote closes, is escaped, and reopens). No NUL: see above. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

export interface Request {
  bin: string
  argv: string[]
  o: StartOptions
  h: GoHandlers
}

/** One shell running one go at a time, in a process group of its own. */
class ShellLane {
  private readonly sh: ChildProcess
  private readonly nonce = randomBytes(16).toString('hex')
  private job?: Job
  private signalled = false
  dead = false

  constructor(
    shell: string,
    private readonly env: Record<string, string>,
    private readonly release: (lane: ShellLane) => void,
    private readonly broken: () => void
  ) {
    this.sh = spawn(shell, [], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    this.sh.stdin!.on('error', () => {}) // a shell that died: its exit says so
    this.sh.stdout!.on('data', (b: Buffer) => this.job?.out(b))
    this.sh.stderr!.setEncoding('utf8')
    this.sh.stderr!.on('data', (s: string) => this.job?.err(s))
    this.sh.once('error', () => this.failed())
    this.sh.once('exit', () => this.exited())
    this.sh.once('close', () => this.job?.lost())
  }

  run(r: Request): Started {
    const job = new Job(
      this.nonce,
      r,
      (signal) => this.signal(signal),
      () => {
        this.job = undefined
        this.release(this)
      }
    )
    this.job = job
    // OLDPWD as go would have it (a shell's cd sets it); go's stdin is /dev/null, never the shell's commands.
    const oldpwd = this.env.OLDPWD === undefined ? 'unset OLDPWD' : `OLDPWD=${shellQuote(this.env.OLDPWD)}`
    const n = this.nonce
    this.sh.stdin!.write(
      `if cd -P -- ${shellQuote(r.o.cwd)} 2>/dev/null; then ${oldpwd}; ${[r.bin, ...r.argv].map(shellQuote).join(' ')} ` +
        `</dev/null; printf '${n}exit %s\\n' "$?" >&2; else printf '${n}nocd\\n' >&2; fi; printf '${n}end\\n'\n`
    )
    return job
  }

  end(): void {
    this.dead = true
    this.sh.stdin!.end()
  }

  /** Signals the lane's process group (go, the git it runs, the shell), while the shell is there to lead it. */
  private signal(signal: NodeJS.Signals): void {
    if (this.dead || this.sh.pid === undefined) return
    this.signalled = true
    try {
      process.kill(-this.sh.pid, signal)
    } catch {
      // already gone
    }
  }

  /** The shell could not be started: this go starts directly, and so does every later one of the launcher. */
  private failed(): void {
    this.dead = true
    this.broken()
    const job = this.job
    this.job = undefined
    job?.startDirectly()
  }

  /** The shell ended under a go: by our signal (which its whole group got), or from outside (then its group goes too). */
  private exited(): void {
    if (this.job && !this.signalled && this.sh.pid !== undefined) {
      try {
        process.kill(-this.sh.pid, 'SIGKILL')
      } catch {
        // nothing left
      }
    }
    this.dead = true
  }
}

/** One go in a lane: its output up to the markers, and its exit status. */
export class Job implements Started {
  private outTail = ''
  private errTail = ''
  private status?: number | 'nocd'
  private outDone = false
  private over = false
  private killedWith?: NodeJS.Signals
  private direct?: Started

  constructor(
    private readonly nonce: string,
    private readonly request: Request,
    private readonly signal: (s: NodeJS.Signals) => void,
    private readonly done: () => void
  ) {}

  kill(signal: NodeJS.Signals): void {
    if (this.direct) return this.direct.kill(signal)
    if (this.over) return
    this.killedWith ??= signal
    this.signal(signal)
  }

  /** The shell never started: a direct start of go takes this job's place (and its kills). */
  startDirectly(): void {
    const r = this.request
    this.over = true
    this.direct = directLauncher.start(r.bin, r.argv, r.o, r.h)
    if (this.killedWith) this.direct.kill(this.killedWith)
  }

  /** stdout up to `<nonce>end`. Binary-safe: latin1 maps bytes to characters one to one. */
  out(b: Buffer): void {
    const marker = `${this.nonce}end\n`
    const s = this.outTail + b.toString('latin1')
    const at = s.indexOf(marker)
    const upTo = at >= 0 ? at : s.length - heldBack(s, marker)
    if (upTo > 0) this.request.h.stdout(Buffer.from(s.slice(0, upTo), 'latin1'))
    this.outTail = at >= 0 ? '' : s.slice(upTo)
    if (at >= 0) {
      this.outDone = true
      this.finish()
    }
  }

  /** stderr without the `<nonce>exit <n>` or `<nonce>nocd` line, which it reads. */
  err(chunk: string): void {
    let s = this.errTail + chunk
    for (let at = s.indexOf(this.nonce); at >= 0; at = s.indexOf(this.nonce)) {
      const eol = s.indexOf('\n', at)
      if (eol < 0) break
      if (at > 0) this.request.h.stderr(s.slice(0, at))
      const [kind, value] = s.slice(at + this.nonce.length, eol).split(' ')
      if (kind === 'exit') this.status = Number(value)
      if (kind === 'nocd') this.status = 'nocd'
      s = s.slice(eol + 1)
    }
    const at = s.indexOf(this.nonce)
    const upTo = at >= 0 ? at : s.length - heldBack(s, this.nonce)
    if (upTo > 0) this.request.h.stderr(s.slice(0, upTo))
    this.errTail = s.slice(upTo)
    this.finish()
  }

  /** The shell is gone before this go's end was reported: killed with it (by a kill of ours, or from outside). */
  lost(): void {
    if (this.over) return
    this.over = true
    if (this.errTail) this.request.h.stderr(this.errTail)
    this.request.h.exit(null, this.killedWith ?? 'SIGKILL')
  }

  private finish(): void {
    if (this.over || !this.outDone || this.status === undefined) return
    this.over = true
    if (this.errTail) this.request.h.stderr(this.errTail)
    this.done()
    const status = this.status
    if (status === 'nocd') return this.request.h.error(new Error(`cannot enter the directory ${this.request.o.cwd}`))
    // The shell could not run go (not found: 127, not executable or arguments too long: 126); go itself exits 0–2.
    if (status === 126 || status === 127)
      return this.request.h.error(new Error(`the shell could not run it (exit ${status})`))
    // A shell reports a death by signal n as status 128 + n.
    const signal =
      status > 128
        ? (Object.entries(constants.signals).find(([, v]) => v === status - 128)?.[0] as NodeJS.Signals)
        : undefined
    this.request.h.exit(signal ? null : status, signal ?? null)
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
