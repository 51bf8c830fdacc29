// The one undici dispatcher factory (preflight and relay): proxies from the environment the way go reads
// them, and the CA roots go would trust (the system's) plus any extra CA the user gave us.
import { readFileSync } from 'node:fs'
import * as tls from 'node:tls'
import { buildConnector, EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { systemBundle } from '../access/ca-trust.js'
import { proxyEnv } from './egress.js'

export interface DispatcherOptions {
  /** PEM texts (each may hold several certificates) trusted in addition to the system roots. */
  extraCa?: string[]
  connectTimeoutMs: number
}

function readPem(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8')
    return text.includes('-----BEGIN CERTIFICATE-----') ? text : undefined
  } catch {
    return undefined
  }
}

let systemCache: { key: string; pems: string[] } | undefined

/** The system's CA bundle as go would load it, plus NODE_EXTRA_CA_CERTS (an explicit `ca` drops it otherwise). */
export function systemCa(): string[] {
  const key = `${process.env.SSL_CERT_FILE}\0${process.env.NODE_EXTRA_CA_CERTS}`
  if (systemCache?.key === key) return systemCache.pems
  const out: string[] = []
  // Node ships its own roots and ignores the system's, so an intercepting proxy's CA that the runner installed
  // system-wide would be trusted by go but not by us without this.
  const first = systemBundle(process.env)?.text
  if (first) out.push(first)
  const nodeExtra = process.env.NODE_EXTRA_CA_CERTS && readPem(process.env.NODE_EXTRA_CA_CERTS)
  if (nodeExtra) out.push(nodeExtra)
  systemCache = { key, pems: out }
  return out
}

// Building a context from ~300 roots costs ~50 ms, so preflight and the relay share one per set of extra CAs.
const contexts = new Map<string, tls.SecureContext>()

/** The roots go trusts (Node's bundle plus the system's) plus the user's extra CAs, as one TLS context. */
export function trustedContext(extraCa: string[] | undefined): tls.SecureContext {
  const key = `${process.env.SSL_CERT_FILE}\0${process.env.NODE_EXTRA_CA_CERTS}\0${(extraCa ?? []).join('\n')}`
  let ctx = contexts.get(key)
  if (!ctx) {
    ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...systemCa(), ...(extraCa ?? [])] })
    contexts.set(key, ctx)
  }
  return ctx
}

/** Taken off a server's Keep-Alive timeout hint: the time a reused connection may still be in flight. */
const KEEP_ALIVE_MARGIN_MS = 250

/**
 * An EnvHttpProxyAgent honouring HTTP_PROXY / HTTPS_PROXY / NO_PROXY as go does: upper case wins, a bare
 * host:port is http, and loopback is never proxied (go's special case, which also keeps our tests hermetic).
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const timeout = opts.connectTimeoutMs
  const pe = proxyEnv(process.env)
  const httpProxy = pe.http?.href ?? ''
  const httpsProxy = pe.https?.href ?? ''
  // The TLS context is built on the first https connection only: plain-http upstreams never pay for it.
  let plain: buildConnector.connector | undefined
  let secure: buildConnector.connector | undefined
  const connect: buildConnector.connector = (o, cb) => {
    if (o.protocol === 'https:') secure ??= buildConnector({ timeout, secureContext: trustedContext(opts.extraCa) })
    else plain ??= buildConnector({ timeout })
    return (o.protocol === 'https:' ? secure! : plain!)(o, cb)
  }
  // Through a proxy: `proxyTls` is the hop to an https proxy, `requestTls` the tunnelled origin.
  const tlsOpts = httpProxy || httpsProxy ? { timeout, secureContext: trustedContext(opts.extraCa) } : { timeout }
  const noProxy = [pe.noProxy, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(',')
  return new EnvHttpProxyAgent({
    httpProxy,
    httpsProxy,
    noProxy,
    connect,
    // go sends plain-http requests to an HTTP proxy in absolute form and tunnels (CONNECT) only https; many
    // corporate proxies allow CONNECT to port 443 alone, so a tunnel for http would fail where go succeeds.
    proxyTunnel: false,
    proxyTls: tlsOpts,
    requestTls: tlsOpts,
    // undici keeps a connection for the server's Keep-Alive hint minus 2 s, so a server that hints a second or
    // two (Node's own servers hint 5 s) got a new connection per request. go reuses idle connections whatever the
    // hint; a reused connection the server has just closed fails fast, and the relay retries that at once.
    keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS
  } as ConstructorParameters<typeof EnvHttpProxyAgent>[0])
}
