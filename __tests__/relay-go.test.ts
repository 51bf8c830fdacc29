// The relay with big bodies and with the real go command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { get } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startRelay, type Relay } from '../src/relay.js'
import { makeGoEnv, makeTempDir, runGo } from './helpers/gotest-env.js'
import { buildModuleZip, hashZip, moduleGoMod, type FixtureModule } from './helpers/modzip.js'
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
    const r = await runGo(['mod', 'download', '-json', `${mod.path}@${mod.version}`], { cwd, env: goenv.env, timeoutMs: 60_000 })
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
    const stalling = await startUpstream(moduleProxy(mod, zip, (_req, res) => stallAfter(res, randomBytes(zip.length), zip.length >> 1)))
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
