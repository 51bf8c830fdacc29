import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startRelay, type Relay, type RelayOptions } from '../src/relay/relay.js'
import {
  entry,
  fetchOnce,
  refusedOrigin,
  sendRanged,
  startBlackhole,
  startUpstream,
  type TestUpstream
} from './helpers/relay-upstreams.js'
import { closeAll, onClose } from './helpers/closers.js'

const INFO = '/example.com/a/@v/v1.0.0.info'
const INFO_JSON = '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}'

afterEach(closeAll)

async function upstream(handler: Parameters<typeof startUpstream>[0]): Promise<TestUpstream> {
  return onClose(await startUpstream(handler))
}

async function relay(urls: string[], opts: Partial<RelayOptions> = {}): Promise<Relay> {
  return onClose(
    await startRelay({
      upstreams: urls.map(entry),
      retries: 2,
      connectTimeoutMs: 1000,
      firstByteTimeoutMs: 1000,
      stallTimeoutMs: 1000,
      // The sequential policy (failover, retries, resume) is what these tests pin down: hedges (relay-hedge.test.ts)
      // wait for the stall timeout, the cap of the hedge delay.
      hedgeDelayMs: 60_000,
      backoffBaseMs: 5,
      ...opts
    })
  )
}

const info = (): Parameters<typeof startUpstream>[0] => (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': INFO_JSON.length })
  res.end(INFO_JSON)
}
const notFound = (): Parameters<typeof startUpstream>[0] => (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain' })
  res.end('not found: example.com/a@v1.0.0: invalid version')
}

describe('relay routing', () => {
  it('passes a healthy answer through, keeping the upstream path prefix', async () => {
    const up = await upstream(info())
    const r = await relay([`${up.origin}/base/path/`])
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{16,}$/)
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(200)
    expect(got.body.toString()).toBe(INFO_JSON)
    expect(got.headers['content-type']).toBe('application/json')
    expect(got.headers['content-length']).toBe(String(INFO_JSON.length))
    expect(up.hits.map((h) => h.path)).toEqual(['/base/path' + INFO])
    const [s] = r.stats()
    expect(s).toMatchObject({ requests: 1, bytes: INFO_JSON.length, retries: 0, failures: 0, tripped: false })
  })

  it('relays the checksum database paths', async () => {
    const up = await upstream((req, res) => res.end(req.url))
    const r = await relay([up.origin])
    for (const p of [
      '/sumdb/sumdb.example.com/supported',
      '/sumdb/sumdb.example.com/lookup/example.com/a@v1.0.0',
      '/sumdb/sumdb.example.com/tile/8/0/001'
    ]) {
      const got = await fetchOnce(r.url + p)
      expect(got.status).toBe(200)
      expect(got.body.toString()).toBe(p)
    }
  })

  it('answers 404 outside its prefix, and for non-protocol paths, without touching an upstream', async () => {
    const up = await upstream(info())
    const r = await relay([up.origin])
    const origin = new URL(r.url).origin
    const prefix = new URL(r.url).pathname
    for (const url of [
      origin + INFO,
      `${origin}/wrongprefix${INFO}`,
      r.url + 'x' + INFO,
      `${r.url}/../x${INFO}`,
      `${r.url}/etc/passwd`
    ]) {
      expect((await fetchOnce(url)).status).toBe(404)
    }
    expect((await fetchOnce(`${origin}${prefix}/example.com/%2e%2e/@v/list`)).status).toBe(404)
    expect((await fetchOnce(r.url + INFO, { method: 'POST' })).status).toBe(405)
    expect(up.hits).toHaveLength(0)
  })
})

describe('relay failover and retries', () => {
  it('moves past a blackholed first upstream after the first-byte timeout', async () => {
    const hole = await startBlackhole()
    onClose(hole)
    const up = await upstream(info())
    const r = await relay([hole.origin, up.origin], { firstByteTimeoutMs: 300 })
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(200)
    expect(got.body.toString()).toBe(INFO_JSON)
    expect(r.stats()[0]).toMatchObject({ requests: 1, failures: 1 })
  })

  it('moves on at once when preflight marks a hanging upstream unhealthy', async () => {
    const hole = await startBlackhole()
    onClose(hole)
    const up = await upstream(info())
    const r = await relay([hole.origin, up.origin], { firstByteTimeoutMs: 30_000 })
    const pending = fetchOnce(r.url + INFO)
    setTimeout(() => r.setHealthy(hole.origin, false), 200)
    const started = Date.now()
    expect((await pending).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(15_000) // far below the 30 s first-byte timeout: did not wait it out
  })

  it('orders upstreams healthy first', async () => {
    const a = await upstream(info())
    const b = await upstream(info())
    const r = await relay([a.origin, b.origin])
    r.setHealthy(b.origin, true)
    expect((await fetchOnce(r.url + INFO)).status).toBe(200)
    expect(a.hits).toHaveLength(0)
    expect(b.hits).toHaveLength(1)
  })

  it('retries 500 and 503 with backoff until a success', async () => {
    const up = await upstream((req, res, n) => {
      if (n === 1) return void res.writeHead(500).end('boom')
      if (n === 2) return void res.writeHead(503, { 'retry-after': '0' }).end('busy')
      info()(req, res, n)
    })
    const r = await relay([up.origin], { retries: 3 })
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(200)
    expect(up.hits).toHaveLength(3)
    expect(r.stats()[0]).toMatchObject({ requests: 3, retries: 2, failures: 2 })
  })

  it('never retries a 4xx other than 429', async () => {
    const up = await upstream((_req, res) => void res.writeHead(403).end('forbidden'))
    const r = await relay([up.origin], { retries: 5 })
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(403)
    expect(up.hits).toHaveLength(1)
  })

  it('falls over to the next upstream on 404 (a lagging mirror)', async () => {
    const a = await upstream(notFound())
    const b = await upstream(info())
    const r = await relay([a.origin, b.origin])
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(200)
    expect(a.hits).toHaveLength(1)
  })

  it('answers 404 with the upstream text when every upstream says not found', async () => {
    const a = await upstream(notFound())
    const b = await upstream((_req, res) => void res.writeHead(410, { 'content-type': 'text/plain' }).end('gone'))
    const r = await relay([a.origin, b.origin])
    const got = await fetchOnce(r.url + INFO)
    expect(got.status).toBe(404)
    expect(got.body.toString()).toContain('invalid version')
    expect(a.hits).toHaveLength(1) // a definitive answer is not retried
    expect(b.hits).toHaveLength(1)
  })

  it('answers 502 quickly naming each failure when every upstream is down', async () => {
    const a = await refusedOrigin()
    const b = await upstream((_req, res) => void res.writeHead(503).end())
    const r = await relay([a, b.origin], { retries: 3 })
    const started = Date.now()
    const got = await fetchOnce(r.url + INFO)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(got.status).toBe(502)
    expect(got.body.toString()).toContain(`${a}: ECONNREFUSED`)
    expect(got.body.toString()).toContain(`${b.origin}: HTTP 503`)
    expect(b.hits.length).toBeGreaterThanOrEqual(2)
  })

  it('trips an upstream after consecutive failures and stops using it', async () => {
    const a = await upstream((_req, res) => void res.writeHead(503).end())
    const b = await upstream(info())
    const r = await relay([a.origin, b.origin], { retries: 0 })
    // Five versions: a repeat of one would be answered from the relay's kept answers (relay/share.ts).
    for (let i = 0; i < 5; i++) expect((await fetchOnce(r.url + `/example.com/a/@v/v1.0.${i}.info`)).status).toBe(200)
    expect(a.hits).toHaveLength(3)
    expect(b.hits).toHaveLength(5)
    expect(r.stats()[0]).toMatchObject({ tripped: true, failures: 3 })
    expect(r.allDown()).toBe(false)
    r.setHealthy(b.origin, false)
    expect(r.allDown()).toBe(true)
  })
})

describe('relay bodies', () => {
  const zip = randomBytes(3 * 1024 * 1024)
  const ZIP = '/example.com/a/@v/v1.0.0.zip'

  it('resumes a body reset midway with Range; the client gets identical bytes', async () => {
    const up = await upstream((req, res, n) => {
      if (n > 1) return sendRanged(req, res, zip)
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length, 'accept-ranges': 'bytes' })
      res.write(zip.subarray(0, 1024 * 1024), () => res.socket?.resetAndDestroy())
    })
    const r = await relay([up.origin])
    const got = await fetchOnce(r.url + ZIP)
    expect(got.status).toBe(200)
    expect(got.body.equals(zip)).toBe(true)
    expect(up.hits).toHaveLength(2)
    const start = Number(/^bytes=(\d+)-$/.exec(up.hits[1].headers.range ?? '')?.[1])
    expect(start).toBeGreaterThan(0)
    expect(r.stats()[0]).toMatchObject({ bytes: zip.length, retries: 1, failures: 1 })
  })

  it('resumes a body that stalls midway', async () => {
    const up = await upstream((req, res, n) => {
      if (n > 1) return sendRanged(req, res, zip)
      res.writeHead(200, { 'content-length': zip.length, 'accept-ranges': 'bytes', etag: '"z1"' })
      res.write(zip.subarray(0, 512 * 1024)) // then silence, connection kept open
    })
    const r = await relay([up.origin], { stallTimeoutMs: 300 })
    const got = await fetchOnce(r.url + ZIP)
    expect(got.body.equals(zip)).toBe(true)
    expect(up.hits[1].headers['if-range']).toBe('"z1"')
  })

  it('answers 502, never a short body, when the body cannot be completed', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-length': zip.length }) // answers every Range request with the whole body
      res.write(zip.subarray(0, 256 * 1024), () => res.socket?.resetAndDestroy())
    })
    const r = await relay([up.origin])
    const got = await fetchOnce(r.url + ZIP)
    expect(got.status).toBe(502)
    expect(got.body.toString()).toMatch(new RegExp(`${up.origin}: (ECONNRESET|UND_ERR_SOCKET)`))
    // The first GET and two more (the retry budget), each restarting the spool with the whole body again.
    expect(up.hits).toHaveLength(3)
  })

  it('starts over from a 200 when the upstream ignores Range, and relays the whole body once', async () => {
    const up = await upstream((_req, res, n) => {
      res.writeHead(200, { 'content-length': zip.length })
      if (n > 1) return void res.end(zip)
      res.write(zip.subarray(0, 256 * 1024), () => res.socket?.resetAndDestroy())
    })
    const r = await relay([up.origin])
    const got = await fetchOnce(r.url + ZIP)
    expect(got.status).toBe(200)
    expect(got.body.equals(zip)).toBe(true)
    expect(up.hits[1].headers.range).toMatch(/^bytes=\d+-$/)
  })
})

describe('relay credentials', () => {
  it('follows redirects, dropping the credentials when the redirect leaves the upstream', async () => {
    const storage = await upstream(info())
    const up = await upstream((req, res) => {
      if (req.url?.startsWith('/here/')) return info()(req, res, 0)
      const to = req.url?.startsWith('/same/') ? '/here' + req.url.slice('/same'.length) : storage.origin + '/blob'
      res.writeHead(302, { location: to }).end()
    })
    // Another version the second time: a repeat would be answered from the relay's kept answers (relay/share.ts).
    const INFO2 = INFO.replace('v1.0.0', 'v1.0.1')
    const r = await relay([`http://u:pw123@${up.origin.slice(7)}/same/`, `http://u:pw123@${up.origin.slice(7)}/away/`])
    r.setHealthy(`http://u:pw123@${up.origin.slice(7)}/same/`, false)
    expect((await fetchOnce(r.url + INFO)).body.toString()).toBe(INFO_JSON)
    expect(storage.hits[0].headers.authorization).toBeUndefined()
    r.setHealthy(`http://u:pw123@${up.origin.slice(7)}/same/`, true)
    expect((await fetchOnce(r.url + INFO2)).body.toString()).toBe(INFO_JSON)
    expect(up.hits.map((h) => [h.path, h.headers.authorization])).toEqual([
      ['/away' + INFO, 'Basic ' + Buffer.from('u:pw123').toString('base64')],
      ['/same' + INFO2, 'Basic ' + Buffer.from('u:pw123').toString('base64')],
      ['/here' + INFO2, 'Basic ' + Buffer.from('u:pw123').toString('base64')]
    ])
  })

  it('sends each upstream its own credentials only, and never shows them', async () => {
    const a = await upstream((req, res) => {
      if (req.url?.endsWith('/@v/list')) return void res.writeHead(500).end()
      notFound()(req, res, 0)
    })
    const b = await upstream((req, res) => (req.url?.endsWith('/@v/list') ? notFound() : info())(req, res, 0))
    const r = await relay([`http://alice:s3cr%40t@${a.origin.slice(7)}/p/`, b.origin], { retries: 0 })
    expect((await fetchOnce(r.url + INFO)).status).toBe(200)
    const auth = a.hits[0].headers.authorization
    expect(auth).toBe('Basic ' + Buffer.from('alice:s3cr@t').toString('base64'))
    expect(b.hits[0].headers.authorization).toBeUndefined()
    const failed = await fetchOnce(r.url + '/example.com/a/@v/list')
    expect(failed.status).toBe(502)
    expect(failed.body.toString()).toContain(`http://***@${a.origin.slice(7)}/p/: HTTP 500`)
    const all = JSON.stringify(r.stats()) + failed.body.toString()
    expect(all).not.toMatch(/s3cr|alice/)
    expect(r.stats()[0].upstream).toBe(`http://***@${a.origin.slice(7)}/p/`)
  })
})
