// The real-shaped fixture modules through the real go and the fixture proxy directly: go downloads every one,
// lays them out in GOMODCACHE exactly where the proxy served them (go's escaped layout), and computes the
// go.sum hashes modzip.ts computes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, runGo, type GoEnv } from './helpers/gotest-env.js'
import { hashGoMod, hashZip, moduleGoMod } from './helpers/modzip.js'
import {
  cacheLayout,
  downloadArgs,
  legacy,
  retracted,
  REAL_SHAPES,
  RETRACT_RATIONALE,
  SHAPES
} from './helpers/real-shapes.js'

interface Download {
  Path: string
  Version: string
  Info: string
  GoMod: string
  Zip: string
  Sum: string
  GoModSum: string
  Error?: string
}

const parseJsonStream = <T>(out: string): T[] =>
  out
    .split(/\n(?=\{)/)
    .filter((s) => s.trim())
    .map((s) => JSON.parse(s) as T)

/** Files under GOMODCACHE/cache/download that mirror the proxy: .info, .mod, .zip and list. */
function cachedProxyFiles(gomodcache: string): string[] {
  const root = join(gomodcache, 'cache', 'download')
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && (/\.(info|mod|zip)$/.test(e.name) || e.name === 'list'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort()
}

describe('real-shaped fixture modules through the real go', () => {
  let proxy: FixtureProxy
  let g: GoEnv
  let downloads: Download[]
  beforeAll(async () => {
    proxy = await startFixtureProxy({ modules: REAL_SHAPES })
    g = makeGoEnv(proxy.url)
    const r = await runGo(['mod', 'download', '-json', ...downloadArgs(SHAPES)], { cwd: g.dir, env: g.env })
    if (r.code !== 0) throw new Error(`go mod download failed:\n${r.stderr}\n${r.stdout}`)
    downloads = parseJsonStream<Download>(r.stdout)
  })
  afterAll(async () => {
    g?.cleanup()
    await proxy?.close()
  })

  it('downloads every shape with the go.sum hashes modzip.ts computes', () => {
    expect(downloads.map((d) => `${d.Path}@${d.Version}`).sort()).toEqual(downloadArgs(SHAPES).sort())
    for (const m of SHAPES) {
      const d = downloads.find((x) => x.Path === m.path && x.Version === m.version)
      expect([m.path, m.version, d?.Error, d?.Sum, d?.GoModSum]).toEqual([
        m.path,
        m.version,
        undefined,
        hashZip(m),
        hashGoMod(moduleGoMod(m))
      ])
    }
  })

  it("lays the cache out exactly as the proxy's escaped paths, which are what it served", () => {
    const cached = cachedProxyFiles(g.env.GOMODCACHE)
    expect(cached).toEqual(cacheLayout(SHAPES))
    expect(cached).toContain('example.com/!big!corp/!lib/@v/v1.1.0-!r!c.1.zip')
    expect(cached).toContain('example.com/!tools/v2/@v/v2.1.0.mod')
    // Every downloaded file was served at its cache path, and nothing else was asked for.
    const served = proxy.log.filter((e) => e.status === 200).map((e) => e.path.slice(1))
    expect([...new Set(served)].sort()).toEqual(cached.filter((f) => !f.endsWith('/list')))
    expect(proxy.log.every((e) => e.status === 200)).toBe(true)
    // go's own report points at the same files.
    for (const d of downloads)
      for (const f of [d.Info, d.GoMod, d.Zip])
        expect(cached).toContain(relative(join(g.env.GOMODCACHE, 'cache', 'download'), f))
  })

  it("received go's escaped form: `!` percent-encoded, everything else as is", () => {
    const bang = proxy.log.filter((e) => e.path.includes('!'))
    expect(bang.length).toBeGreaterThanOrEqual(SHAPES.filter((m) => /[A-Z]/.test(m.path + m.version)).length * 3)
    for (const e of proxy.log) expect(e.raw).toBe(e.path.replaceAll('!', '%21'))
  })

  it('serves the synthesized go.mod of a +incompatible version; go records it', () => {
    expect(readFileSync(downloads.find((d) => d.Path === legacy.path)!.GoMod, 'utf8')).toBe(
      'module example.com/Legacy\n'
    )
    const zip = downloads.find((d) => d.Path === legacy.path)!.Zip
    expect(readFileSync(zip).includes(Buffer.from('go.mod'))).toBe(false)
  })

  it('knows the retracted version as retracted, and still downloads it', async () => {
    const r = await runGo(['list', '-m', '-json', '-retracted', `${retracted.path}@${retracted.version}`], {
      cwd: g.dir,
      env: g.env
    })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toMatchObject({
      Path: retracted.path,
      Version: retracted.version,
      Retracted: [RETRACT_RATIONALE]
    })
  })
})
