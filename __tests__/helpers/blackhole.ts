// Dead endpoints for network-fault tests: a TCP server that accepts and never answers, and a port where
// nothing listens.
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'

export interface Blackhole {
  url: string
  host: string
  port: number
  /** Connections accepted so far. */
  connections(): number
  close(): Promise<void>
}

/** A TCP server that accepts connections and never answers (a firewall that swallows traffic). */
export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>()
  let count = 0
  const server = createNetServer((s) => {
    count++
    sockets.add(s)
    s.on('error', () => undefined)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    connections: () => count,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** `http://127.0.0.1:<port>` where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
