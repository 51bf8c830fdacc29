// Runs the cache stages in-process the way the runner runs a step: runner variables and file-command files in
// process.env, stdout captured and parsed as workflow commands, state handed from main to post as STATE_<name>.
import { createHash } from 'node:crypto'
import { lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir } from './gotest-env.js'
import { parseKeyValueFile, parseWorkflowCommands, type WorkflowCommands } from './runner.js'

type FileName = 'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_ENV' | 'GITHUB_PATH'

export interface Step {
  files: Record<FileName, string>
  outputs(): Record<string, string>
  state(): Record<string, string>
  summary(): string
}

const summaryFile = join(makeTempDir('gtg-summary-'), 'step_summary')

/** Fresh file-command files and runner variables for one step; `vars` win (undefined removes one). */
export function beginStep(vars: Record<string, string | undefined>, state: Record<string, string> = {}): Step {
  const dir = makeTempDir('gtg-step-')
  const files = {} as Record<FileName, string>
  for (const n of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH'] as const) {
    files[n] = join(dir, n.toLowerCase())
    writeFileSync(files[n], '')
  }
  // core.summary remembers the first summary file it saw for the life of the process: reuse one, emptied.
  files.GITHUB_STEP_SUMMARY = summaryFile
  writeFileSync(summaryFile, '')
  for (const k of Object.keys(process.env))
    if (k.startsWith('STATE_') || k.startsWith('ACTIONS_')) delete process.env[k]
  const env: Record<string, string | undefined> = {
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: makeTempDir('gtg-runner-temp-'),
    GITHUB_EVENT_NAME: 'push',
    ...files,
    ...vars
  }
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  for (const [k, v] of Object.entries(state)) process.env[`STATE_${k}`] = v
  return {
    files,
    outputs: () => parseKeyValueFile(files.GITHUB_OUTPUT),
    state: () => parseKeyValueFile(files.GITHUB_STATE),
    summary: () => readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
  }
}

/** Runs `fn` with stdout captured (still passed through when DEBUG_STEPS is set). */
export async function captured<T>(
  fn: () => Promise<T>
): Promise<{ value: T; stdout: string; commands: WorkflowCommands }> {
  let stdout = ''
  const original = process.stdout.write
  process.stdout.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    stdout += String(chunk)
    if (process.env.DEBUG_STEPS) return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined
    cb?.()
    return true
  } as typeof process.stdout.write
  try {
    const value = await fn()
    return { value, stdout, commands: parseWorkflowCommands(stdout) }
  } finally {
    process.stdout.write = original
  }
}

/**
 * @actions/cache retries a failing Twirp call 5 times, 3 s and more apart; tests of a service that keeps failing
 * shorten those sleeps (only delays in the library's backoff range, 3 s to 15 s; no other timer of these tests falls in it) so they take milliseconds. Returns the undo.
 */
export function shortenBackoff(): () => void {
  const original = globalThis.setTimeout
  const patched = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    original(fn, ms !== undefined && ms >= 1000 && ms <= 20_000 ? 1 : ms, ...args)) as unknown as typeof setTimeout
  globalThis.setTimeout = patched
  return () => {
    globalThis.setTimeout = original
  }
}

/** Every regular file below `dir` (relative, '/'-separated) with its sha256; directories left out. */
export function treeDigest(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const r = rel ? `${rel}/${name}` : name
      if (skip(r)) continue
      const p = join(d, name)
      const st = lstatSync(p)
      if (st.isDirectory()) walk(p, r)
      else out.set(r, createHash('sha256').update(readFileSync(p)).digest('hex'))
    }
  }
  walk(dir, '')
  return out
}
