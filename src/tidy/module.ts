// Runs `go mod tidy` for one module and turns the outcome into a TidyResult.
// Check mode never writes: `-diff` on Go 1.23+, else snapshot, tidy, compare and restore byte for byte.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import type { ClassifiedError, GoModule, GoToolchain, TidyResult } from '../types.js'
import { runGoWatched, withoutTrace, type WatchOptions, type WatchedRun } from '../go/watch.js'
import type { Launcher } from '../go/launch.js'
import { driftAnnotations, parseTidyDiff, relabelDiff, type FileDiff } from './drift.js'
import { tidyDiff } from './unified-diff.js'
import { classifyGoError, toolchainHint } from './classify.js'
import { scanGoMod } from '../go/gomod.js'
import { workspacePath } from '../lib/paths.js'
import { supportsTidyDiff } from '../go/toolchain.js'
import { authHint, policyRefusal, type AuthContext } from './auth-hints.js'
import { describeRelayUrls } from './proxy-request.js'
import { redact } from '../lib/redact.js'

export interface TidyOptions {
  go: Pick<GoToolchain, 'bin' | 'version'>
  env: Record<string, string>
  mode: 'check' | 'fix'
  tidyArgs: string[]
  retries: number
  /** Asked before a whole-module retry: false when retrying cannot help (every upstream is down). */
  mayRetry?: () => boolean
  /** Names every upstream when all are known down (see net/network.ts); prefixed to a network error's hint. */
  downReport?: () => string | undefined
  /** What is configured for authentication, so that auth failures get a hint naming the input that fixes them. */
  auth?: AuthContext
  /** go is stopped when a request makes no progress for this long (see go/watch.ts); 0 or absent: never. */
  stallMs?: number
  /** GOMODCACHE, where the watchdog sees a zip download grow. */
  gomodcache?: string
  /** Where check mode on Go < 1.23 puts the copy of go.mod/go.sum that go tidies (default: the OS temp dir). */
  scratchDir?: string
  /** How go starts (see go/launch.ts); default: directly. */
  launcher?: Launcher
}

const FILES = ['go.mod', 'go.sum'] as const

/** Whole-module retries shared by a run (see tidy/tidy.ts): asked before each retry, told when a module gave up. */
export interface RetryGate {
  mayRetry(e: ClassifiedError): boolean
  gaveUp(e: ClassifiedError): void
}

export async function tidyWithRetries(module: GoModule, o: TidyOptions, gate?: RetryGate): Promise<TidyResult> {
  const started = Date.now()
  let attempts = 0
  for (;;) {
    attempts++
    const outcome = await tidyOnce(module, o)
    const err = outcome.error
    const retry = err?.transient && attempts <= o.retries && (o.mayRetry?.() ?? true) && (gate?.mayRetry(err) ?? true)
    if (retry) continue
    if (err) gate?.gaveUp(err)
    return finish(module, o.mode, outcome, attempts, Date.now() - started)
  }
}

interface Outcome {
  diffs: FileDiff[]
  error?: ClassifiedError
  before: Files
}

type Files = Partial<Record<(typeof FILES)[number], Buffer>>

async function tidyOnce(module: GoModule, o: TidyOptions): Promise<Outcome> {
  // No await before go starts: preflight's pending work would run first and delay go by its length.
  const watch = {
    cwd: module.dir,
    env: o.env,
    stallMs: o.stallMs ?? 0,
    gomodcache: o.gomodcache,
    untimed: o.auth?.relayUrl,
    launcher: o.launcher
  }
  if (o.mode === 'check' && supportsTidyDiff(o.go.version)) {
    const r = await runGoWatched(o.go, ['mod', 'tidy'], ['-diff', ...o.tidyArgs], watch)
    const reported = parseTidyDiff(r.stdout)
    // `-diff` writes nothing: the files are read only when the report needs them (drift's annotations, the go line
    // of an error's hint), not for each of hundreds of tidy modules.
    if (!r.stalled && (r.exitCode === 0 || (reported.length > 0 && !hasError(r)))) {
      const diffs = reported.filter((d) => !onlyLineEndings(d))
      return { diffs, before: diffs.length > 0 ? readFiles(module.dir) : {} }
    }
    const before = readFiles(module.dir)
    return { diffs: [], before, error: explain(r, o, before['go.mod']) }
  }
  const before = readFiles(module.dir)
  if (o.mode === 'check') return tidyCopy(module, o, before, watch)
  const r = await runGoWatched(o.go, ['mod', 'tidy'], o.tidyArgs, watch)
  const after = readFiles(module.dir)
  if (r.exitCode !== 0 || r.stalled) {
    // A failed tidy may have written partial files: fix mode must not leave them.
    await restoreFiles(module.dir, before, after)
    return { diffs: [], before, error: explain(r, o, before['go.mod']) }
  }
  return { diffs: diffFiles(before, after), before }
}

/**
 * Check mode without `-diff` (Go < 1.23): go tidies a copy of go.mod/go.sum (`-modfile`; go.sum is the file beside
 * it), so the user's files are never written, not even when the job is cancelled while go runs.
 */
async function tidyCopy(module: GoModule, o: TidyOptions, before: Files, watch: WatchOptions): Promise<Outcome> {
  const copy = mkdtempSync(path.join(o.scratchDir ?? tmpdir(), 'gtg-tidy-'))
  try {
    for (const f of FILES) if (before[f]) writeFileSync(path.join(copy, f), before[f])
    const r = await runGoWatched(o.go, ['mod', 'tidy'], [`-modfile=${path.join(copy, 'go.mod')}`, ...o.tidyArgs], watch)
    if (r.exitCode !== 0 || r.stalled) return { diffs: [], before, error: explain(r, o, before['go.mod']) }
    return { diffs: diffFiles(before, readFiles(copy)), before }
  } finally {
    await fs.rm(copy, { recursive: true, force: true })
  }
}

function diffFiles(before: Files, after: Files): FileDiff[] {
  return parseTidyDiff(FILES.map((f) => tidyDiff(f, text(before[f]), text(after[f]))).join(''))
}

const OUTPUT_LINES = 40

function explain(r: WatchedRun, o: TidyOptions, gomod: Buffer | undefined): ClassifiedError {
  // The `# get` trace is ours (the watchdog's): it would read as go's errors (a 404 while go probes path prefixes).
  const stderr = withoutTrace(r.stderr)
  const shown = o.tidyArgs.some((a) => a === '-x' || a === '--x') ? r.stderr : stderr
  const output = redact(shown.trimEnd().split('\n').slice(-OUTPUT_LINES).join('\n'))
  const goLine = gomod ? scanGoMod(text(gomod)).go?.version : undefined
  const e = r.stalled
    ? stalledError(r.stalled)
    : refineHint(classifyGoError(stderr, r.exitCode), stderr, o.auth, goLine)
  // The relay's address means nothing to the user: say which module and version go asked for instead.
  const relay = o.auth?.relayUrl
  const down = e.class === 'network' ? o.downReport?.() : undefined
  return {
    ...e,
    message: describeRelayUrls(e.message, relay),
    hint: describeRelayUrls(down ? `${down}. ${e.hint}` : e.hint, relay),
    output: describeRelayUrls(output, relay)
  }
}

function refineHint(
  e: ClassifiedError,
  stderr: string,
  auth: AuthContext | undefined,
  goLine?: string
): ClassifiedError {
  if (e.class === 'toolchain') return { ...e, hint: toolchainHint(stderr, goLine) ?? e.hint }
  if (e.class !== 'auth' || !auth) return e
  return policyRefusal(stderr, auth) ?? { ...e, hint: authHint(stderr, auth) ?? e.hint }
}

/** go waited on one request with no progress until the watchdog stopped it. Retrying the same list cannot help. */
function stalledError(s: { url: string; ms: number }): ClassifiedError {
  let host = 'the server'
  try {
    host = new URL(s.url).host
  } catch {
    /* keep the generic name */
  }
  return {
    class: 'network',
    transient: false,
    message: redact(`go made no progress for ${Math.floor(s.ms / 1000)} s waiting for ${s.url}`),
    hint: redact(
      `${host} accepted the request but sent nothing (a silent proxy or a firewall that drops the traffic): take it out of ` +
        '`goproxy` or put a working mirror before it, and keep `relay: true`, which hedges and fails over; `stall-timeout` sets this bound.'
    )
  }
}

/**
 * `go mod tidy -diff` reports a go.sum that differs only in line endings (a CRLF checkout) although
 * `go mod tidy` itself leaves such a go.sum as it is: that is not drift.
 */
function onlyLineEndings(d: FileDiff): boolean {
  if (d.file !== 'go.sum') return false
  const text = (lines: { text: string }[]): string => lines.map((l) => l.text.replace(/\r$/, '')).join('\n')
  return text(d.removed) === text(d.added)
}

/** `-diff` exits 1 both for drift and for errors; go reports errors on stderr with a "go: " prefix. */
function hasError(r: WatchedRun): boolean {
  return /^go: /m.test(r.stderr) && !/^diff /m.test(r.stdout)
}

function finish(
  module: GoModule,
  mode: 'check' | 'fix',
  out: Outcome,
  attempts: number,
  durationMs: number
): TidyResult {
  const changed = out.diffs.length > 0
  const base = { module, attempts, durationMs }
  if (out.error) return { ...base, status: 'error', diff: '', changedFiles: [], annotations: [], error: out.error }

  return {
    ...base,
    status: !changed ? 'tidy' : mode === 'fix' ? 'fixed' : 'drift',
    diff: changed ? relabelDiff(out.diffs, module.rel) : '',
    changedFiles: out.diffs.map((d) => workspacePath(module.rel, d.file)),
    annotations: changed
      ? driftAnnotations(
          module.rel,
          module.path,
          out.diffs,
          text(out.before['go.mod']),
          text(out.before['go.sum']),
          mode
        )
      : []
  }
}

function text(b: Buffer | undefined): string {
  return b ? b.toString('utf8') : ''
}

/** Synchronous on purpose: two small files, and no turn of the event loop before go starts (see tidyOnce). */
function readFiles(dir: string): Files {
  const out: Files = {}
  for (const f of FILES) {
    try {
      out[f] = readFileSync(path.join(dir, f))
    } catch {
      /* absent */
    }
  }
  return out
}

/** Puts go.mod/go.sum back byte for byte, removing files that tidy created. */
async function restoreFiles(dir: string, before: Files, after: Files): Promise<void> {
  for (const f of FILES) {
    const p = path.join(dir, f)
    const was = before[f]
    if (was === undefined) {
      if (after[f] !== undefined) await fs.rm(p, { force: true })
    } else if (!after[f] || !was.equals(after[f])) {
      await fs.writeFile(p, was)
    }
  }
}
