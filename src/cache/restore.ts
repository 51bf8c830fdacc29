// Main step: restore the module cache (runs concurrently with preflight). Fail-soft: it never throws; every
// outcome is a CacheReport for the summary, and the state the post step needs to save.
import type { CacheReport, GoModule } from '../types.js'
import { cacheKeys, cachePaths } from './key.js'
import { removeModules } from './prune.js'
import { cacheBounds, callCacheLibrary, type CacheBounds } from './call.js'
import { cleanMessage, downloadBytes, holdsModules, readKeyFiles, saveCacheState, type CacheState } from './state.js'
import { errorMessage } from '../lib/errors.js'

export interface RestoreOptions {
  mode: 'true' | 'false' | 'restore-only'
  /** GOMODCACHE from `go env`. */
  gomodcache: string
  goVersion: string
  modules: GoModule[]
  /**
   * A cache service that stalls is abandoned (see cache/call.ts) and tidy goes on uncached: by default after 10 s
   * without progress, or 2 min in all. Tests shorten these.
   */
  bounds?: Partial<CacheBounds>
}

export async function restoreModuleCache(o: RestoreOptions): Promise<CacheReport> {
  let report: CacheReport
  try {
    report = await restore(o)
  } catch (e) {
    report = { restore: 'failed', note: `module cache not restored: ${cleanMessage(errorMessage(e))}` }
  }
  return report
}

async function restore(o: RestoreOptions): Promise<CacheReport> {
  if (o.mode === 'false') return { restore: 'disabled' }
  const started = Date.now()
  const { key, restoreKeys } = cacheKeys({
    os: process.env.RUNNER_OS || process.platform,
    arch: process.env.RUNNER_ARCH || process.arch,
    goVersion: o.goVersion,
    files: readKeyFiles(o.modules)
  })
  const state: CacheState = {
    mode: o.mode,
    gomodcache: o.gomodcache,
    goVersion: o.goVersion,
    key,
    restore: 'miss',
    modules: o.modules.map((m) => ({ dir: m.dir, rel: m.rel }))
  }
  const done = (report: CacheReport): CacheReport => {
    state.restore = report.restore
    state.matchedKey = report.matchedKey
    saveCacheState(state)
    return { key, ...report }
  }
  if (!o.gomodcache) return done({ restore: 'failed', note: '`go env GOMODCACHE` is empty; module cache not restored' })
  if (holdsModules(o.gomodcache)) {
    // Unpacking over another cache (e.g. actions/setup-go's) would mix two caches' files; that step owns it.
    const note =
      'GOMODCACHE already holds modules (restored by an earlier step?): not restoring over it, and not saving it'
    return done({ restore: 'skipped', note })
  }
  const cache = await import('./service.js')
  if (!cache.isFeatureAvailable()) {
    state.noService = true
    return done({
      restore: 'failed',
      note: 'the Actions cache service is not available to this step; module cache not restored'
    })
  }
  const paths = cachePaths(o.gomodcache)
  // Past "Cache Size" the library extracts into GOMODCACHE: that is waited for, never abandoned.
  const outcome = await callCacheLibrary(() => cache.restoreCache(paths, key, restoreKeys), {
    ...cacheBounds('restore', o.bounds),
    busyLine: /^Cache Size: /m
  })
  const durationMs = Date.now() - started
  if (outcome.abandoned !== undefined) {
    return done({
      restore: 'failed',
      durationMs,
      note: `module cache not restored: ${outcome.abandoned}; continuing without it`
    })
  }
  const { value: matchedKey, failure } = outcome
  if (failure) {
    // GOMODCACHE held no modules before, so whatever is there now is a half-extracted archive: go would trust
    // its extracted directories as complete. The library already logged the failure; the summary names it too.
    removeModules(o.gomodcache)
    return done({ restore: 'failed', durationMs, note: failure.message })
  }
  if (!matchedKey) return done({ restore: 'miss', durationMs })
  return done({
    restore: matchedKey === key ? 'hit' : 'partial',
    matchedKey,
    durationMs,
    sizeBytes: downloadBytes(o.gomodcache)
  })
}
