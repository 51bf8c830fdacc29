// One upstream fetch per path in flight, answered to every waiting go from the same complete spool; a canonical
// version's .info/.mod/.zip kept for the run; lists, @latest and queries never kept (issue 11, cold monorepos).
import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startRelay, type Relay } from '../src/relay/relay.js'
import { immutablePath } from '../src/relay/share.js'
import { entry, fetchOnce, startUpstream, type Handler, type TestUpstream } from './helpers/relay-upstreams.js'
import { closeAll, onClose } from './helpers/closers.js'

afterEach(closeAll)

async function upstream(handler: Handler): Promise<TestUpstream> {
  return onClose(await startUpstream(handler))
}

async function relay(url: string): Promise<Relay> {
  return onClose(await startRelay({ upstreams: [entry(url)], retries: 2, backoffBaseMs: 5 }))
}

/** Answers each request after `ms` with `body(n)`, a body that differs per request so sharing shows. */
const slow =
  (ms: number, body: (n: number) => Buffer): Handler =>
  (_req, res, n) => {
    const b = body(n)
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/zip', 'content-length': b.length }).end(b), ms)
  }

describe('immutablePath', () => {
  it('keeps only a canonical version’s .info, .mod and .zip', () => {
    for (const p of [
      '/example.com/a/@v/v1.2.3.info',
      '/example.com/a/@v/v1.2.3.mod',
      '/example.com/a/@v/v0.0.0-20240101000000-abcdefabcdef.zip',
      '/example.com/a/@v/v2.0.0+incompatible.mod',
      '/example.com/a/@v/v1.0.0-!r!c1.info'
    ])
      expect(immutablePath(p)).toBe(true)
    for (const p of [
      '/example.com/a/@v/list',
      '/example.com/a/@latest',
      '/example.com/a/@v/master.info',
      '/example.com/a/@v/v1.2.info',
      '/example.com/a/@v/v1.2.3+build.info',
      '/sumdb/sum.example.com/lookup/example.com/a@v1.0.0'
    ])
      expect(immutablePath(p)).toBe(false)
  })
})

describe('sharing', () => {
  it('answers concurrent requests for one path from one upstream fetch, byte for byte the same', async () => {
    const bodies = [randomBytes(200 * 1024), randomBytes(200 * 1024)]
    const up = await upstream(slow(150, (n) => bodies[(n - 1) % 2]))
    const r = await relay(up.origin)
    const got = await Promise.all([1, 2, 3].map(() => fetchOnce(r.url + '/example.com/a/@v/v1.0.0.zip')))
    expect(up.hits).toHaveLength(1)
    for (const g of got) expect(g.body.equals(bodies[0])).toBe(true)
  })

  it('serves a repeat of an immutable answer at once, and asks again for a list', async () => {
    const up = await upstream(slow(0, (n) => Buffer.from(`answer ${n}\n`)))
    const r = await relay(up.origin)
    for (let i = 0; i < 2; i++)
      expect((await fetchOnce(r.url + '/example.com/a/@v/v1.0.0.mod')).body.toString()).toBe('answer 1\n')
    expect((await fetchOnce(r.url + '/example.com/a/@v/list')).body.toString()).toBe('answer 2\n')
    expect((await fetchOnce(r.url + '/example.com/a/@v/list')).body.toString()).toBe('answer 3\n')
    expect(up.hits.map((h) => h.path)).toEqual([
      '/example.com/a/@v/v1.0.0.mod',
      '/example.com/a/@v/list',
      '/example.com/a/@v/list'
    ])
  })

  it('never keeps a failure: a 404 shared in flight is asked again later', async () => {
    const up = await upstream((_req, res, n) => {
      if (n === 1) return void setTimeout(() => res.writeHead(404).end('not found'), 100)
      res.writeHead(200, { 'content-length': 2 }).end('ok')
    })
    const r = await relay(up.origin)
    const first = await Promise.all([1, 2].map(() => fetchOnce(r.url + '/example.com/a/@v/v1.0.0.info')))
    expect(first.map((g) => g.status)).toEqual([404, 404])
    expect((await fetchOnce(r.url + '/example.com/a/@v/v1.0.0.info')).status).toBe(200)
    expect(up.hits).toHaveLength(2)
  })

  it('a go that hangs up does not cancel the fetch another go still waits for', async () => {
    const body = randomBytes(64 * 1024)
    const up = await upstream(slow(300, () => body))
    const r = await relay(up.origin)
    const { get } = await import('node:http')
    const quitter = get(r.url + '/example.com/a/@v/v1.0.0.zip', { agent: false })
    quitter.on('error', () => undefined)
    const stayer = fetchOnce(r.url + '/example.com/a/@v/v1.0.0.zip')
    setTimeout(() => quitter.destroy(), 100)
    const got = await stayer
    expect(got.body.equals(body)).toBe(true)
    expect(up.hits).toHaveLength(1)
  })
})
