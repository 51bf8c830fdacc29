// Go module zips (the golang.org/x/mod/zip layout) and go.sum `h1:` hashes, built at test time.
// Written by hand on node:zlib so tests need no zip dependency, and so a test can produce a
// correct go.sum line or a deliberately wrong one for any fixture module.
import { createCipheriv, createHash } from 'node:crypto'
import { crc32, deflateRawSync } from 'node:zlib'

/** A module version served by the fixture proxy / laid into a zip. */
export interface FixtureModule {
  /** Module path, e.g. `example.com/lib` (upper case allowed; the proxy `!`-encodes it). */
  path: string
  /** Canonical version, e.g. `v1.0.0`. */
  version: string
  /** Files relative to the module root. Default: one `.go` file declaring the package named after the path. */
  files?: Record<string, string | Buffer>
  /** go.mod text (served as `.mod` and put into the zip). Default: `module <path>\n\ngo 1.21\n`. */
  gomod?: string
  /** RFC 3339 time for `.info`. Default: 2024-01-01T00:00:00Z. */
  time?: string
  /** How the zip stores its entries. Default: deflate (what real proxies serve). */
  compression?: ZipCompression
  /**
   * A module from before modules (e.g. a `+incompatible` version): its zip has no go.mod, and the proxy serves
   * what go synthesizes for it, `module <path>\n`, as the `.mod` (`gomod` is ignored).
   */
  legacy?: boolean
}

export type ZipCompression = 'store' | 'deflate'

export const DEFAULT_MODULE_TIME = '2024-01-01T00:00:00Z'

/** The go.mod a fixture module gets when it declares none. */
export function defaultGoMod(path: string): string {
  return `module ${path}\n\ngo 1.21\n`
}

/** The package name go would expect for a module path: last element, skipping a `/vN` major suffix. */
export function packageName(path: string): string {
  const elems = path.split('/')
  let last = elems[elems.length - 1] ?? 'pkg'
  if (/^v\d+$/.test(last) && elems.length > 1) last = elems[elems.length - 2]
  let name = last.toLowerCase().replace(/[^a-z0-9_]/g, '_')
  if (!/^[a-z_]/.test(name)) name = 'p' + name
  return name
}

/** The go.mod of a module as served and zipped. */
export function moduleGoMod(mod: FixtureModule): string {
  if (mod.legacy) return `module ${mod.path}\n`
  return mod.gomod ?? defaultGoMod(mod.path)
}

/** Every file of the module's zip, relative to the module root, go.mod included (unless legacy). */
export function moduleFiles(mod: FixtureModule): Record<string, Buffer> {
  const out: Record<string, Buffer> = {}
  const files = mod.files ?? {
    [`${packageName(mod.path)}.go`]:
      `// Package ${packageName(mod.path)} is a fixture module.\npackage ${packageName(mod.path)}\n\n` +
      `// Version identifies the fixture.\nfunc Version() string { return "${mod.path}@${mod.version}" }\n`
  }
  for (const [name, data] of Object.entries(files)) out[name] = toBuffer(data)
  if (!mod.legacy) out['go.mod'] = Buffer.from(moduleGoMod(mod))
  return out
}

function toBuffer(data: string | Buffer): Buffer {
  return typeof data === 'string' ? Buffer.from(data) : data
}

export interface ZipEntry {
  name: string
  data: Buffer
}

/** Writes a plain zip archive (no zip64: fixtures stay far below 4 GiB). */
export function writeZip(entries: ZipEntry[], compression: ZipCompression = 'deflate'): Buffer {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const method = compression === 'deflate' ? 8 : 0
    const body = method === 8 ? deflateRawSync(e.data) : e.data
    const crc = crc32(e.data)
    // Shared fields of the local and central headers: version 2.0, UTF-8 names, fixed 1980-01-01 time.
    const common = Buffer.alloc(26)
    common.writeUInt16LE(20, 0)
    common.writeUInt16LE(0x0800, 2)
    common.writeUInt16LE(method, 4)
    common.writeUInt16LE(0, 6)
    common.writeUInt16LE(0x21, 8)
    common.writeUInt32LE(crc, 10)
    common.writeUInt32LE(body.length, 14)
    common.writeUInt32LE(e.data.length, 18)
    common.writeUInt16LE(name.length, 22)
    common.writeUInt16LE(0, 24)
    const local = Buffer.concat([u32(0x04034b50), common, name, body])
    // Central header tail: comment length, disk, internal attrs, external attrs (regular file 0644), offset.
    const tail = Buffer.alloc(14)
    tail.writeUInt32LE((0o100644 << 16) >>> 0, 6)
    tail.writeUInt32LE(offset, 10)
    central.push(Buffer.concat([u32(0x02014b50), u16(0x0314), common, tail, name]))
    parts.push(local)
    offset += local.length
  }
  const cd = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, cd, end])
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n >>> 0, 0)
  return b
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(n, 0)
  return b
}

/** The module's zip entries, named `<path>@<version>/<file>` as golang.org/x/mod/zip requires. */
export function moduleZipEntries(mod: FixtureModule): ZipEntry[] {
  const prefix = `${mod.path}@${mod.version}/`
  return Object.entries(moduleFiles(mod))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, data]) => ({ name: prefix + name, data }))
}

/** The `.zip` a GOPROXY serves for this module version. */
export function buildModuleZip(mod: FixtureModule, compression?: ZipCompression): Buffer {
  return writeZip(moduleZipEntries(mod), compression ?? mod.compression ?? 'deflate')
}

/** dirhash.Hash1: sha256 over the sorted lines "<sha256hex>  <name>\n", base64, prefixed "h1:". */
export function hash1(files: Array<{ name: string; data: Buffer | string }>): string {
  const lines = files
    .map((f) => ({ name: f.name, sum: createHash('sha256').update(f.data).digest('hex') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => {
      if (f.name.includes('\n')) throw new Error(`dirhash: file name with newline: ${JSON.stringify(f.name)}`)
      return `${f.sum}  ${f.name}\n`
    })
  return 'h1:' + createHash('sha256').update(lines.join('')).digest('base64')
}

/** go.sum hash of the module's zip content (the `<path> <version> h1:…` line). */
export function hashZip(mod: FixtureModule): string {
  return hash1(moduleZipEntries(mod))
}

/**
 * go.sum hash of a go.mod (the `<path> <version>/go.mod h1:…` line). go hashes the text under the
 * bare name "go.mod", so path and version do not change the result; they are accepted for readability.
 */
export function hashGoMod(gomodText: string, _path?: string, _version?: string): string {
  return hash1([{ name: 'go.mod', data: gomodText }])
}

/** The two go.sum lines go writes for this module version. */
export function goSumLines(mod: FixtureModule): [string, string] {
  return [
    `${mod.path} ${mod.version} ${hashZip(mod)}`,
    `${mod.path} ${mod.version}/go.mod ${hashGoMod(moduleGoMod(mod))}`
  ]
}

/** A syntactically valid `h1:` hash that matches nothing (for deliberately wrong go.sum lines). */
export function wrongHash(seed = 'wrong'): string {
  return 'h1:' + createHash('sha256').update(seed).digest('base64')
}

/**
 * Deterministic incompressible bytes (AES-CTR keystream): big fixture files that deflate cannot shrink,
 * identical across runs so hashes are stable.
 */
export function incompressibleBytes(size: number, seed = 'go-tidy-guard'): Buffer {
  const key = createHash('sha256').update(seed).digest().subarray(0, 16)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()])
}

/** A module whose zip is about `megabytes` MiB (one stored blob plus the package file), for the benchmark. */
export function makeLargeModule(path: string, version: string, megabytes: number): FixtureModule {
  const name = packageName(path)
  return {
    path,
    version,
    compression: 'store',
    files: {
      [`${name}.go`]: `package ${name}\n\nfunc Version() string { return "${path}@${version}" }\n`,
      'testdata/blob.bin': incompressibleBytes(Math.round(megabytes * 1024 * 1024), `${path}@${version}`)
    }
  }
}

// Module path and version rules of the GOPROXY protocol.

/** `example.com/!foo` -> `example.com/Foo`; null when the text is not a valid escaped path. */
export function unescapeModulePath(escaped: string): string | null {
  if (/[A-Z]/.test(escaped)) return null
  let bad = false
  const out = escaped.replace(/!(.?)/g, (_, c: string) => {
    if (!/[a-z]/.test(c)) bad = true
    return c.toUpperCase()
  })
  return bad ? null : out
}

/** `example.com/Foo` -> `example.com/!foo` (what go puts in proxy URLs). */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase())
}

type SemverParts = { nums: number[]; pre: string[] }
function parseSemver(v: string): SemverParts | null {
  const m = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(v)
  return m ? { nums: [+m[1], +m[2], +m[3]], pre: m[4] ? m[4].split('.') : [] } : null
}

/** Semver order (prerelease rules included); unparsable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const x = parseSemver(a)
  const y = parseSemver(b)
  if (!x || !y) return (x ? 1 : 0) - (y ? 1 : 0)
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] - y.nums[i]
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i]
    const q = y.pre[i]
    if (p === q) continue
    const pn = /^\d+$/.test(p)
    const qn = /^\d+$/.test(q)
    if (pn && qn) return Number(p) - Number(q)
    if (pn !== qn) return pn ? -1 : 1
    return p < q ? -1 : 1
  }
  return x.pre.length - y.pre.length
}

export const isPseudoVersion = (v: string): boolean => /-(?:0\.|\d+\.)?\d{14}-[0-9a-f]{12}(?:\+incompatible)?$/.test(v)

/** A tagged release: valid semver, no prerelease, not a pseudo-version (what `@latest` prefers). */
export function isReleaseVersion(v: string): boolean {
  return parseSemver(v)?.pre.length === 0
}
