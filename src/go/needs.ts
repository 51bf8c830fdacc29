// What go will ask a module proxy for while it tidies these modules: the requirements in their go.mod files that no
// `replace` directive covers and that GONOPROXY leaves to the proxy (go fetches each one's .mod, and the .zip of
// those that provide packages: all of them in a tidy go.mod; a drifted one's unused requirement costs a zip).
// Preflight probes the first of them (preflight/target.ts); the relay fetches the files the module cache lacks ahead
// of go (relay/prefetch.ts), so a cold run waits for one round of requests, not for one per level of the dependency
// graph. A replaced or private path is never asked of a proxy: go would not ask.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GoModule, ModuleVersion } from '../types.js'
import { scanGoMod } from './gomod.js'
import { escapePath, escapeVersion, isCanonicalVersion } from '../lib/modpath.js'
import { matchPrefixPatterns } from '../config/review.js'

/** What a go.mod says about fetching: its requirements and the module paths it replaces. */
export interface GoModNeeds {
  requires: readonly ModuleVersion[]
  replaces: readonly string[]
}

/** A module's requirements and replaced paths: from discovery's scan, else read now (unreadable: none). */
function goModOf(m: GoModule, known?: ReadonlyMap<string, GoModNeeds>): GoModNeeds {
  const scanned = known?.get(m.dir)
  if (scanned) return scanned
  try {
    return scanGoMod(readFileSync(join(m.dir, 'go.mod'), 'utf8'))
  } catch {
    return { requires: [], replaces: [] } // tidy reports an unreadable go.mod
  }
}

/**
 * Each requirement go would fetch through a proxy, once, in the modules' order: canonical versions only (go resolves
 * a branch name or `latest` through .info first), never a path a replace directive covers or GONOPROXY matches.
 * `known`: discovery's scans by directory (go.mod files not in it are read now).
 */
export function proxiedRequirements(
  modules: readonly GoModule[],
  gonoproxy: string,
  known?: ReadonlyMap<string, GoModNeeds>
): ModuleVersion[] {
  const seen = new Set<string>()
  const out: ModuleVersion[] = []
  for (const m of modules) {
    const { requires, replaces } = goModOf(m, known)
    const replaced = new Set(replaces)
    for (const { path, version } of requires) {
      const key = `${path}@${version}`
      if (seen.has(key) || replaced.has(path)) continue
      seen.add(key)
      if (escapePath(path) === undefined || escapeVersion(version) === undefined || !isCanonicalVersion(version))
        continue
      if (!matchPrefixPatterns(gonoproxy, path)) out.push({ path, version })
    }
  }
  return out
}

/**
 * The proxy paths (`<escaped path>/@v/<escaped version>.mod|.zip`, before percent-encoding) of those requirements'
 * files that the module cache's download directory does not hold yet: what a cold run will download.
 */
export function missingDownloads(requirements: readonly ModuleVersion[], gomodcache: string | undefined): string[] {
  const out: string[] = []
  for (const r of requirements) {
    const base = `${escapePath(r.path)!}/@v/${escapeVersion(r.version)!}`
    for (const ext of ['.mod', '.zip']) {
      if (!gomodcache || !existsSync(join(gomodcache, 'cache', 'download', ...`${base}${ext}`.split('/')))) {
        out.push(base + ext)
      }
    }
  }
  return out
}
