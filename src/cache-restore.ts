// Main step: restore the module cache (runs concurrently with preflight). Fail-soft: it never throws; every
// outcome is a CacheReport for the summary, and the state the post step needs to save.
import type { CacheReport, GoModule } from './types.js'
import { cacheKeys, cachePaths } from './cache-key.js'
import { removeModules } from './cache-prune.js'
import {
  cleanMessage,
  downloadBytes,
  holdsModules,
  readKeyFiles,
  saveCacheState,
  watchCacheLog,
  withTimeout,
  type CacheState
} from './cache-state.js'

export interface RestoreOptions {
  mode: 'true' | 'false' | 'restore-only'
  /** GOMODCACHE from `go env`. */
  gomodcache: string
  goVersion: string
  modules: GoModule[]
  /**
   * Give up waiting after this long (default 5 min) so a cache service that accepts connections but never answers
   * cannot hold tidy back. The library call cannot be cancelled; see the report's note.
   */
  timeoutMs?: number
}

export async function restoreModuleCache(o: RestoreOptions): Promise<CacheReport> {
  let report: CacheReport
  try {
    report = await restore(o)
  } catch (e) {
    report = { restore: 'failed', note: `module cache not restored: ${cleanMessage(e instanceof Error ? e.message : String(e))}` }
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
    const note = 'GOMODCACHE already holds modules (restored by an earlier step?): not restoring over it, and not saving it'
    return done({ restore: 'skipped', note })
  }
  const cache = await import('./cache-service.js')
  if (!cache.isFeatureAvailable()) {
    state.noService = true
    return done({ restore: 'failed', note: 'the Actions cache service is not available to this step; module cache not restored' })
  }
  const paths = cachePaths(o.gomodcache)
  const outcome = await withTimeout(
    watchCacheLog(() => cache.restoreCache(paths, key, restoreKeys)),
    o.timeoutMs ?? 5 * 60_000
  )
  const durationMs = Date.now() - started
  if (!outcome) {
    const s = Math.round((o.timeoutMs ?? 5 * 60_000) / 1000)
    return done({ restore: 'failed', durationMs, note: `the cache service did not answer within ${s} s; continuing without the module cache` })
  }
  const { value: matchedKey, failure } = outcome.value
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
