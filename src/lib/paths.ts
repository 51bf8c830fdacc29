// Paths from inputs and from the repository never lead out of the workspace: `working-directory: ../..`, a committed
// symlink to outside as a module directory, or a go.mod that is a symlink to a file outside (fix mode would write
// through it; check mode would print it in the diff). Judged on real paths, symlinks resolved.
import { lstatSync, realpathSync } from 'node:fs'
import * as path from 'node:path'

/** The real path of `p`, or undefined when it does not exist. */
export function realPath(p: string): string | undefined {
  try {
    return realpathSync(p)
  } catch {
    return undefined
  }
}

/** True when `p` (resolved, symlinks followed where it exists) is the workspace or below it. */
export function insideWorkspace(workspace: string, p: string): boolean {
  const root = realPath(workspace) ?? path.resolve(workspace)
  // A path that does not exist (yet) is judged as written: reading it fails later with its own error.
  const real = realPath(p) ?? path.resolve(p)
  const rel = path.relative(root, real)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/**
 * Why a module directory may not be used, or undefined: it (through symlinks) or its go.mod/go.sum, when they are
 * symlinks, lead outside the workspace.
 */
export function moduleOutsideWorkspace(workspace: string, dir: string, dirKnownInside = false): string | undefined {
  if (!dirKnownInside && !insideWorkspace(workspace, dir))
    return 'the directory leads outside the workspace (through a symlink or "..")'
  for (const f of ['go.mod', 'go.sum']) {
    const file = path.join(dir, f)
    let link = false
    try {
      link = lstatSync(file).isSymbolicLink()
    } catch {
      continue // absent
    }
    // A symlink that points nowhere would have go create its target, wherever that is: refused like one outside.
    if (link && realPath(file) === undefined) return `${f} is a symlink to a file that does not exist`
    if (link && !insideWorkspace(workspace, file)) return `${f} is a symlink to a file outside the workspace`
  }
  return undefined
}

/** Path of a module's file relative to the workspace, '/'-separated. */
export function workspacePath(moduleRel: string, file: string): string {
  const rel = moduleRel
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '')
  return rel === '' || rel === '.' ? file : `${rel}/${file}`
}
