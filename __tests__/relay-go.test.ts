// The relay with big bodies and with the real go command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { get } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startRelay, type Relay } from '../src/relay.js'
import { makeGoEnv, makeTempDir, runGo } from './helpers/gotest-env.js'
import { buildModuleZip, hashZip, moduleGoMod, type FixtureModule } from './helpers/modzip.js'
import { entry, startBlackhole, startUpstream, type TestUpstream } from './helpers/relay-upstreams.js'

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
    relay = await startRelay({ upstreams: [entry(up.origin)], retries: 1, backoffBaseMs: 5 })
  })
  afterAll(async () => {
    await relay?.close()
    await up?.close()
  })

  it('streams with backpressure: memory stays flat and the bytes arrive intact', async () => {
    const expected = createHash('sha256')
    for (let i = 0; i < 50; i++) expected.update(block)
    const hash = createHash('sha256')
    let received = 0
    const baseline = liveBytes()
    // Median, not peak: freed buffers are returned to the system lazily, so one sample may spike.
    const growth: number[] = []
    let inFlight = 0
    let nextSample = 0
    try {
      const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
        get(relay.url + '/example.com/big/@v/v1.0.0.zip', { agent: false }, resolve).on('error', reject)
      )
      res.pause()
      // While go does not read, the upstream must be held back too, not drained into the relay's memory.
      let last = -1
      for (let i = 0; i < 50 && written !== last; i++) {
        last = written
        await sleep(150)
      }
      expect(written).toBeLessThan(30 * MB)
      await new Promise<void>((resolve, reject) => {
        res.on('data', (c: Buffer) => {
          received += c.length
          hash.update(c)
          if (received >= nextSample) {
            nextSample += 5 * MB
            growth.push(liveBytes() - baseline)
            inFlight = Math.max(inFlight, written - received)
          }
        })
        res.on('end', resolve)
        res.on('error', reject)
        res.resume()
      })
    } finally {
      growth.push(liveBytes() - baseline)
    }
    expect(received).toBe(total)
    expect(hash.digest('hex')).toBe(expected.digest('hex'))
    // A relay that buffered the body would let the upstream write all 50 MB at once and hold it.
    expect(inFlight).toBeLessThan(30 * MB)
    growth.sort((a, b) => a - b)
    expect(growth[growth.length >> 1]).toBeLessThan(25 * MB)
    expect(relay.stats()[0].bytes).toBe(total)
  })
})

describe('relay with the real go command', () => {
  const mod: FixtureModule = { path: 'example.com/hello', version: 'v1.0.0' }
  const zip = buildModuleZip(mod)
  let up: TestUpstream
  let hole: Awaited<ReturnType<typeof startBlackhole>>
  let relay: Relay

  beforeAll(async () => {
    hole = await startBlackhole()
    up = await startUpstream((req, res) => {
      const base = `/${mod.path}/@v/${mod.version}`
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
    })
    relay = await startRelay({
      upstreams: [entry(hole.origin), entry(up.origin)],
      retries: 2,
      firstByteTimeoutMs: 500,
      backoffBaseMs: 5
    })
  })
  afterAll(async () => {
    await relay?.close()
    await up?.close()
    await hole?.close()
  })

  it('go mod download succeeds through the relay past a blackholed first upstream', async () => {
    const goenv = makeGoEnv(relay.url)
    try {
      const cwd = makeTempDir('gtg-relay-go-')
      const r = await runGo(['mod', 'download', '-json', `${mod.path}@${mod.version}`], { cwd, env: goenv.env, timeoutMs: 60_000 })
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout) as { Sum: string; Zip: string; Dir: string; Error?: string }
      expect(out.Error).toBeUndefined()
      expect(out.Sum).toBe(hashZip(mod))
      expect(existsSync(out.Dir + '/go.mod')).toBe(true)
      const [holeStats, upStats] = relay.stats()
      expect(holeStats.failures).toBeGreaterThanOrEqual(1)
      expect(upStats.requests).toBeGreaterThanOrEqual(3)
      expect(upStats.bytes).toBeGreaterThanOrEqual(zip.length)
    } finally {
      goenv.cleanup()
    }
  })
})
