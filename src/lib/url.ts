// Credentials in a URL, as every stage that sends them needs them.
import { addSecret } from './redact.js'

/** `Basic …` from a URL's userinfo (both parts registered as secrets first), or undefined when it has none. */
export function basicAuth(u: URL): string | undefined {
  if (!u.username && !u.password) return undefined
  const pass = decodeURIComponent(u.password)
  const token = Buffer.from(`${decodeURIComponent(u.username)}:${pass}`).toString('base64')
  addSecret(pass)
  addSecret(token)
  return `Basic ${token}`
}
