// The relay with big bodies and with the real go command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startRelay, type Relay } from '../src/relay/relay.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, runGo, writeModule } from './helpers/gotest-env.js'
import { buildModuleZip, goSumLines, hashGoMod, hashZip, moduleGoMod, type FixtureModule } from './helpers/modzip.js'
import { bigCorp, downloadArgs, goModOnly, REAL_SHAPES, SHAPE_IMPORTS, SHAPES } from './helpers/real-shapes.js'
import {
  entry,
  eventually,
  spoolFiles,
  stallAfter,
  startBlackhole,
  startUpstream,
  type Handler,
  type TestUpstream
} from './helpers/relay-upstreams.js'

const MB = 1024 * 1024
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

// Live memory, not garbage: three parties stream through one process, and their dropped chunks would
// otherwise count until the collector happens to run.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
function liveBytes(): number {
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

describe('relay with a 50 MB body', () => {
  const block = randomBytes(MB)
  const total = 50 * MB
  let written = 0
  let up: TestUpstream
  let relay: Relay
  let spoolDir: string

  beforeAll(async () => {
    up = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': total })
      let i = 0
      const more = (): void => {
        while (i < 50) {
          i++
          written += block.length
          if (!res.write(block)) return void res.once('drain', more)
        }
        res.end()
      }
      more()
    })
    spoolDir = makeTempDir('gtg-spool-')
    relay = await startRelay({ upstreams: [entry(up.origin)], retries: 1, backoffBaseMs: 5, spoolDir })
  })
  afterAll(async () => {
    await relay?.close()
    await up?.close()
  })

  it('spools to disk, not memory: memory stays flat, the bytes arrive intact, the spool is deleted', async () => {
    const expected = createHash('sha256')
    for (let i = 0; i < 50; i++) expected.update(block)
    const hash = createHash('sha256')
    let received = 0
    const baseline = liveBytes()
    // Median, not peak: freed buffers are returned to the system lazily, so one sample may spike.
    const growth: number[] = []
    const sampler = setInterval(() => growth.push(liveBytes() - baseline), 100)
    let nextSample = 0
    try {
      const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
        get(relay.url + '/example.com/big/@v/v1.0.0.zip', { agent: false }, resolve).on('error', reject)
      )
      clearInterval(sampler)
      // go gets headers only from a complete spool: the whole body is on disk by now.
      expect(written).toBe(total)
      expect(res.headers['content-length']).toBe(String(total))
      const files = spoolFiles(spoolDir)
      expect(files).toHaveLength(1)
      expect(statSync(files[0]).size).toBe(total)
      // While go does not read, the spool file is read no further either.
      res.pause()
      await sleep(300)
      growth.push(liveBytes() - baseline)
      await new Promise<void>((resolve, reject) => {
        res.on('data', (c: Buffer) => {
          received += c.length
          hash.update(c)
          if (received >= nextSample) {
            nextSample += 5 * MB
            growth.push(liveBytes() - baseline)
          }
        })
        res.on('end', resolve)
        res.on('error', reject)
        res.resume()
      })
    } finally {
      clearInterval(sampler)
      growth.push(liveBytes() - baseline)
    }
    expect(received).toBe(total)
    expect(hash.digest('hex')).toBe(expected.digest('hex'))
    growth.sort((a, b) => a - b)
    expect(growth[growth.length >> 1]).toBeLessThan(25 * MB)
    expect(growth[growth.length - 1]).toBeLessThan(40 * MB)
    expect(relay.stats()[0].bytes).toBe(total)
    expect(await eventually(() => spoolFiles(spoolDir).length === 0)).toBe(true)
  })
})

/** A module proxy for one module version; `zipHandler` may answer the zip differently. */
function moduleProxy(mod: FixtureModule, zip: Buffer, zipHandler?: Handler): Handler {
  return (req, res, n) => {
    const base = `/${mod.path}/@v/${mod.version}`
    if (zipHandler && req.url === `${base}.zip`) return zipHandler(req, res, n)
    const files: Record<string, [string, string | Buffer]> = {
      [`/${mod.path}/@v/list`]: ['text/plain', `${mod.version}\n`],
      [`${base}.info`]: ['application/json', JSON.stringify({ Version: mod.version, Time: '2024-01-01T00:00:00Z' })],
      [`${base}.mod`]: ['text/plain', moduleGoMod(mod)],
      [`${base}.zip`]: ['application/zip', zip]
    }
    const hit = files[req.url ?? '']
    if (!hit) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    res.writeHead(200, { 'content-type': hit[0], 'content-length': Buffer.byteLength(hit[1]) })
    res.end(hit[1])
  }
}

interface Downloaded {
  Sum: string
  Zip: string
  Dir: string
  Error?: string
}

async function goModDownload(relay: Relay, mod: FixtureModule): Promise<Downloaded> {
  const goenv = makeGoEnv(relay.url)
  try {
    const cwd = makeTempDir('gtg-relay-go-')
    const r = await runGo(['mod', 'download', '-json', `${mod.path}@${mod.version}`], {
      cwd,
      env: goenv.env,
      timeoutMs: 60_000
    })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as Downloaded
    expect(out.Error).toBeUndefined()
    expect(existsSync(out.Dir + '/go.mod')).toBe(true)
    return out
  } finally {
    goenv.cleanup()
  }
}

describe('relay with the real go command', () => {
  const mod: FixtureModule = { path: 'example.com/hello', version: 'v1.0.0' }
  const zip = buildModuleZip(mod)
  const servers: Array<{ close(): Promise<void> }> = []
  const relays: Relay[] = []
  afterAll(async () => {
    for (const r of relays) await r.close()
    for (const s of servers) await s.close()
  })

  it('go mod download succeeds through the relay past a blackholed first upstream', async () => {
    const hole = await startBlackhole()
    const up = await startUpstream(moduleProxy(mod, zip))
    servers.push(hole, up)
    const relay = await startRelay({
      upstreams: [entry(hole.origin), entry(up.origin)],
      retries: 2,
      firstByteTimeoutMs: 500,
      backoffBaseMs: 5
    })
    relays.push(relay)
    const out = await goModDownload(relay, mod)
    expect(out.Sum).toBe(hashZip(mod))
    const [holeStats, upStats] = relay.stats()
    // Hedged past or timed out: either way behind the healthy one for the rest of the run.
    expect(holeStats.demoted).toBe(true)
    expect(holeStats.failures + upStats.hedges).toBeGreaterThanOrEqual(1)
    expect(upStats.requests).toBeGreaterThanOrEqual(3)
    expect(upStats.bytes).toBeGreaterThanOrEqual(zip.length)
  })

  it('go mod download gets the intact zip from the second upstream, well before the stall timeout, when the first stalls mid-zip', async () => {
    const stallMs = 20_000
    // The first proxy's zip is other bytes of the same length: any splice would break go's hash or unzip.
    const stalling = await startUpstream(
      moduleProxy(mod, zip, (_req, res) => stallAfter(res, randomBytes(zip.length), zip.length >> 1))
    )
    const healthy = await startUpstream(moduleProxy(mod, zip))
    servers.push(stalling, healthy)
    const relay = await startRelay({
      upstreams: [entry(stalling.origin), entry(healthy.origin)],
      retries: 2,
      stallTimeoutMs: stallMs,
      firstByteTimeoutMs: stallMs,
      hedgeDelayMs: 200,
      backoffBaseMs: 5
    })
    relays.push(relay)
    const started = Date.now()
    const out = await goModDownload(relay, mod)
    expect(Date.now() - started).toBeLessThan(stallMs)
    expect(out.Sum).toBe(hashZip(mod))
    const [s, h] = relay.stats()
    expect(s).toMatchObject({ demoted: true, tripped: false })
    expect(h.hedges).toBe(1)
    expect(healthy.hits.map((x) => x.path)).toContain(`/${mod.path}/@v/${mod.version}.zip`)
  })
})

/** The distinct raw (still percent-encoded) paths a fixture proxy was asked, without its base path. */
const asked = (p: FixtureProxy, base = ''): string[] => [...new Set(p.log.map((e) => e.raw.slice(base.length)))].sort()

describe('relay with the real go and real-shaped modules', () => {
  // The same modules behind two fixture proxies: one go asks directly, one it asks through the relay.
  let direct: FixtureProxy
  let behind: FixtureProxy
  let relay: Relay
  beforeAll(async () => {
    direct = await startFixtureProxy({ modules: REAL_SHAPES })
    behind = await startFixtureProxy({ modules: REAL_SHAPES, basePath: '/goproxy' })
    relay = await startRelay({ upstreams: [entry(behind.url)], retries: 1, backoffBaseMs: 5 })
  })
  afterAll(async () => {
    await relay?.close()
    await direct?.close()
    await behind?.close()
  })

  it('go mod tidy and go mod download fetch upper-case paths and versions, +incompatible, pseudo-versions, .v3 and /vN', async () => {
    const app = makeTempDir('gtg-relay-shapes-')
    const required = SHAPES.filter((m) => m !== goModOnly && m !== bigCorp)
    writeModule(join(app, 'direct'), { path: 'example.com/app', requires: required, imports: SHAPE_IMPORTS })
    cpSync(join(app, 'direct'), join(app, 'relayed'), { recursive: true })
    const viaRelay = makeGoEnv(relay.url)
    const viaDirect = makeGoEnv(direct.url)
    try {
      for (const [dir, g] of [
        ['direct', viaDirect],
        ['relayed', viaRelay]
      ] as const) {
        const r = await runGo(['mod', 'tidy'], { cwd: join(app, dir), env: g.env })
        expect([dir, r.code, r.stderr.replace(/^go: downloading .*\n/gm, '')]).toEqual([dir, 0, ''])
      }
      const read = (dir: string, f: string): string => readFileSync(join(app, dir, f), 'utf8')
      expect(read('relayed', 'go.mod')).toBe(read('direct', 'go.mod'))
      expect(read('relayed', 'go.sum')).toBe(read('direct', 'go.sum'))
      const sums = read('relayed', 'go.sum').trim().split('\n')
      expect(sums).toEqual(expect.arrayContaining(required.map((m) => goSumLines(m)[0])))
      expect(REAL_SHAPES.flatMap(goSumLines)).toEqual(expect.arrayContaining(sums))
      // The upstream behind the relay was asked exactly what go asked the other proxy directly, byte for byte.
      expect(asked(behind, '/goproxy')).toEqual(asked(direct))
      expect(asked(direct)).toContain('/example.com/%21big%21corp/%21lib/@v/v1.1.0-%21r%21c.1.zip')

      const d = await runGo(['mod', 'download', '-json', ...downloadArgs(SHAPES)], {
        cwd: join(app, 'relayed'),
        env: viaRelay.env
      })
      expect([d.code, d.stderr]).toEqual([0, ''])
      const got = d.stdout
        .split(/\n(?=\{)/)
        .map((j) => JSON.parse(j) as { Path: string; Version: string; Sum: string; GoModSum: string })
      expect(got.map((x) => [x.Path, x.Version, x.Sum, x.GoModSum]).sort()).toEqual(
        SHAPES.map((m) => [m.path, m.version, hashZip(m), hashGoMod(moduleGoMod(m))]).sort()
      )
    } finally {
      viaRelay.cleanup()
      viaDirect.cleanup()
    }
    expect(asked(behind, '/goproxy')).toContain('/example.com/%21big%21corp/%21lib/@v/v1.0.0.zip')
    expect(behind.log.filter((e) => e.status !== 200)).toEqual([])
  })
})
