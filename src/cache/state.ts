// What main's cache restore hands to the post step, and small I/O helpers both sides share.
import * as core from '@actions/core'
import { workspacePath } from '../lib/paths.js'
import { existsSync, readFileSync, readdirSync, lstatSync } from 'node:fs'
import { join } from 'node:path'
import type { CacheReport } from '../types.js'
import type { KeyFile } from './key.js'
import { redact } from '../lib/redact.js'

const STATE_NAME = 'gtg-cache'
const PASSED_STATE = 'gtg-passed'

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

/**
 * Main records that it passed; post saves the cache only then (post runs `always()`, to delete the netrc file, and
 * a failed, drifted or cancelled step records nothing).
 */
export function recordStepPassed(): void {
  core.saveState(PASSED_STATE, 'true')
}

export function stepPassed(): boolean {
  return core.getState(PASSED_STATE) === 'true'
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
      if (existsSync(file)) out.push({ path: workspacePath(m.rel, name), content: readFileSync(file) })
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
  // Bounded first: the pattern below may backtrack over a long run without `?` (library error text, but still).
  return redact(text)
    .slice(0, 4096)
    .replace(/(https?:\/\/[^\s?]+)\?\S*/g, '$1?…')
    .replace(/%0A|%0D|\r?\n/g, ' ')
    .replace(/%25/g, '%')
    .trim()
}
