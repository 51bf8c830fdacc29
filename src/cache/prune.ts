// Prunes the module cache to what the checked modules need, so a cache that is restored, extended and saved again
// does not grow run after run. Runs in post, which only runs on success: each checked module's go.sum is tidy,
// so it lists exactly the module versions (zip) and go.mod files that module needs.
import { chmodSync, existsSync, lstatSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'

/** module path -> version -> what is needed: the whole module (`zip`) or only its go.mod (`mod`). */
export type Needed = Map<string, Map<string, 'zip' | 'mod'>>

export interface PruneStats {
  /** Module versions removed entirely, or reduced to their go.mod. */
  removedVersions: number
  removedBytes: number
}

/** Reads go.sum texts: `<path> <version> h1:` needs the zip, `<path> <version>/go.mod h1:` the go.mod. */
export function neededFromGoSum(texts: string[]): Needed {
  const needed: Needed = new Map()
  for (const text of texts) {
    for (const line of text.split(/\r?\n/)) {
      const f = line.trim().split(/\s+/)
      if (f.length !== 3 || !f[2].includes(':')) continue
      const modOnly = f[1].endsWith('/go.mod')
      const version = modOnly ? f[1].slice(0, -'/go.mod'.length) : f[1]
      const versions = needed.get(f[0]) ?? new Map<string, 'zip' | 'mod'>()
      if (!modOnly) versions.set(version, 'zip')
      else if (!versions.has(version)) versions.set(version, 'mod')
      needed.set(f[0], versions)
    }
  }
  return needed
}

export function readNeeded(moduleDirs: string[]): Needed {
  const texts: string[] = []
  for (const d of moduleDirs) {
    const file = join(d, 'go.sum')
    if (existsSync(file)) texts.push(readFileSync(file, 'utf8'))
  }
  return neededFromGoSum(texts)
}

/** GOMODCACHE's case encoding: `!x` stands for `X` in module paths and versions. */
export function unescapeCachePath(s: string): string {
  return s.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase())
}

const DOWNLOAD_FILE = /^(.+)\.(zip|ziphash|mod|info|lock|partial)$/
const ZIP_ONLY = new Set(['zip', 'ziphash', 'partial'])

export function pruneModuleCache(gomodcache: string, needed: Needed): PruneStats {
  const removed = new Set<string>()
  const stats: PruneStats = { removedVersions: 0, removedBytes: 0 }
  const download = join(gomodcache, 'cache', 'download')
  for (const vdir of findDirs(download, (name, rel) => name === '@v' || (rel === '' && name === 'sumdb'))) {
    if (!vdir.endsWith(`${sep}@v`)) continue
    const modPath = unescapeCachePath(relative(download, vdir).split(sep).slice(0, -1).join('/'))
    pruneVersionDir(vdir, needed.get(modPath), (version, bytes) => {
      removed.add(`${modPath}@${version}`)
      stats.removedBytes += bytes
    })
  }
  for (const dir of findDirs(gomodcache, (name, rel) => name.includes('@') || (rel === '' && name === 'cache'))) {
    const rel = relative(gomodcache, dir).split(sep).join('/')
    const at = rel.lastIndexOf('@')
    if (at < 0 || rel.startsWith('cache/')) continue
    const modPath = unescapeCachePath(rel.slice(0, at))
    const version = unescapeCachePath(rel.slice(at + 1))
    if (needed.get(modPath)?.get(version) === 'zip') continue
    stats.removedBytes += treeBytes(dir)
    removeTree(dir)
    removed.add(`${modPath}@${version}`)
  }
  removeEmptyDirs(gomodcache)
  stats.removedVersions = removed.size
  return stats
}

/** One `@v` directory: drop the files of versions nobody needs (or their zips when only go.mod is needed). */
function pruneVersionDir(
  vdir: string,
  versions: Map<string, 'zip' | 'mod'> | undefined,
  onRemove: (v: string, bytes: number) => void
): void {
  const kept = new Set<string>()
  for (const name of readdirSync(vdir)) {
    const m = DOWNLOAD_FILE.exec(name)
    if (!m) continue
    const version = unescapeCachePath(m[1])
    const need = versions?.get(version)
    if (need === 'zip' || (need === 'mod' && !ZIP_ONLY.has(m[2]))) {
      kept.add(m[1])
      continue
    }
    const file = join(vdir, name)
    const bytes = lstatSync(file).size
    makeWritable(vdir)
    rmSync(file, { force: true })
    onRemove(version, bytes)
  }
  // `list` records the versions this cache holds (go serves it when GOMODCACHE/cache/download is used as a proxy).
  const list = join(vdir, 'list')
  if (existsSync(list)) {
    const lines = readFileSync(list, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
    const keep = lines.filter((v) => kept.has(v.trim()))
    if (keep.length === 0) rmSync(list, { force: true })
    else if (keep.length !== lines.length) writeFileSync(list, keep.map((v) => v + '\n').join(''))
  }
  if (kept.size === 0) for (const f of readdirSync(vdir)) if (f === 'list.lock') rmSync(join(vdir, f), { force: true })
}

/** Directories below `root` for which `stop(name, parentRel)` is true; those are not descended into. */
function findDirs(root: string, stop: (name: string, parentRel: string) => boolean): string[] {
  const out: string[] = []
  const walk = (dir: string, rel: string): void => {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return
    }
    for (const name of names) {
      const p = join(dir, name)
      if (!lstatSync(p, { throwIfNoEntry: false })?.isDirectory()) continue
      if (stop(name, rel)) out.push(p)
      else walk(p, rel === '' ? name : `${rel}/${name}`)
    }
  }
  walk(root, '')
  return out
}

function treeBytes(dir: string): number {
  let total = 0
  for (const name of readdirSync(dir)) {
    const st = lstatSync(join(dir, name))
    total += st.isDirectory() ? treeBytes(join(dir, name)) : st.size
  }
  return total
}

function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o755)
  } catch {
    // rm reports what it cannot remove.
  }
}

/** go makes extracted modules read-only; directories must be writable for their entries to be removed. */
export function removeTree(dir: string): void {
  const st = lstatSync(dir, { throwIfNoEntry: false })
  if (!st) return
  if (st.isDirectory()) {
    makeWritable(dir)
    for (const name of readdirSync(dir)) {
      if (lstatSync(join(dir, name)).isDirectory()) removeTree(join(dir, name))
    }
  }
  rmSync(dir, { recursive: true, force: true })
}

/** Removes the directories pruning left empty, in the saved part of the cache only (VCS clones keep theirs). */
function removeEmptyDirs(gomodcache: string): void {
  // True when `dir` ended up empty and was removed. Extracted modules (`name@version`) are never descended into.
  const sweep = (dir: string): boolean => {
    let left = 0
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      const isDir = lstatSync(p).isDirectory()
      const gone = isDir && (name.includes('@') ? removeIfEmptyVersionDir(p, name) : sweep(p))
      if (!gone) left++
    }
    if (left > 0) return false
    rmdirSync(dir)
    return true
  }
  const roots = [
    ...subdirs(gomodcache)
      .filter((n) => n !== 'cache')
      .map((n) => join(gomodcache, n)),
    ...subdirs(join(gomodcache, 'cache', 'download'))
      .filter((n) => n !== 'sumdb')
      .map((n) => join(gomodcache, 'cache', 'download', n))
  ]
  for (const r of roots) sweep(r)
}

function removeIfEmptyVersionDir(p: string, name: string): boolean {
  if (name !== '@v' || readdirSync(p).length > 0) return false
  rmdirSync(p)
  return true
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((n) => lstatSync(join(dir, n)).isDirectory())
}

/** Removes every module from GOMODCACHE (a half-extracted restore), keeping checksum tiles and VCS clones. */
export function removeModules(gomodcache: string): void {
  for (const name of existsSync(gomodcache) ? readdirSync(gomodcache) : []) {
    if (name !== 'cache') removeTree(join(gomodcache, name))
  }
  const download = join(gomodcache, 'cache', 'download')
  for (const name of existsSync(download) ? readdirSync(download) : []) {
    if (name !== 'sumdb') removeTree(join(download, name))
  }
}
