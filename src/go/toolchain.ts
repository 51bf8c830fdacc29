// Finds the go command (PATH first, then the newest Go in the runner's tool cache) and reads `go env -json` once.
import * as io from '@actions/io'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { GoToolchain } from '../types.js'
import { runGo } from './exec.js'
import { InputError } from '../lib/input-error.js'

export class ToolchainError extends Error {}

/** The `go env` variables the stages read. */
export const GO_ENV_VARS = [
  'GOVERSION',
  'GOMODCACHE',
  'GOPROXY',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOSUMDB',
  'GOINSECURE',
  'GOFLAGS'
] as const

/**
 * Finds go and reads its environment. `go env` starts within this call when go is on PATH (POSIX), so the caller's
 * synchronous work right after it (the walk for go.mod files) runs while go does.
 */
export function findGo(env: NodeJS.ProcessEnv = process.env): Promise<GoToolchain> {
  const onPath = process.platform === 'win32' ? undefined : onPosixPath('go', env.PATH ?? '')
  return onPath ? readGoEnv(onPath, env) : findGoSlowly(env)
}

async function findGoSlowly(env: NodeJS.ProcessEnv): Promise<GoToolchain> {
  const bin = (await io.which('go', false)) || (await fromToolCache(env))
  if (!bin) {
    throw new ToolchainError(
      'go was not found on PATH or in the runner tool cache; add a step `uses: actions/setup-go` (with go-version-file: go.mod) before this action'
    )
  }
  return readGoEnv(bin, env)
}

/** The first executable `name` in the absolute entries of a POSIX PATH, or undefined. */
function onPosixPath(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue // never a go from the checkout (io.which, the fallback, may still find one)
    const file = path.join(dir, name)
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK)
        return file
      }
    } catch {
      // not here
    }
  }
  return undefined
}

async function readGoEnv(bin: string, env: NodeJS.ProcessEnv): Promise<GoToolchain> {
  // Named variables only: a bare `go env -json` computes every variable (cgo, compiler probing) and costs
  // a quarter of a second on a fresh runner.
  const r = await runGo({ bin }, ['env', '-json', ...GO_ENV_VARS], { env: stringEnv(env) })
  if (r.exitCode !== 0) {
    throw new ToolchainError(`\`go env -json\` failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n')[0]}`)
  }
  const goEnv = JSON.parse(r.stdout) as Record<string, string>
  const version = (goEnv.GOVERSION || '').replace(/^go/, '')
  return { bin, version, env: goEnv }
}

async function fromToolCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (!env.RUNNER_TOOL_CACHE) return undefined
  const tc = await import('@actions/tool-cache') // only needed when go is not on PATH
  // tc.find with '*' evaluates semver and returns the newest installed version.
  const dir = tc.find('go', '*')
  return dir ? path.join(dir, 'bin', process.platform === 'win32' ? 'go.exe' : 'go') : undefined
}

/** True when this go supports `go mod tidy -diff` (Go 1.23 and later; devel builds count as new). */
export function supportsTidyDiff(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version)
  if (!m) return true
  return Number(m[1]) > 1 || Number(m[2]) >= 23
}

/** Orders Go versions by their numbers (1.21 < 1.21.3 < 1.22); pre-release suffixes are ignored. */
export function compareGoVersions(a: string, b: string): number {
  const nums = (v: string): number[] => (/^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v) ?? []).slice(1).map((n) => Number(n ?? 0))
  const [x, y] = [nums(a), nums(b)]
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0)
  return 0
}

/**
 * tidy-args' `-go=` and `-compat=` must name a Go this toolchain knows: go cannot write a go line newer than itself
 * (with GOTOOLCHAIN=local it fails with a generic error). Checked before anything is downloaded.
 */
export function checkTidyGoVersions(tidyArgs: string[], goVersion: string): void {
  for (const a of tidyArgs) {
    const m = /^--?(go|compat)=(.+)$/.exec(a)
    if (m && /^\d/.test(goVersion) && compareGoVersions(m[2], goVersion) > 0) {
      throw new InputError(
        `tidy-args: "${a}" names Go ${m[2]}, newer than the installed Go ${goVersion}; give a version up to ${goVersion}, or install a newer Go before this step`
      )
    }
  }
}

export function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}
