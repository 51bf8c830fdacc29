// Every upstream down, as preflight found them: the relay still tries them as a last resort, but one that sits
// silent costs a few seconds, not the 30 s first-byte timeout, and is then out of the run (issue 10).
import { afterEach, expect, it } from '@jest/globals'
import { startRelay, type Relay } from '../src/relay/relay.js'
import { LAST_RESORT_WAIT_MS } from '../src/relay/breaker.js'
import { entry, fetchOnce, startBlackhole, startUpstream } from './helpers/relay-upstreams.js'
import { closeAll, onClose } from './helpers/closers.js'

const INFO = '/example.com/a/@v/v1.0.0.info'
const INFO_JSON = '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}'
const FIRST_BYTE_MS = 30_000

afterEach(closeAll)

async function relayOver(urls: string[]): Promise<Relay> {
  return onClose(
    await startRelay({
      upstreams: urls.map(entry),
      retries: 3,
      firstByteTimeoutMs: FIRST_BYTE_MS,
      backoffBaseMs: 5
    })
  )
}

async function deadPair(): Promise<{ hole: string; failing: string; hits: () => number }> {
  const hole = await startBlackhole()
  const failing = await startUpstream(
    (_req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance\n')
  )
  onClose(hole)
  onClose(failing)
  return { hole: hole.origin, failing: failing.origin, hits: () => failing.hits.length }
}

it('preflight found both down (one silent, one 503): 502 naming both within the last-resort wait, and the silent one leaves the run', async () => {
  const { hole, failing, hits } = await deadPair()
  const r = await relayOver([hole, failing])
  r.setHealthy(hole, false)
  r.setHealthy(failing, false)
  let started = Date.now()
  const got = await fetchOnce(r.url + INFO)
  expect(Date.now() - started).toBeLessThan(LAST_RESORT_WAIT_MS + 1_500)
  expect(got.status).toBe(502)
  const text = got.body.toString()
  expect(text).toContain(
    `${hole}: abandoned: no answer within ${LAST_RESORT_WAIT_MS / 1000} s; preflight had found it down`
  )
  expect(text).toContain(`${failing}: HTTP 503`)
  expect(hits()).toBeGreaterThanOrEqual(2) // it was retried, as before
  expect(r.stats()[0]).toMatchObject({ tripped: true })
  expect(r.allDown()).toBe(true)
  // Later requests do not wait on the silent one again.
  started = Date.now()
  expect((await fetchOnce(r.url + INFO)).status).toBe(502)
  expect(Date.now() - started).toBeLessThan(1_000)
})

it('a silent upstream that preflight has not judged keeps the full first-byte timeout while a healthy one serves', async () => {
  const hole = await startBlackhole()
  const good = await startUpstream((_req, res) => {
    // Slower than the last-resort wait: only an upstream preflight found down is cut that short.
    setTimeout(
      () => res.writeHead(200, { 'content-length': INFO_JSON.length }).end(INFO_JSON),
      LAST_RESORT_WAIT_MS + 500
    )
  })
  onClose(hole)
  onClose(good)
  const r = await relayOver([good.origin, hole.origin])
  const got = await fetchOnce(r.url + INFO)
  expect(got.status).toBe(200)
  expect(got.body.toString()).toBe(INFO_JSON)
  expect(r.stats()[0]).toMatchObject({ tripped: false, failures: 0 })
})
