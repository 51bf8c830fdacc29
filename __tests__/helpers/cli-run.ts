// Runs the bundled command line (dist/cli.js) as a subprocess, as a user's shell would: plainly (stdout a pipe, not a
// TTY) or under a pseudo-terminal (util-linux `script`), in a hermetic go environment.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './runner.js'
import { runProcess } from './gotest-env.js'

/** The bundle under test: GTG_ACTION_DIR (a bundle of a working tree), else the repository's dist/. */
export const CLI_JS = join(process.env.GTG_ACTION_DIR ?? REPO_ROOT, 'dist', 'cli.js')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

export interface CliOptions {
  env: Record<string, string | undefined>
  cwd: string
  /** Run under a pseudo-terminal (stdout and stderr merged into stdout, lines end in \r\n). */
  tty?: boolean
  timeoutMs?: number
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

export async function runCli(args: string[], o: CliOptions): Promise<CliRun> {
  const env = Object.fromEntries(Object.entries(o.env).filter(([, v]) => v !== undefined)) as Record<string, string>
  const argv = [process.execPath, CLI_JS, ...args]
  const [bin, list] = o.tty ? ['script', ['-qfec', argv.map(quote).join(' '), '/dev/null']] : [argv[0], argv.slice(1)]
  const r = await runProcess(bin, list, {
    cwd: o.cwd,
    env: o.tty ? { TERM: 'xterm', ...env } : env,
    timeoutMs: o.timeoutMs ?? 90_000
  })
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut }
}

export interface LiveCli {
  /** Everything printed so far. */
  output(): string
  /** Resolves when `text` has been printed. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>
  signal(sig: NodeJS.Signals): void
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts a long-lived command (the relay). stdout and stderr are read as one. */
export function startCli(args: string[], o: CliOptions): LiveCli {
  const env = Object.fromEntries(Object.entries(o.env).filter(([, v]) => v !== undefined)) as Record<string, string>
  const child = spawn(process.execPath, [CLI_JS, ...args], { cwd: o.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const waiters: Array<() => void> = []
  const onData = (d: Buffer): void => {
    out += d.toString('utf8')
    for (const w of [...waiters]) w()
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal }))
  )
  const kill = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000)
  void exited.then(() => clearTimeout(kill))
  return {
    output: () => out,
    waitFor: (text, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const hit = (): RegExpMatchArray | null =>
          typeof text === 'string' ? (out.includes(text) ? [text] : null) : out.match(text)
        const t = setTimeout(
          () => reject(new Error(`timed out waiting for ${String(text)}; output so far:\n${out}`)),
          timeoutMs
        )
        const check = (): void => {
          const m = hit()
          if (!m) return
          clearTimeout(t)
          waiters.splice(waiters.indexOf(check), 1)
          resolve(m[0])
        }
        waiters.push(check)
        check()
      }),
    signal: (sig) => child.kill(sig),
    exited
  }
}

/** Any control character but newline, carriage return and tab: what a non-TTY run must never print. */
export const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/
