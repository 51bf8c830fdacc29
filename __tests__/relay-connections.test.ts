// The relay's connections to an upstream: reused from one request to the next, also when the upstream's Keep-Alive
// hint is short (undici would otherwise take 2 s off the hint and open a connection per request).
import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startRelay } from '../src/relay/relay.js'
import { entry, fetchOnce } from './helpers/relay-upstreams.js'
import { closeAll, onCleanup, onClose } from './helpers/closers.js'

afterEach(closeAll)

describe('upstream connections', () => {
  it('are reused when the upstream hints a short Keep-Alive timeout (1 s, as some servers do)', async () => {
    let connections = 0
    const server = createServer((_req, res) => void res.writeHead(200, { 'content-length': 2 }).end('ok'))
    server.keepAliveTimeout = 1000 // answers carry `Keep-Alive: timeout=1`
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onCleanup(() => new Promise((resolve) => (server.close(() => resolve()), server.closeAllConnections())))
    const r = await startRelay({
      upstreams: [entry(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)],
      retries: 1
    })
    onClose(r)
    for (let i = 0; i < 5; i++) {
      // lists are never kept: each one reaches the upstream
      expect((await fetchOnce(`${r.url}/example.com/a/@v/list`)).status).toBe(200)
    }
    expect(connections).toBe(1)
  })
})
