// Which egress proxy (HTTP_PROXY / HTTPS_PROXY) a request goes through, decided exactly as go's
// net/http does (golang.org/x/net/http/httpproxy), so that preflight tests the path go will take.
// undici's EnvHttpProxyAgent differs in details (lowercase names first, loopback handling), so the
// rules are ported here rather than borrowed.
import { BlockList, isIP } from 'node:net'
import { isLoopbackIp, unbracket } from '../lib/hosts.js'
import { domainToASCII } from 'node:url'
import { redactUrl } from '../lib/redact.js'

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443', 'socks5:': '1080' }
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'] as const

/** The proxy variables as go reads them: upper case first, a bare host:port means http://, unparsable is unset. */
export interface ProxyEnv {
  http?: URL
  https?: URL
  noProxy: string
}

export function proxyEnv(env: NodeJS.ProcessEnv = process.env): ProxyEnv {
  const proxy = (name: string): URL | undefined => {
    const raw = firstSet(env, name, name.toLowerCase())
    return raw ? parseProxy(raw) : undefined
  }
  return {
    http: proxy('HTTP_PROXY'),
    https: proxy('HTTPS_PROXY'),
    noProxy: firstSet(env, 'NO_PROXY', 'no_proxy') ?? ''
  }
}

/** The egress proxy URL for `target`, or undefined when the request goes direct. */
export function egressProxyFor(target: string | URL, env: NodeJS.ProcessEnv = process.env): URL | undefined {
  const u = typeof target === 'string' ? new URL(target) : target
  const pe = proxyEnv(env)
  const proxy = u.protocol === 'https:' ? pe.https : u.protocol === 'http:' ? pe.http : undefined
  if (!proxy) return undefined
  const host = unbracket(u.hostname)
  const port = u.port || defaultPorts[u.protocol] || ''
  return useProxy(host, port, pe.noProxy) ? proxy : undefined
}

/**
 * The egress proxy in force for module traffic (proxies are https, so HTTPS_PROXY first), redacted, for the summary.
 * Called before anything is printed: it registers the credentials of every proxy variable as secrets, in each form
 * go accepts (`scheme://user:pw@host`, or `user:pw@host:port` without a scheme).
 */
export function egressProxySummary(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of PROXY_VARIABLES) if (env[name]) redactUrl(env[name])
  const pe = proxyEnv(env)
  const name = pe.https ? 'HTTPS_PROXY' : pe.http ? 'HTTP_PROXY' : undefined
  const raw = name && firstSet(env, name, name.toLowerCase()) // as the user wrote it
  if (!raw) return undefined
  return redactUrl(raw) + (pe.noProxy ? ` (NO_PROXY: ${pe.noProxy})` : '')
}

function firstSet(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) if (env[n]) return env[n]
  return undefined
}

// go accepts "host:port" without a scheme and means http://.
function parseProxy(raw: string): URL | undefined {
  try {
    const u = new URL(raw)
    if (u.host) return u
  } catch {
    // fall through to the http:// form
  }
  try {
    return new URL('http://' + raw)
  } catch {
    return undefined // go ignores an unparsable value too
  }
}

/** go's useProxy: false when the host is localhost, a loopback IP, or matched by NO_PROXY. */
export function useProxy(host: string, port: string, noProxy: string): boolean {
  host = host.toLowerCase().trim()
  if (host === 'localhost') return false
  const family = isIP(host)
  if (family && isLoopbackIp(host)) return false
  for (let p of noProxy.split(',')) {
    p = p.trim().toLowerCase()
    if (!p) continue
    if (p === '*') return false
    if (family ? matchIp(p, host, port, family) : matchDomain(p, host, port)) return false
  }
  return true
}

function splitHostPort(p: string): { h: string; port: string } {
  const m = /^\[([^\]]*)\]:(\d*)$/.exec(p) ?? /^([^:]*):(\d*)$/.exec(p)
  return m ? { h: m[1], port: m[2] } : { h: unbracket(p), port: '' }
}

function matchIp(p: string, ip: string, port: string, family: number): boolean {
  const fam = family === 6 ? 'ipv6' : 'ipv4'
  const cidr = /^(.+)\/(\d{1,3})$/.exec(p)
  if (cidr) {
    const netFamily = isIP(cidr[1])
    if (!netFamily || (netFamily === 6 ? 'ipv6' : 'ipv4') !== fam) return false
    const bl = new BlockList()
    bl.addSubnet(cidr[1], Number(cidr[2]), fam)
    return bl.check(ip, fam)
  }
  const { h, port: pport } = splitHostPort(p)
  const pFamily = isIP(h)
  if (!pFamily || (pFamily === 6 ? 'ipv6' : 'ipv4') !== fam) return false
  const bl = new BlockList()
  bl.addAddress(h, fam)
  return bl.check(ip, fam) && (pport === '' || pport === port)
}

// "example.com" matches itself and subdomains; ".example.com" and "*.example.com" only subdomains.
function matchDomain(p: string, host: string, port: string): boolean {
  if (p.includes('/')) return false // a CIDR never matches a name
  const hp = splitHostPort(p)
  let h = hp.h
  const pport = hp.port
  if (!h || isIP(h)) return false
  if (h.startsWith('*.')) h = h.slice(1)
  const matchHost = !h.startsWith('.')
  if (matchHost) h = '.' + h

  if (/[^\x00-\x7f]/.test(h)) h = '.' + domainToASCII(h.slice(1))
  const hit = host.endsWith(h) || (matchHost && host === h.slice(1))
  return hit && (pport === '' || pport === port)
}
