// Low-level pieces of a staged probe: the stage error type, the
// HTTP CONNECT tunnel through an egress proxy, and a TLS handshake that reports the presented
// certificate even when it is not trusted.
import type { Socket } from 'node:net'
import * as tls from 'node:tls'
import { trustedContext } from '../net/dispatcher.js'

export type Stage = 'dns' | 'tcp' | 'tls' | 'http'
export type FailureKind =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-other'
  | 'unreachable'
  | 'egress'
  /** Preflight was ended early on purpose (tidy finished): not a failure of the endpoint. */
  | 'unfinished'

/** The abort reason preflight gives its probes when it ends them early on purpose (see Preflight.finish). */
export class CutShort extends Error {
  constructor() {
    super('preflight ended early: tidy had finished')
    this.name = 'CutShort'
  }
}

/** A probe failure: what kind, in which stage. `message` is low-level text, redacted by the prober. */
export class StageError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly stage: Stage,
    message: string,
    readonly code?: string,
    /** For `egress`: the egress proxy's answer to CONNECT. */
    readonly status?: number
  ) {
    super(message)
    this.name = 'StageError'
  }
}

/** Asks an egress proxy for a tunnel to `authority` (host:port) on an open connection. */
export function openTunnel(socket: Socket, authority: string, proxyAuth?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0)
    const done = (): void => {
      socket.off('data', onData)
      socket.off('close', onClose)
      socket.off('error', onError)
    }
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk])
      const end = buf.indexOf('\r\n\r\n')
      if (end < 0) {
        if (buf.length > 65536) onError(new Error('oversized CONNECT response'))
        return
      }
      done()
      // Nothing may follow the proxy's answer: the client speaks first inside a tunnel.
      const statusLine = buf.subarray(0, buf.indexOf('\r\n')).toString('latin1')
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine)?.[1] ?? 0)
      if (status >= 200 && status < 300) return resolve(socket)
      reject(
        new StageError(
          'egress',
          'tcp',
          `egress proxy answered CONNECT ${authority} with "${statusLine}"`,
          undefined,
          status
        )
      )
    }
    const onClose = (): void => {
      done()
      reject(new StageError('unreachable', 'tcp', `egress proxy closed the connection during CONNECT ${authority}`))
    }
    const onError = (e: NodeJS.ErrnoException): void => {
      done()
      reject(new StageError('unreachable', 'tcp', `egress proxy: ${e.code ?? 'error'}: ${e.message}`, e.code))
    }
    socket.on('data', onData)
    socket.on('close', onClose)
    socket.on('error', onError)
    const auth = proxyAuth ? `Proxy-Authorization: ${proxyAuth}\r\n` : ''
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`)
  })
}

export interface Handshake {
  socket: tls.TLSSocket
  /** Set when the certificate is not acceptable: `tls-untrusted` or `tls-other`. */
  failure?: StageError
  certificate?: { subject: string; issuer: string }
}

// Chain errors that a trusted CA would cure: typical of TLS-intercepting proxies and private CAs.
const untrustedCodes = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_UNTRUSTED'
])

/**
 * TLS over an open connection, without rejecting: the verdict is judged from `authorized`
 * afterwards, so an untrusted certificate can still be shown to the user.
 */
export function tlsHandshake(
  socket: Socket,
  host: string,
  extraCa: string[] | undefined,
  track: (s: Socket) => Socket
): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const isIp = /^[\d.]+$|:/.test(host)
    const s = tls.connect({
      socket,
      host,
      servername: isIp ? undefined : host,
      rejectUnauthorized: false,
      secureContext: trustedContext(extraCa),
      ALPNProtocols: ['http/1.1']
    })
    track(s)
    s.once('secureConnect', () => {
      if (s.authorized) return resolve({ socket: s })
      const code = String(s.authorizationError ?? 'UNKNOWN')
      const cert = s.getPeerCertificate()
      const certificate = cert && cert.subject ? { subject: dn(cert.subject), issuer: dn(cert.issuer) } : undefined
      const kind = untrustedCodes.has(code) ? 'tls-untrusted' : 'tls-other'
      resolve({
        socket: s,
        certificate,
        failure: new StageError(kind, 'tls', `${code}: certificate for ${host} not accepted`, code)
      })
    })
    s.once('error', (e: NodeJS.ErrnoException) => {
      reject(new StageError('tls-other', 'tls', `${e.code ?? 'handshake failed'}: ${e.message}`, e.code))
    })
  })
}

/** "CN=mirror.test, O=Example" from Node's certificate name object. */
function dn(name: tls.Certificate | undefined): string {
  if (!name) return ''
  return Object.entries(name)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ')
}
