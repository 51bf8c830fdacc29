// What preflight asks each module proxy: a request this run really needs. Filtering mirrors (allow-lists, "module
// host not permitted") refuse made-up module paths, so a probe for one says nothing about whether the proxy works;
// the first module that a checked go.mod requires, asked at the version it names, is what go will ask for too.
import { escapePath, escapeVersion, pathEscape } from '../lib/modpath.js'
import type { GoModule, ModuleVersion } from '../types.js'
import { proxiedRequirements } from '../go/needs.js'

export type ProbeModule = ModuleVersion

/**
 * The first requirement of the modules' go.mod files that go would fetch through a proxy (not replaced, not matched
 * by GONOPROXY), or undefined when there is none (preflight then asks for a path no module can have).
 */
export function pickProbeModule(modules: readonly GoModule[], gonoproxy: string): ProbeModule | undefined {
  return proxiedRequirements(modules, gonoproxy)[0]
}

/** The proxy-relative request path for the module's `.info`, escaped exactly as go sends it. */
export function infoPath(m: ProbeModule): string {
  return pathEscape(`${escapePath(m.path)!}/@v/${escapeVersion(m.version)!}.info`)
}
