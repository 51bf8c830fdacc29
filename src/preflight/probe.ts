// One endpoint's staged probe: DNS, TCP (plus the egress proxy's CONNECT tunnel), TLS, then one
// HTTP request on that very connection, each stage timed. The HTTP stage reuses the socket the
// earlier stages built, so every number measures one stage only and the request goes exactly
// the way the stages went (direct or through the egress proxy).
import { lookup } from 'node:dns/promises'
import { isIP, connect as netConnect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import { unbracket } from '../lib/hosts.js'
import { egressProxyFor } from '../net/egress.js'
import { basicAuth } from '../lib/url.js'
import { CutShort, openTunnel, StageError, tlsHandshake, type Stage } from './probe-net.js'
import { redact, redactUrl } from '../lib/redact.js'
import type { ProbeResult } from '../types.js'

export { StageError, type Stage, type FailureKind } from './probe-net.js'

export interface ProbeRequest {
  /** The URL requested in the HTTP stage; its userinfo is sent as Basic auth, never shown. */
  url: string
  /** The shared deadline: a stage still running when it aborts ends as `timeout`. */
  signal: AbortSignal
  /** PEM certificates trusted in addition to the default roots. */
  extraCa?: string[]
  /** For HTTP_PROXY / HTTPS_PROXY / NO_PROXY (default process.env). */
  env?: NodeJS.ProcessEnv
}

export interface ProbeOutcome {
  /** HTTP status of the request, when the HTTP stage answered. */
  status?: number
  /** Redacted Location header of a redirect. */
  location?: string
  /** The first bytes of the answer's body (up to 4 KiB), as text: to tell a module proxy's answer from a portal's. */
  body?: string
  failure?: StageError
  timings: ProbeResult['timings']
  /** Certificate presented when TLS verification failed. */
  certificate?: { subject: string; issuer: string }
  /** Redacted egress proxy the probe went through, when one applied. */
  via?: string
}

const now = (): number => performance.now()

/** Probes one URL. Never rejects: failures are described in `failure`. */
export async function probeUrl(req: ProbeRequest): Promise<ProbeOutcome> {
  const start = now()
  const out: ProbeOutcome = { timings: { total: 0 } }
  const sockets: Socket[] = []
  const track = (s: Socket): Socket => {
    s.on('error', () => {}) // errors are read by the stage promises; late ones must not crash
    sockets.push(s)
    return s
  }
  let stage: Stage = 'dns'
  const run = async <T>(s: Stage, fn: () => Promise<T>): Promise<T> => {
    stage = s
    const t = now()
    try {
      return await abortable(fn(), req.signal, s)
    } finally {
      // tcp runs twice through an egress proxy (connect, then CONNECT): the stage is their sum
      out.timings[s] = (out.timings[s] ?? 0) + Math.round(now() - t)
    }
  }
  try {
    const target = new URL(req.url)
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new StageError('unreachable', 'dns', `unsupported URL scheme ${target.protocol}`)
    }
    const egress = egressProxyFor(target, req.env ?? process.env)
    if (egress) out.via = redactUrl(egress.href.replace(/\/$/, ''))
    const hop = egress ?? target
    const host = unbracket(hop.hostname)
    const port = Number(hop.port || (hop.protocol === 'https:' ? 443 : 80))
    const address = isIP(host) ? host : await run('dns', () => resolve(host))
    let socket = await run('tcp', () => tcpConnect(address, port, track))
    if (egress) socket = await run('tcp', () => throughEgress(socket, egress, target, req.extraCa, track))
    if (target.protocol === 'https:') {
      const tls = await run('tls', () => tlsHandshake(socket, unbracket(target.hostname), req.extraCa, track))
      if (tls.failure) {
        out.certificate = tls.certificate
        throw tls.failure
      }
      socket = tls.socket
    }
    const res = await run('http', () => httpGet(socket, target, egress, req.signal))
    out.status = res.status
    out.body = res.body
    if (res.location) out.location = redact(res.location)
  } catch (e) {
    out.failure = toStageError(e, stage)
  } finally {
    // Outermost first: destroying a socket under a live TLSSocket crashes Node 20 (SIGSEGV).
    for (const s of sockets.reverse()) s.destroy()
    out.timings.total = Math.round(now() - start)
  }
  return out
}

// Settles as soon as the deadline passes, whatever the stage is waiting on (dns.lookup cannot be
// cancelled at all, sockets are destroyed by the caller).
function abortable<T>(p: Promise<T>, signal: AbortSignal, stage: Stage): Promise<T> {
  const timeout = (): StageError =>
    signal.reason instanceof CutShort
      ? new StageError('unfinished', stage, `stopped during the ${stage} stage: tidy had finished`)
      : new StageError('timeout', stage, `deadline reached during the ${stage} stage`)
  if (signal.aborted) {
    p.catch(() => {})
    return Promise.reject(timeout())
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(timeout())
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}

async function resolve(host: string): Promise<string> {
  try {
    return (await lookup(host)).address
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new StageError('dns', 'dns', `${err.code ?? 'lookup failed'}: ${host} did not resolve`, err.code)
  }
}

function tcpConnect(address: string, port: number, track: (s: Socket) => Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = track(netConnect({ host: address, port }))
    s.once('connect', () => resolve(s))
    s.once('error', (e: NodeJS.ErrnoException) => {
      const kind = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ETIMEDOUT' ? 'timeout' : 'unreachable'
      reject(new StageError(kind, 'tcp', `${e.code ?? 'error'}: ${e.message}`, e.code))
    })
  })
}

// An https:// egress proxy is itself reached over TLS before the CONNECT.
async function throughEgress(
  socket: Socket,
  egress: URL,
  target: URL,
  extraCa: string[] | undefined,
  track: (s: Socket) => Socket
): Promise<Socket> {
  if (egress.protocol === 'https:') {
    const tls = await tlsHandshake(socket, unbracket(egress.hostname), extraCa, track)
    if (tls.failure)
      throw new StageError(tls.failure.kind, 'tcp', `egress proxy: ${tls.failure.message}`, tls.failure.code)
    socket = tls.socket
  } else if (egress.protocol !== 'http:') {
    throw new StageError('unreachable', 'tcp', `egress proxy scheme ${egress.protocol} is not supported by preflight`)
  }
  // Plain-http targets go through the proxy as absolute-form requests (as go does), no tunnel.
  if (target.protocol === 'http:') return socket
  return openTunnel(socket, `${target.hostname}:${target.port || 443}`, basicAuth(egress))
}

const PROBE_BODY_LIMIT = 64 * 1024

const PROBE_BODY_KEPT = 4 * 1024

interface HttpAnswer {
  status: number
  location?: string
  body: string
}

async function httpGet(socket: Socket, target: URL, egress: URL | undefined, signal: AbortSignal): Promise<HttpAnswer> {
  let handedOut = false
  const client = new Client(target.origin, {
    // One request on the prepared socket; never a second, fresh connection.
    connect: (_opts, cb) => {
      if (handedOut) return cb(new Error('connection closed'), null)
      handedOut = true
      setImmediate(() => cb(null, socket)) // undici stalls when handed a socket synchronously
    }
  })
  const clean = new URL(target.href)
  clean.username = ''
  clean.password = ''
  const headers: Record<string, string> = { 'user-agent': 'go-tidy-guard-preflight' }
  const auth = basicAuth(target)
  if (auth) headers.authorization = auth
  const absolute = egress !== undefined && target.protocol === 'http:'
  const proxyAuth = absolute && egress ? basicAuth(egress) : undefined
  if (proxyAuth) headers['proxy-authorization'] = proxyAuth
  try {
    const res = await client.request({
      method: 'GET',
      path: absolute ? clean.href : clean.pathname + clean.search,
      headers,
      signal
    })
    res.body.on('error', () => {})
    // Read what a small answer holds (up to 64 KiB) under the same deadline: a proxy that sends headers and then
    // stalls would otherwise pass as ok, and the relay would prefer it.
    let seen = 0
    const kept: Buffer[] = []
    for await (const chunk of res.body) {
      if (seen < PROBE_BODY_KEPT) kept.push(chunk as Buffer)
      seen += (chunk as Buffer).length
      if (seen > PROBE_BODY_LIMIT) break
    }
    res.body.destroy()
    const loc = res.headers.location
    const body = Buffer.concat(kept).subarray(0, PROBE_BODY_KEPT).toString('utf8')
    return { status: res.statusCode, location: Array.isArray(loc) ? loc[0] : loc, body }
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new StageError('unreachable', 'http', `${err.code ?? 'error'}: ${err.message}`, err.code)
  } finally {
    client.destroy().catch(() => {})
  }
}

function toStageError(e: unknown, stage: Stage): StageError {
  if (e instanceof StageError) return new StageError(e.kind, e.stage, redact(e.message), e.code, e.status)
  const err = e as NodeJS.ErrnoException
  return new StageError(
    'unreachable',
    stage,
    redact(`${err?.code ?? 'error'}: ${err?.message ?? String(e)}`),
    err?.code
  )
}
