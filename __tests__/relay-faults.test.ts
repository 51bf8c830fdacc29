// Faults at scale (issue 11.4): a fast failure (an HTTP 5xx, a reset) is retried at once or after a short jitter,
// never after a growing backoff; one unlucky request on a proxy that keeps delivering others does not fail when
// its count of retries runs out; an upstream that delivers nothing still fails within the count.
import { afterEach, expect, it } from '@jest/globals'
import { startRelay, type Relay, type RelayOptions } from '../src/relay/relay.js'
import { entry, fetchOnce, startUpstream, type Handler, type TestUpstream } from './helpers/relay-upstreams.js'
import { closeAll, onClose } from './helpers/closers.js'

const X = '/example.com/a/@v/v1.0.0.info'
const INFO_JSON = '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}'

afterEach(closeAll)

async function upstream(handler: Handler): Promise<TestUpstream> {
  return onClose(await startUpstream(handler))
}

async function relay(urls: string[], opts: Partial<RelayOptions> = {}): Promise<Relay> {
  // A backoff base of 2 s: any test below finishing well under it never backed off.
  return onClose(
    await startRelay({
      upstreams: urls.map(entry),
      retries: 3,
      firstByteTimeoutMs: 5000,
      backoffBaseMs: 2000,
      ...opts
    })
  )
}

const ok: Handler = (_req, res) => void res.writeHead(200, { 'content-length': INFO_JSON.length }).end(INFO_JSON)

/** `failures` fast failures of X (503s, then resets before any header), then X served; other paths served at once. */
function flakyOn(path: string, failures: number, delayMs = 0): Handler {
  let seen = 0
  return (req, res, n) => {
    if (!req.url?.endsWith(path) || ++seen > failures) return ok(req, res, n)
    setTimeout(() => (seen % 2 ? void res.writeHead(503).end('busy') : res.socket?.resetAndDestroy()), delayMs)
  }
}

it('retries fast failures on one upstream after a short jitter, not a growing backoff', async () => {
  const up = await upstream(flakyOn(X, 4))
  const r = await relay([up.origin], { retries: 4 })
  // It has answered before: four failures in a row do not trip its breaker.
  expect((await fetchOnce(r.url + '/example.com/b/@v/list')).status).toBe(200)
  const started = Date.now()
  const got = await fetchOnce(r.url + X)
  expect(got.status).toBe(200)
  expect(up.hits).toHaveLength(6)
  // Backoff (2 s base, doubling) would wait seconds; four jitters of tens of ms do not.
  expect(Date.now() - started).toBeLessThan(1000)
  expect(r.stats()[0]).toMatchObject({ retries: 4, failures: 4, tripped: false })
})

it('fails over at once on a fast failure: the next upstream is asked without a wait', async () => {
  const a = await upstream((_req, res) => void res.writeHead(503).end('busy'))
  const b = await upstream(ok)
  const r = await relay([a.origin, b.origin], { retries: 0 })
  const started = Date.now()
  expect((await fetchOnce(r.url + X)).status).toBe(200)
  expect(Date.now() - started).toBeLessThan(500)
})

it('one unlucky request: past its retry count while the upstream delivers other requests, it still succeeds', async () => {
  // X fails six times, each after 40 ms, while other requests are delivered meanwhile: bad luck, not a dead proxy.
  const up = await upstream(flakyOn(X, 6, 40))
  const r = await relay([up.origin], { retries: 1 })
  const others = Array.from({ length: 8 }, (_, i) =>
    new Promise((resolve) => setTimeout(resolve, 30 * i)).then(() => fetchOnce(r.url + `/example.com/b${i}/@v/list`))
  )
  const got = await fetchOnce(r.url + X)
  expect(got.status).toBe(200)
  expect(got.body.toString()).toBe(INFO_JSON)
  expect(up.hits.filter((h) => h.path === X)).toHaveLength(7)
  for (const o of await Promise.all(others)) expect(o.status).toBe(200)
})

it('an upstream that delivers nothing still fails within the retry count, fast', async () => {
  const up = await upstream(flakyOn(X, 100))
  const r = await relay([up.origin], { retries: 2 })
  const started = Date.now()
  const got = await fetchOnce(r.url + X)
  expect(got.status).toBe(502)
  expect(up.hits).toHaveLength(3)
  expect(Date.now() - started).toBeLessThan(1000)
})
