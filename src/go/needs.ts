// What go will ask a module proxy for while it tidies these modules: the requirements in their go.mod files that no
// `replace` directive covers and that GONOPROXY leaves to the proxy (go fetches each one's .mod, and the .zip of
// those that provide packages). Preflight probes the first of them (preflight/target.ts); the relay fetches the files
// the module cache lacks ahead of go (relay/prefetch.ts), so a cold run waits for one round of requests, not for
// one per level of the dependency graph. A replaced or private path is never asked of a proxy: go would not ask.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GoModule, ModuleVersion } from '../types.js'
import { scanGoMod } from './gomod.js'
import { escapePath, escapeVersion } from '../lib/modpath.js'
import { matchPrefixPatterns } from '../config/review.js'

/** A module's requirements and replaced paths: from discovery's scan, else read now (unreadable: none). */
function goModOf(m: GoModule): { requires: readonly ModuleVersion[]; replaces: readonly string[] } {
  if (m.requires) return { requires: m.requires, replaces: m.replaces ?? [] }
  try {
    return scanGoMod(readFileSync(join(m.dir, 'go.mod'), 'utf8'))
  } catch {
    return { requires: [], replaces: [] } // tidy reports an unreadable go.mod
  }
}

/** Each requirement go would fetch through a proxy, once, in the modules' order (the order they are tidied in). */
export function proxiedRequirements(modules: readonly GoModule[], gonoproxy: string): ModuleVersion[] {
  const seen = new Set<string>()
  const out: ModuleVersion[] = []
  for (const m of modules) {
    const { requires, replaces } = goModOf(m)
    const replaced = new Set(replaces)
    for (const { path, version } of requires) {
      const key = `${path}@${version}`
      if (seen.has(key) || replaced.has(path)) continue
      seen.add(key)
      if (escapePath(path) === undefined || escapeVersion(version) === undefined) continue
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
