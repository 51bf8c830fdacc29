// Post step: prune and save the module cache. Fail-soft: nothing here throws or fails the step.
import * as core from '@actions/core'
import { errorMessage } from '../lib/errors.js'
import { formatBytes } from '../lib/format.js'
import { logUntrusted } from '../lib/log-safe.js'
import { cacheKeys, cachePaths, isPullRequestEvent } from './key.js'
import { pruneModuleCache, readNeeded, type PruneStats } from './prune.js'
import { cacheBounds, callCacheLibrary, type CacheBounds } from './call.js'
import {
  cleanMessage,
  downloadBytes,
  holdsModules,
  loadCacheState,
  readKeyFiles,
  stepPassed,
  type CacheState
} from './state.js'

export interface SaveReport {
  saved: boolean
  key?: string
  /** Bytes of downloaded modules in the saved cache (cache/download, uncompressed). */
  sizeBytes?: number
  durationMs?: number
  pruned?: PruneStats
  /** Why nothing was saved (or what went wrong). */
  reason?: string
  /** The save was abandoned while the library still had a request open. */
  timedOut?: boolean
}

/** Saves the cache main restored; undefined when main saved no state (cache `false`, or main failed early). */
export async function saveModuleCache(opts: { bounds?: Partial<CacheBounds> } = {}): Promise<SaveReport | undefined> {
  const state = loadCacheState()
  if (!state) return undefined
  try {
    return await save(state, cacheBounds('save', opts.bounds))
  } catch (e) {
    return { saved: false, key: state.key, reason: warn(`module cache not saved: ${cleanMessage(errorMessage(e))}`) }
  }
}

async function save(state: CacheState, bounds: CacheBounds): Promise<SaveReport> {
  const skip = skipReason(state)
  if (skip) return { saved: false, key: state.key, reason: skip }
  // Key from the go.mod/go.sum as tidy left them (fix mode may have changed them), so the next run's key matches.
  const files = readKeyFiles(state.modules)
  const key = files.length > 0 ? keyFor(state, files) : state.key
  if (key === state.matchedKey) return { saved: false, key, reason: 'exact key hit: the cache is already saved' }
  if (!holdsModules(state.gomodcache)) return { saved: false, key, reason: 'no modules in GOMODCACHE to save' }
  const cache = await import('./service.js')
  if (!cache.isFeatureAvailable()) {
    return {
      saved: false,
      key,
      reason: warn('the Actions cache service is not available to the post step; module cache not saved')
    }
  }
  const started = Date.now()
  let pruned: PruneStats | undefined
  try {
    pruned = pruneModuleCache(state.gomodcache, readNeeded(state.modules.map((m) => m.dir)))
  } catch (e) {
    // A partly pruned cache is still a valid cache: save it.
    warn(`module cache not fully pruned: ${cleanMessage(errorMessage(e))}`)
  }
  const sizeBytes = downloadBytes(state.gomodcache)
  const outcome = await callCacheLibrary(() => cache.saveCache(cachePaths(state.gomodcache), key), bounds)
  const durationMs = Date.now() - started
  if (outcome.abandoned !== undefined) {
    const reason = warn(`module cache not saved: ${outcome.abandoned}`)
    return { saved: false, key, pruned, durationMs, reason, timedOut: true }
  }
  const { value: id, failure } = outcome
  if (id === -1 || failure) {
    const why = failure?.message ?? 'the cache service did not accept the entry'
    // A save conflict is only logged as info by the library; everything else it already warned about.
    const reason = failure && failure.level !== 'info' ? why : warn(`module cache not saved: ${why}`)
    return { saved: false, key, pruned, durationMs, reason }
  }
  core.info(`Module cache saved with key ${key} (${formatBytes(sizeBytes)} of module downloads)`)
  return { saved: true, key, sizeBytes, durationMs, pruned }
}

function keyFor(state: CacheState, files: ReturnType<typeof readKeyFiles>): string {
  return cacheKeys({
    os: process.env.RUNNER_OS || process.platform,
    arch: process.env.RUNNER_ARCH || process.arch,
    goVersion: state.goVersion,
    files
  }).key
}

function skipReason(state: CacheState): string | undefined {
  if (!stepPassed()) return 'the step did not pass (failed, drifted or cancelled)'
  if (state.mode !== 'true') return '`cache: restore-only`'
  if (isPullRequestEvent(process.env.GITHUB_EVENT_NAME))
    return `pull request event (${process.env.GITHUB_EVENT_NAME}): restore only`
  if (state.restore === 'skipped') return 'GOMODCACHE was filled by an earlier step, which owns saving it'
  if (state.noService) return 'no cache service'
  return undefined
}

function warn(message: string): string {
  core.warning(message)
  return message
}

/** The post step: save, then one summary section. Never throws. */
export async function runPost(): Promise<SaveReport | undefined> {
  let report: SaveReport | undefined
  try {
    report = await saveModuleCache()
    if (report) await writeSaveSummary(report)
  } catch (e) {
    core.warning(`module cache: ${cleanMessage(errorMessage(e))}`)
  }
  return report
}

export function saveSummaryLine(r: SaveReport): string {
  const bits: string[] = []
  if (r.saved) {
    bits.push(`saved: **yes**`, `key \`${r.key}\``)
    if (r.sizeBytes !== undefined) bits.push(`${formatBytes(r.sizeBytes)} of module downloads`)
    if (r.durationMs !== undefined) bits.push(`${(r.durationMs / 1000).toFixed(1)} s`)
  } else {
    bits.push(`saved: **no**`)
    if (r.reason) bits.push(r.reason)
  }
  if (r.pruned && r.pruned.removedVersions > 0) {
    bits.push(`pruned ${r.pruned.removedVersions} unused module version(s), ${formatBytes(r.pruned.removedBytes)}`)
  }
  return bits.join(' · ')
}

async function writeSaveSummary(r: SaveReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addHeading('Module cache (post)', 3).addRaw(saveSummaryLine(r), true).write()
  } catch (e) {
    // Reporting is fail-soft: a warning. The message may quote paths, so it is printed as untrusted text.
    core.warning('job summary not written (see the log)')
    logUntrusted(`job summary not written: ${cleanMessage(errorMessage(e))}`)
  }
}
