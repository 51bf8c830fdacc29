// What preflight asks each module proxy: a request this run really needs. Filtering mirrors (allow-lists, "module
// host not permitted") refuse made-up module paths, so a probe for one says nothing about whether the proxy works;
// the first module that a checked go.mod requires, asked at the version it names, is what go will ask for too.
import { escapePath, escapeVersion, pathEscape } from '../lib/modpath.js'
import type { ModuleVersion } from '../types.js'

/** A module the run needs (go/needs.ts: the first requirement go fetches through a proxy), asked of each proxy. */
export type ProbeModule = ModuleVersion

/** The proxy-relative request path for the module's `.info`, escaped exactly as go sends it. */
export function infoPath(m: ProbeModule): string {
  return pathEscape(`${escapePath(m.path)!}/@v/${escapeVersion(m.version)!}.info`)
}
