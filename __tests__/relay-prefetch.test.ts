// The relay fetching ahead of go (relay/prefetch.ts): the files a run will need are fetched once, a few at a time,
// and held for go's first request for each; big zips (spooled on disk) too; failures are not held; nothing else is
// asked.
import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { startRelay, type Relay } from '../src/relay/relay.js'
import { AHEAD_CONCURRENCY } from '../src/relay/prefetch.js'
import { entry, fetchOnce, startUpstream, type Handler, type TestUpstream } from './helpers/relay-upstreams.js'
import { closeAll, onClose } from './helpers/closers.js'

afterEach(closeAll)

async function upstream(handler: Handler): Promise<TestUpstream> {
  return onClose(await startUpstream(handler))
}

async function relay(url: string, ready?: Promise<unknown>): Promise<Relay> {
  // No retries: a second attempt on the same upstream (a hedge when a busy machine pauses a body) would be a retry,
  // and these tests count the upstream's requests exactly.
  return onClose(await startRelay({ upstreams: [entry(url)], retries: 0, ready }))
}

/** Resolves once the upstream has seen `n` requests. */
async function hits(up: TestUpstream, n: number): Promise<void> {
  const deadline = Date.now() + 10_000
  while (up.hits.length < n) {
    if (Date.now() > deadline) throw new Error(`upstream saw ${up.hits.length} of ${n} requests`)
    await new Promise((r) => setTimeout(r, 10))
  }
  await new Promise((r) => setTimeout(r, 50)) // the answers reach the relay
}

const BIG = randomBytes(3 << 20) // past the spool's memory limit: held on disk
const body = (path: string): Buffer => (path.endsWith('.zip') ? BIG : Buffer.from(`answer for ${path}\n`))

const serveAll: Handler = (req, res) => {
  if ((req.url ?? '').includes('missing')) return void res.writeHead(404).end('not found: missing')
  const b = body(decodeURIComponent(req.url ?? ''))
  res.writeHead(200, { 'content-length': b.length }).end(b)
}

describe('prefetch', () => {
  it('fetches each listed file once and hands it to go’s first request, big zips included', async () => {
    const up = await upstream(serveAll)
    const r = await relay(up.origin)
    const files = ['example.com/!big!corp/lib/@v/v1.2.0.mod', 'example.com/!big!corp/lib/@v/v1.2.0.zip']
    r.prefetch(files)
    await hits(up, 2)
    // The 3 MiB body spools to disk: on a busy machine that takes longer than the answers' arrival.
    const deadline = Date.now() + 10_000
    while (r.readAhead().files < 2 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10))
    const bytes = files.reduce((n, f) => n + body(`/${f}`).length, 0)
    expect(r.readAhead()).toEqual({ files: 2, bytes, used: 0 })
    for (const f of files) {
      const got = await fetchOnce(`${r.url}/${f}`)
      expect(got.status).toBe(200)
      expect(got.body.equals(body(`/${f}`))).toBe(true)
    }
    // Each file asked once, upper case escaped and percent-encoded as go sends it.
    expect(up.hits.map((h) => h.path).sort()).toEqual(files.map((f) => `/${f.replaceAll('!', '%21')}`).sort())
    expect(r.readAhead()).toEqual({ files: 2, bytes, used: 2 })
  })

  it('holds no failure: go’s own request asks again and hears the upstream’s answer', async () => {
    const up = await upstream(serveAll)
    const r = await relay(up.origin)
    r.prefetch(['example.com/missing/@v/v1.0.0.mod'])
    await hits(up, 1)
    const got = await fetchOnce(`${r.url}/example.com/missing/@v/v1.0.0.mod`)
    expect(got.status).toBe(404)
    expect(got.body.toString()).toContain('not found: missing')
    expect(up.hits).toHaveLength(2)
    expect(r.readAhead()).toEqual({ files: 0, bytes: 0, used: 0 }) // a failure fetched nothing ahead
  })

  it('asks nothing but module files, waits for the relay to be ready, and runs a few at a time', async () => {
    let inFlight = 0
    let most = 0
    const up = await upstream((req, res) => {
      most = Math.max(most, ++inFlight)
      setTimeout(() => {
        inFlight--
        serveAll(req, res, 0)
      }, 30)
    })
    let open!: () => void
    const r = await relay(up.origin, new Promise<void>((resolve) => (open = resolve)))
    const files = Array.from({ length: 20 }, (_, i) => `example.com/m${i}/@v/v1.0.0.mod`)
    r.prefetch(['example.com/m/@v/list', 'example.com/m/@latest', '../etc/passwd', ...files])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(up.hits).toHaveLength(0)
    open()
    await hits(up, files.length)
    expect(up.hits.map((h) => h.path).sort()).toEqual(files.map((f) => `/${f}`).sort())
    expect(most).toBeGreaterThan(1)
    expect(most).toBeLessThanOrEqual(AHEAD_CONCURRENCY)
  })

  it('a go request arriving while the prefetch is in flight shares it, and the answer is not held after', async () => {
    const up = await upstream((req, res) => void setTimeout(() => serveAll(req, res, 0), 200))
    const r = await relay(up.origin)
    r.prefetch(['example.com/a/@v/v1.0.0.zip'])
    await hits(up, 1) // the prefetch reached the upstream, which answers 200 ms later
    const got = await fetchOnce(`${r.url}/example.com/a/@v/v1.0.0.zip`)
    expect(got.body.equals(BIG)).toBe(true)
    expect(up.hits).toHaveLength(1)
    // go has it: a later prefetch of the same file (a big zip, never kept) asks nothing
    r.prefetch(['example.com/a/@v/v1.0.0.zip'])
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(up.hits).toHaveLength(1)
  })

  it('never fetches ahead what go already fetched itself', async () => {
    const up = await upstream(serveAll)
    const r = await relay(up.origin)
    expect((await fetchOnce(`${r.url}/example.com/a/@v/v1.0.0.zip`)).body.equals(BIG)).toBe(true)
    r.prefetch(['example.com/a/@v/v1.0.0.zip', 'example.com/b/@v/v1.0.0.zip'])
    await hits(up, 2)
    expect(up.hits.map((h) => h.path)).toEqual(['/example.com/a/@v/v1.0.0.zip', '/example.com/b/@v/v1.0.0.zip'])
  })

  it('takes only canonical versions’ module files, never percent-encoded or checksum-database paths', async () => {
    const up = await upstream(serveAll)
    const r = await relay(up.origin)
    r.prefetch([
      'example.com/a/@v/master.zip',
      'example.com/a/@v/v1.0.0-%61.mod',
      'sumdb/sum.example/lookup/example.com/a@v1.0.0.zip',
      'example.com/a/@v/v1.2.zip',
      'example.com/ok/@v/v1.0.0.mod'
    ])
    await hits(up, 1)
    expect(up.hits.map((h) => h.path)).toEqual(['/example.com/ok/@v/v1.0.0.mod'])
  })
})
