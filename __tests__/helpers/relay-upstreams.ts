// Tiny loopback upstreams for the relay tests: an HTTP server with a per-test handler that records every
// request, a TCP blackhole, a refused port, a plain GET client that reports a cut connection, and a look
// into the relay's spool directory.
import { createServer, get, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import { existsSync, readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { refusedUrl, startBlackhole as blackhole } from './blackhole.js'
import { join } from 'node:path'
import type { ProxyEntry } from '../../src/types.js'

export interface Hit {
  path: string
  headers: IncomingHttpHeaders
}

export interface TestUpstream {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  origin: string
  hits: Hit[]
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, hitNo: number) => void

export async function startUpstream(handler: Handler): Promise<TestUpstream> {
  const hits: Hit[] = []
  const server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', headers: req.headers })
    handler(req, res, hits.length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

/** Accepts TCP connections and never answers (blackhole.ts's, by origin). */
export async function startBlackhole(): Promise<{ origin: string; close(): Promise<void> }> {
  const hole = await blackhole()
  return { origin: hole.url, close: hole.close }
}

/** An origin where nothing listens. */
export const refusedOrigin = refusedUrl

export function entry(url: string): ProxyEntry {
  return { kind: 'url', url, display: url, separator: ',' }
}

export interface Got {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** GET without keep-alive; rejects when the connection is cut before the body completes. */
export function fetchOnce(url: string, opts: { method?: string } = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, method: opts.method ?? 'GET' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('aborted', () => reject(new Error('response aborted')))
      res.on('end', () => {
        if (!res.complete) return reject(new Error('response incomplete'))
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
      })
    })
    req.on('error', reject)
  })
}

/** Serves `data` honouring `Range: bytes=N-` with 206, the way a resumable proxy does. */
export function sendRanged(req: IncomingMessage, res: ServerResponse, data: Buffer): void {
  const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
  if (m) {
    const start = Number(m[1])
    res.writeHead(206, {
      'content-type': 'application/zip',
      'content-length': data.length - start,
      'content-range': `bytes ${start}-${data.length - 1}/${data.length}`,
      'accept-ranges': 'bytes'
    })
    res.end(data.subarray(start))
    return
  }
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': data.length, 'accept-ranges': 'bytes' })
  res.end(data)
}

/** Headers with the full length, the first `bytes` of `data`, then silence with the connection kept open. */
export function stallAfter(
  res: ServerResponse,
  data: Buffer,
  bytes: number,
  headers: Record<string, string> = {}
): void {
  res.writeHead(200, {
    'content-type': 'application/zip',
    'content-length': data.length,
    'accept-ranges': 'bytes',
    ...headers
  })
  res.write(data.subarray(0, bytes))
}

/** The files the relay spools under `spoolDir` (its private subdirectories included). */
export function spoolFiles(spoolDir: string): string[] {
  if (!existsSync(spoolDir)) return []
  return readdirSync(spoolDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

/** Polls `check` every 20 ms until it holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, 20))
  }
  return true
}
