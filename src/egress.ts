// The egress proxy in force for module traffic, as go reads it (HTTPS_PROXY first: proxies are https), for the summary.
import { redactUrl } from './redact.js'

export function egressProxy(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy
  if (!value) return undefined
  const noProxy = env.NO_PROXY || env.no_proxy
  return redactUrl(value) + (noProxy ? ` (NO_PROXY: ${noProxy})` : '')
}
