// What main's cache restore hands to the post step, and small I/O helpers both sides share.
import * as core from '@actions/core'
import { existsSync, readFileSync, readdirSync, lstatSync } from 'node:fs'
import { join } from 'node:path'
import type { CacheReport } from './types.js'
import type { KeyFile } from './cache-key.js'
import { redact } from './redact.js'

const STATE_NAME = 'gtg-cache'

export interface CacheState {
  mode: 'true' | 'restore-only'
  gomodcache: string
  goVersion: string
  /** The key computed in main from go.mod/go.sum as they were before tidy. */
  key: string
  matchedKey?: string
  restore: CacheReport['restore']
  /** Checked modules: post reads their (now tidy) go.mod/go.sum for the save key and the prune set. */
  modules: Array<{ dir: string; rel: string }>
  /** Main already warned that no cache service is reachable; post stays quiet about it. */
  noService?: boolean
}

export function saveCacheState(s: CacheState): void {
  core.saveState(STATE_NAME, JSON.stringify(s))
}

/** The state main saved, or undefined when main never got that far (or cache is `false`). */
export function loadCacheState(): CacheState | undefined {
  const raw = core.getState(STATE_NAME)
  if (!raw) return undefined
  try {
    const s = JSON.parse(raw) as CacheState
    return typeof s.gomodcache === 'string' && typeof s.key === 'string' && Array.isArray(s.modules) ? s : undefined
  } catch {
    return undefined
  }
}

/** go.mod and go.sum of each module, named relative to the workspace; missing files are left out. */
export function readKeyFiles(modules: Array<{ dir: string; rel: string }>): KeyFile[] {
  const out: KeyFile[] = []
  for (const m of modules) {
    for (const name of ['go.mod', 'go.sum']) {
      const file = join(m.dir, name)
      if (existsSync(file)) out.push({ path: m.rel === '.' ? name : `${m.rel}/${name}`, content: readFileSync(file) })
    }
  }
  return out
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** True when GOMODCACHE holds any module (extracted or downloaded); checksum tiles and VCS clones do not count. */
export function holdsModules(gomodcache: string): boolean {
  if (entries(gomodcache).some((e) => e !== 'cache')) return true
  return entries(join(gomodcache, 'cache', 'download')).some((e) => e !== 'sumdb')
}

/** Bytes of the downloaded modules (cache/download without sumdb): the size users recognise, and cheap to walk. */
export function downloadBytes(gomodcache: string): number {
  const root = join(gomodcache, 'cache', 'download')
  let total = 0
  const walk = (dir: string): void => {
    for (const e of entries(dir)) {
      const p = join(dir, e)
      const st = lstatSync(p, { throwIfNoEntry: false })
      if (!st) continue
      if (st.isDirectory()) walk(p)
      else total += st.size
    }
  }
  for (const e of entries(root)) if (e !== 'sumdb') walk(join(root, e))
  return total
}

/** Text safe for a summary or annotation: registered secrets and signed-URL queries removed, one line. */
export function cleanMessage(text: string): string {
  return redact(text)
    .replace(/(https?:\/\/[^\s?]+)\?\S*/g, '$1?…')
    .replace(/%0A|%0D|\r?\n/g, ' ')
    .replace(/%25/g, '%')
    .trim()
}

export interface LibraryFailure {
  level: 'info' | 'warning' | 'error'
  message: string
}

/**
 * Runs an @actions/cache call and reports the failure it logged, if any. The library swallows every service error
 * (it logs "Failed to restore/save: …" and returns a miss or -1), so its log line is the only way to tell a miss
 * from an outage, or a save conflict (logged as info) from success.
 */
export async function watchCacheLog<T>(fn: () => Promise<T>): Promise<{ value: T; failure?: LibraryFailure }> {
  let failure: LibraryFailure | undefined
  const original = process.stdout.write
  const watcher = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    if (!failure) {
      const m = /^(?:::(warning|error)(?: [^:]*)?::)?(Failed to (?:restore|save): .*)$/m.exec(String(chunk))
      if (m) failure = { level: (m[1] as 'warning' | 'error' | undefined) ?? 'info', message: cleanMessage(m[2]) }
    }
    return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest)
  }
  process.stdout.write = watcher as typeof process.stdout.write
  try {
    const value = await fn()
    return { value, failure }
  } finally {
    if (process.stdout.write === watcher) process.stdout.write = original
  }
}

/** Resolves to `undefined` after `ms` (the work itself cannot be cancelled; see the callers). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms)
  })
  return Promise.race([p.then((value) => ({ value })), timeout]).finally(() => clearTimeout(timer))
}

export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`
}
