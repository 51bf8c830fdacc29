// Host names as URLs carry them: one home for the rules several stages need.
import { BlockList, isIP } from 'node:net'

/** `[::1]` -> `::1`: URL.hostname keeps an IPv6 literal's brackets; sockets, TLS and net.isIP want it bare. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

/** A loopback IP (127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6). Not a name: see isLoopbackHost. */
export function isLoopbackIp(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip
  if (isIP(v4) === 4) return v4.startsWith('127.')
  const bl = new BlockList()
  bl.addAddress('::1', 'ipv6')
  return isIP(v4) === 6 && bl.check(v4, 'ipv6')
}

/** `localhost` or a loopback IP, brackets and case aside: traffic that never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = unbracket(host).toLowerCase()
  return h === 'localhost' || isLoopbackIp(h)
}
