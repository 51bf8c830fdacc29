// Hedged requests over spooled bodies: a silent or stalling upstream costs a hedge delay, not a timeout;
// go only ever gets one upstream's complete body; losers' spools are deleted.
import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { startRelay, type Relay, type RelayOptions } from '../src/relay/relay.js'
import { makeTempDir } from './helpers/gotest-env.js'
import {
  entry,
  eventually,
  fetchOnce,
  sendRanged,
  spoolFiles,
  stallAfter,
  startBlackhole,
  startUpstream,
  type Handler,
  type TestUpstream
} from './helpers/relay-upstreams.js'
import { closeAll, onClose } from './helpers/closers.js'

const INFO = '/example.com/a/@v/v1.0.0.info'
const INFO_JSON = '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}'
const ZIP = '/example.com/a/@v/v1.0.0.zip'
// Long enough that any test finishing below it did not wait a timeout out.
const STALL_MS = 10_000

afterEach(closeAll)

async function upstream(handler: Handler): Promise<TestUpstream> {
  return onClose(await startUpstream(handler))
}

async function relay(urls: string[], opts: Partial<RelayOptions> = {}): Promise<Relay> {
  return onClose(
    await startRelay({
      upstreams: urls.map(entry),
      retries: 2,
      connectTimeoutMs: 1000,
      firstByteTimeoutMs: STALL_MS,
      stallTimeoutMs: STALL_MS,
      hedgeDelayMs: 200,
      backoffBaseMs: 5,
      ...opts
    })
  )
}

const info: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': INFO_JSON.length })
  res.end(INFO_JSON)
}
const notFound: Handler = (_req, res) =>
  void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: example.com/a')

describe('hedging', () => {
  const zip = randomBytes(3 * 1024 * 1024)

  it('serves a zip from the second upstream well before the stall timeout when the first stalls mid-body, and demotes the first', async () => {
    const a = await upstream((req, res) =>
      req.url?.endsWith('.zip') ? stallAfter(res, randomBytes(zip.length), 1024 * 1024) : info(req, res, 0)
    )
    const b = await upstream((req, res) => (req.url?.endsWith('.zip') ? sendRanged(req, res, zip) : info(req, res, 0)))
    const r = await relay([a.origin, b.origin])
    const started = Date.now()
    const got = await fetchOnce(r.url + ZIP)
    expect(Date.now() - started).toBeLessThan(STALL_MS)
    expect(got.status).toBe(200)
    expect(got.body.equals(zip)).toBe(true) // b's bytes only: nothing of a's spliced in
    const [sa, sb] = r.stats()
    expect(sa).toMatchObject({ demoted: true, tripped: false, requests: 1, hedges: 0 })
    expect(sb).toMatchObject({ demoted: false, requests: 1, hedges: 1, retries: 0, bytes: zip.length })
    // Demoted: the next request goes to b first; a is still in service.
    expect((await fetchOnce(r.url + INFO)).body.toString()).toBe(INFO_JSON)
    expect(a.hits).toHaveLength(1)
    expect(b.hits).toHaveLength(2)
  })

  it('hedges past a blackholed first upstream instead of waiting for the first-byte timeout', async () => {
    const hole = await startBlackhole()
    onClose(hole)
    const b = await upstream(info)
    const r = await relay([hole.origin, b.origin])
    const started = Date.now()
    const got = await fetchOnce(r.url + INFO)
    expect(Date.now() - started).toBeLessThan(STALL_MS)
    expect(got.body.toString()).toBe(INFO_JSON)
    // Beaten by the hedge: demoted, but not a breaker failure.
    expect(r.stats()[0]).toMatchObject({
      demoted: true,
      demotedFor: 'silent',
      failures: 0,
      unanswered: 1,
      answers: 0,
      tripped: false
    })
    expect(r.stats()[1]).toMatchObject({ hedges: 1, retries: 0 })
  })

  it("deletes a hedge loser's spool from disk", async () => {
    const spoolDir = makeTempDir('gtg-spool-')
    let loserSpooled: string[] = []
    const a = await upstream((_req, res) => stallAfter(res, randomBytes(zip.length), 2 * 1024 * 1024))
    const b = await upstream((req, res) => {
      // The hedge arrives while a's 2 MiB sit in a's spool file.
      loserSpooled = spoolFiles(spoolDir)
      sendRanged(req, res, zip)
    })
    const r = await relay([a.origin, b.origin], { spoolDir })
    const got = await fetchOnce(r.url + ZIP)
    expect(got.body.equals(zip)).toBe(true)
    expect(loserSpooled).toHaveLength(1)
    expect(await eventually(() => spoolFiles(spoolDir).length === 0)).toBe(true)
    expect(existsSync(loserSpooled[0])).toBe(false)
  })

  it('resumes on the same upstream when both stall, never splicing the two bodies', async () => {
    const zipA = randomBytes(zip.length)
    const zipB = randomBytes(zip.length)
    const stallThenResume =
      (data: Buffer): Handler =>
      (req, res, n) =>
        n === 1 ? stallAfter(res, data, 512 * 1024, { etag: '"v1"' }) : sendRanged(req, res, data)
    const a = await upstream(stallThenResume(zipA))
    const b = await upstream(stallThenResume(zipB))
    const r = await relay([a.origin, b.origin], { stallTimeoutMs: 600, hedgeDelayMs: 100 })
    const got = await fetchOnce(r.url + ZIP)
    expect(got.status).toBe(200)
    const winner = got.body.equals(zipA) ? a : got.body.equals(zipB) ? b : undefined
    expect(winner).toBeDefined()
    const resumed = winner!.hits.find((h) => h.headers.range)
    expect(resumed?.headers.range).toMatch(/^bytes=[1-9]\d*-$/)
    expect(resumed?.headers['if-range']).toBe('"v1"')
  })

  it('waits for a slow upstream that may have the module when a fast one says not found', async () => {
    const slow = await upstream((req, res) => void setTimeout(() => info(req, res, 0), 800))
    const fast = await upstream(notFound)
    const r = await relay([slow.origin, fast.origin])
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(200)
    expect(got.body.toString()).toBe(INFO_JSON)
    expect(fast.hits).toHaveLength(1)
    expect(r.stats()[1]).toMatchObject({ hedges: 1 })
  })

  it('answers 404 only when every upstream said not found, and 502 when a silent one never answered', async () => {
    const slow404 = await upstream((req, res) => void setTimeout(() => notFound(req, res, 0), 600))
    const fast404 = await upstream(notFound)
    const both = await relay([slow404.origin, fast404.origin])
    expect((await fetchOnce(both.url + INFO)).status).toBe(404)

    const hole = await startBlackhole()
    onClose(hole)
    // No retries: three timeouts would trip the silent one, and a tripped upstream is out of service.
    const r = await relay([hole.origin, fast404.origin], { firstByteTimeoutMs: 1000, retries: 0 })
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(502)
    expect(got.body.toString()).toContain(`${fast404.origin}: HTTP 404`)
  })

  it('does not hedge a body that keeps making progress', async () => {
    const chunk = 64 * 1024
    const chunks = 30
    const a = await upstream((_req, res) => {
      res.writeHead(200, { 'content-length': chunks * chunk })
      let i = 0
      const timer = setInterval(() => {
        res.write(zip.subarray(i * chunk, ++i * chunk))
        if (i === chunks) {
          clearInterval(timer)
          res.end()
        }
      }, 50) // 1.5 s in all, three times the hedge delay, but never idle for a tenth of it
    })
    const b = await upstream(info)
    const r = await relay([a.origin, b.origin], { hedgeDelayMs: 500 })
    const got = await fetchOnce(r.url + ZIP)
    expect(got.body.equals(zip.subarray(0, chunks * chunk))).toBe(true)
    expect(b.hits).toHaveLength(0)
  })

  it('hedges onto a retry of an upstream that failed, spending the retry budget, while the first stays silent', async () => {
    const hole = await startBlackhole()
    onClose(hole)
    const b = await upstream((req, res, n) => (n === 1 ? void res.writeHead(503).end('busy') : info(req, res, n)))
    const r = await relay([hole.origin, b.origin])
    const started = Date.now()
    const got = await fetchOnce(r.url + INFO)
    expect(Date.now() - started).toBeLessThan(STALL_MS)
    expect(got.body.toString()).toBe(INFO_JSON)
    // The first hedge is failover (free), the second a retry of b (from the budget).
    expect(r.stats()[1]).toMatchObject({ requests: 2, hedges: 2, retries: 1, failures: 1 })
  })

  it('hedges onto the same upstream, the only one, when its body sits idle: the complete second body, never spliced', async () => {
    const garbage = randomBytes(zip.length)
    // The first zip request sends 1 MiB of other bytes and then nothing; the second the whole zip.
    let zips = 0
    const a = await upstream((req, res) => {
      if (!req.url?.endsWith('.zip')) return info(req, res, 0)
      if (++zips === 1) return stallAfter(res, garbage, 1024 * 1024)
      sendRanged(req, res, zip)
    })
    const r = await relay([a.origin])
    expect((await fetchOnce(r.url + INFO)).status).toBe(200) // it has answered: worth asking twice
    const started = Date.now()
    const got = await fetchOnce(r.url + ZIP)
    // Several of its latencies (at most the 200 ms hedge delay floor), not the stall timeout.
    expect(Date.now() - started).toBeLessThan(STALL_MS / 2)
    expect(got.status).toBe(200)
    expect(got.body.equals(zip)).toBe(true)
    expect(a.hits.filter((h) => h.path.endsWith('.zip'))).toHaveLength(2)
    expect(a.hits.find((h) => h.headers.range)).toBeUndefined()
    // A retry from the budget; the upstream is not demoted for being beaten by itself.
    expect(r.stats()[0]).toMatchObject({ hedges: 1, retries: 1, demoted: false, unanswered: 0, failures: 0 })
  })

  it('never asks the only upstream twice at once before it has answered anything (a silent one stays one request)', async () => {
    const a = await upstream((req, res, n) => (n === 1 ? undefined : info(req, res, n)))
    const r = await relay([a.origin], { firstByteTimeoutMs: 800 })
    let early = -1
    const look = setTimeout(() => (early = a.hits.length), 500)
    const got = await fetchOnce(r.url + INFO)
    clearTimeout(look)
    expect(early).toBe(1)
    // After the first-byte timeout, a retry (backoff of a few ms) gets the answer.
    expect(got.body.toString()).toBe(INFO_JSON)
    expect(a.hits).toHaveLength(2)
    expect(r.stats()[0]).toMatchObject({ hedges: 0, retries: 1 })
  })

  it('close() aborts a request in flight and removes its spool directory', async () => {
    const spoolDir = makeTempDir('gtg-spool-')
    const a = await upstream((_req, res) => stallAfter(res, zip, 2 * 1024 * 1024))
    const r = await startRelay({ upstreams: [entry(a.origin)], retries: 0, stallTimeoutMs: STALL_MS, spoolDir })
    const pending = fetchOnce(r.url + ZIP)
    pending.catch(() => undefined)
    expect(await eventually(() => spoolFiles(spoolDir).length === 1)).toBe(true)
    await r.close()
    await expect(pending).rejects.toThrow()
    expect(spoolFiles(spoolDir)).toEqual([])
  })
})
