// What preflight asks each module proxy: a request this run really needs. Filtering mirrors (allow-lists, "module
// host not permitted") refuse made-up module paths, so a probe for one says nothing about whether the proxy works;
// the first module that a checked go.mod requires, asked at the version it names, is what go will ask for too.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { scanGoMod } from '../go/gomod.js'
import { escapePath, escapeVersion, pathEscape } from '../lib/modpath.js'
import { matchPrefixPatterns } from '../config/review.js'
import type { GoModule } from '../types.js'

export interface ProbeModule {
  path: string
  version: string
}

/**
 * The first requirement of the modules' go.mod files that go would fetch through a proxy (not matched by
 * GONOPROXY), or undefined when there is none (preflight then asks for a path no module can have).
 */
export function pickProbeModule(modules: readonly GoModule[], gonoproxy: string): ProbeModule | undefined {
  for (const m of modules) {
    let text: string
    try {
      text = readFileSync(join(m.dir, 'go.mod'), 'utf8')
    } catch {
      continue // tidy reports an unreadable go.mod
    }
    for (const r of scanGoMod(text).requires) {
      if (escapePath(r.path) === undefined || escapeVersion(r.version) === undefined) continue
      if (!matchPrefixPatterns(gonoproxy, r.path)) return { path: r.path, version: r.version }
    }
  }
  return undefined
}

/** The proxy-relative request path for the module's `.info`, escaped exactly as go sends it. */
export function infoPath(m: ProbeModule): string {
  return pathEscape(`${escapePath(m.path)!}/@v/${escapeVersion(m.version)!}.info`)
}
