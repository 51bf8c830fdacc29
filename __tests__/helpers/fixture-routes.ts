// The GOPROXY protocol as the fixture proxy answers it: `<mod>/@v/list`, `<mod>/@v/<ver>.info|.mod|.zip` (with
// Range) and `<mod>/@latest` over fixture modules, at go's escaped paths (upper case as `!` + lower case).
import {
  buildModuleZip,
  compareVersions,
  isPseudoVersion,
  isReleaseVersion,
  moduleGoMod,
  unescapeModulePath,
  DEFAULT_MODULE_TIME,
  type FixtureModule
} from './modzip.js'

export type Entry = { mod: FixtureModule; zip?: Buffer }
export type Reply = { status: number; type: string; body: Buffer; headers?: Record<string, string> }

export const text = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain; charset=utf-8',
  body: Buffer.from(body)
})

function latestOf(entries: Entry[]): Entry | undefined {
  const sorted = [...entries].sort((a, b) => compareVersions(a.mod.version, b.mod.version))
  const release = sorted.filter((e) => isReleaseVersion(e.mod.version))
  return release.at(-1) ?? sorted.filter((e) => !isPseudoVersion(e.mod.version)).at(-1) ?? sorted.at(-1)
}

function info(e: Entry): Reply {
  const body = JSON.stringify({ Version: e.mod.version, Time: e.mod.time ?? DEFAULT_MODULE_TIME })
  return { status: 200, type: 'application/json', body: Buffer.from(body) }
}

/** Answers one GOPROXY-protocol path (basePath already removed). */
export function route(store: Map<string, Map<string, Entry>>, path: string, range: string | undefined): Reply {
  const m = /^\/(.+?)\/(@latest|@v\/list|@v\/(.+)\.(info|mod|zip))$/.exec(path)
  if (!m) return text(404, `not found: ${path}`)
  const modPath = unescapeModulePath(m[1])
  const versions = modPath === null ? undefined : store.get(modPath)
  if (!versions || versions.size === 0) return text(404, `not found: module ${modPath ?? m[1]}: no such module`)
  if (m[2] === '@v/list') {
    const list = [...versions.keys()].filter((v) => !isPseudoVersion(v)).sort(compareVersions)
    return text(200, list.map((v) => v + '\n').join(''))
  }
  if (m[2] === '@latest') return info(latestOf([...versions.values()])!)
  const version = unescapeModulePath(m[3])
  const e = version === null ? undefined : versions.get(version)
  if (!e)
    return text(404, `not found: ${modPath}@${version ?? m[3]}: invalid version: unknown revision ${version ?? m[3]}`)
  if (m[4] === 'info') return info(e)
  if (m[4] === 'mod') return text(200, moduleGoMod(e.mod))
  e.zip ??= buildModuleZip(e.mod)
  return zipReply(e.zip, range)
}

function zipReply(zip: Buffer, range: string | undefined): Reply {
  const base = { type: 'application/zip', headers: { 'Accept-Ranges': 'bytes' } }
  const r = range ? /^bytes=(\d+)-(\d*)$/.exec(range.trim()) : null
  if (!r) return { ...base, status: 200, body: zip }
  const start = Number(r[1])
  const end = r[2] ? Math.min(Number(r[2]), zip.length - 1) : zip.length - 1
  if (start >= zip.length || end < start) {
    return { ...base, status: 416, body: Buffer.alloc(0), headers: { 'Content-Range': `bytes */${zip.length}` } }
  }
  return {
    ...base,
    status: 206,
    body: zip.subarray(start, end + 1),
    headers: { ...base.headers, 'Content-Range': `bytes ${start}-${end}/${zip.length}` }
  }
}
