// A hermetic environment for the real `go` binary: its own HOME/GOPATH/caches under a temp dir, a loopback
// GOPROXY, no toolchain downloads, no checksum database, and nothing from the host that could reach the internet.
import { spawn, execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, lstatSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const tempDirs = new Set<string>()

/** A fresh directory under the OS temp dir, removed when the process exits (go's read-only cache included). */
export function makeTempDir(prefix = 'gtg-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

/**
 * Removes a tree, first making it writable: go marks the module cache read-only. A file that appears while the tree
 * is removed (ENOTEMPTY) is retried, not a failure.
 */
export function removeTree(dir: string): void {
  makeWritable(dir)
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 })
  tempDirs.delete(dir)
}

function makeWritable(path: string): void {
  let st
  try {
    st = lstatSync(path)
  } catch {
    return
  }
  if (!st.isDirectory()) return
  try {
    chmodSync(path, 0o755)
    for (const e of readdirSync(path)) makeWritable(join(path, e))
  } catch {
    // Best effort: rmSync reports what remains.
  }
}

/** Removes every temp dir made by these helpers that is still there. */
export function cleanupTempDirs(): void {
  for (const d of [...tempDirs]) {
    try {
      removeTree(d)
    } catch {
      // Never fail the test process on cleanup.
    }
  }
}

// Scripts (demo, bench) clean up at exit. Under jest `process` is a per-file copy whose 'exit' never fires,
// so also clean up after the importing test file's tests, through jest's injected global afterAll.
process.on('exit', cleanupTempDirs)
try {
  const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll
  if (typeof jestAfterAll === 'function') jestAfterAll(cleanupTempDirs)
} catch {
  // Imported from inside a test: hooks cannot be added there; the OS temp dir keeps the leftovers.
}

/** Absolute path of the `go` binary on the host PATH (resolved once). */
export const GO_BIN: string = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).trim() || 'go'
  } catch {
    return 'go'
  }
})()

export interface GoEnv {
  /** The temp root holding home/, gopath/, gocache/. */
  dir: string
  /** Complete environment for go (and for an action run): nothing else from the host. */
  env: Record<string, string>
  /** Removes the temp root (read-only module cache included). */
  cleanup(): void
}

/**
 * Turns go's telemetry off for a HOME whose config dir is `<home>/.config` (what `go telemetry off` writes, less its
 * date). In its default local mode go starts a detached child that keeps writing counters there after go has
 * exited, and a test's cleanup raced it (ENOTEMPTY).
 */
export function goTelemetryOff(home: string): void {
  mkdirSync(join(home, '.config', 'go', 'telemetry'), { recursive: true })
  writeFileSync(join(home, '.config', 'go', 'telemetry', 'mode'), 'off')
}

/**
 * Environment for go using only `goproxyUrl`. `extra` overrides or adds variables; `undefined` removes one.
 * Note: GOFLAGS=-mod=mod is rejected by go in workspace (go.work) mode: pass `{ GOFLAGS: undefined }` there.
 */
export function makeGoEnv(goproxyUrl: string, extra: Record<string, string | undefined> = {}): GoEnv {
  const dir = makeTempDir('gtg-goenv-')
  const home = join(dir, 'home')
  const gopath = join(dir, 'gopath')
  for (const d of [home, gopath, join(dir, 'gocache'), join(dir, 'tmp')]) mkdirSync(d, { recursive: true })
  goTelemetryOff(home)
  const env: Record<string, string> = {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    TMPDIR: join(dir, 'tmp'),
    PATH: [dirname(GO_BIN), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
    LANG: 'C.UTF-8',
    GOPATH: gopath,
    GOMODCACHE: join(gopath, 'pkg', 'mod'),
    GOCACHE: join(dir, 'gocache'),
    GOENV: join(home, '.config', 'go', 'env'),
    GOTOOLCHAIN: 'local',
    GOPROXY: goproxyUrl,
    GOSUMDB: 'off',
    GONOSUMDB: '',
    GOPRIVATE: '',
    GONOPROXY: '',
    GOINSECURE: '',
    GOFLAGS: '-mod=mod',
    GOVCS: '*:off',
    CGO_ENABLED: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1'
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  return { dir, env, cleanup: () => removeTree(dir) }
}

export interface Requirement {
  path: string
  version: string
  indirect?: boolean
}

export interface ModuleLayout {
  /** Module path written to go.mod. */
  path: string
  /** `go` directive. Default 1.21. */
  goVersion?: string
  /** require lines, in order; a record means direct requirements `{path: version}`. */
  requires?: Requirement[] | Record<string, string>
  /** Files relative to the module dir (e.g. `main.go`). Default: a main.go importing `imports`. */
  files?: Record<string, string | Buffer>
  /** Packages the default main.go blank-imports (ignored when `files` is given). */
  imports?: string[]
  /** go.sum text to write; omitted writes none. */
  gosum?: string
}

/** The go.mod text writeModule writes. */
export function renderGoMod(m: ModuleLayout): string {
  const reqs: Requirement[] = Array.isArray(m.requires)
    ? m.requires
    : Object.entries(m.requires ?? {}).map(([path, version]) => ({ path, version }))
  let text = `module ${m.path}\n\ngo ${m.goVersion ?? '1.21'}\n`
  if (reqs.length > 0) {
    const lines = reqs.map((r) => `\t${r.path} ${r.version}${r.indirect ? ' // indirect' : ''}\n`)
    text += `\nrequire (\n${lines.join('')})\n`
  }
  return text
}

/** Lays out a Go module in `dir` (created if needed); returns the go.mod text. */
export function writeModule(dir: string, m: ModuleLayout): string {
  mkdirSync(dir, { recursive: true })
  const gomod = renderGoMod(m)
  writeFileSync(join(dir, 'go.mod'), gomod)
  if (m.gosum !== undefined) writeFileSync(join(dir, 'go.sum'), m.gosum)
  const files = m.files ?? {
    'main.go': `package main\n\n${(m.imports ?? []).map((p) => `import _ "${p}"\n`).join('')}\nfunc main() {}\n`
  }
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), data)
  }
  return gomod
}

export interface GoRunResult {
  /** Exit code; null when killed (timeout). */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  durationMs: number
}

export interface RunGoOptions {
  cwd: string
  env: Record<string, string>
  /** Kill go (and its children) after this long. Default 60 s. */
  timeoutMs?: number
  /** Binary to run instead of go (same environment rules), e.g. for git. */
  bin?: string
}

/** Runs go asynchronously (fixture servers share this event loop); never throws on a non-zero exit. */
export function runGo(args: string[], opts: RunGoOptions): Promise<GoRunResult> {
  return runProcess(opts.bin ?? GO_BIN, args, opts)
}

/** Runs any program as runGo runs go: async, own process group killed on timeout, output captured. */
export function runProcess(bin: string, args: string[], opts: Omit<RunGoOptions, 'bin'>): Promise<GoRunResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout kills go's children too.
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        child.kill('SIGKILL')
      }
    }, opts.timeoutMs ?? 60_000)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started })
    })
  })
}
