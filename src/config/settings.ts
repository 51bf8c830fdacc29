// Effective module settings: inputs over `go env`, the way go itself would derive them.
import type { GoSettings, ProxyEntry } from '../types.js'
import type { Inputs } from './inputs.js'
import { formatProxyList, parseProxyList } from './proxylist.js'
import { redactUrl } from '../lib/redact.js'

export interface Settings extends GoSettings {
  /** The effective GOPROXY list, parsed. */
  proxies: ProxyEntry[]
}

export function effectiveSettings(
  inputs: Pick<Inputs, 'goproxy' | 'goprivate' | 'gonoproxy' | 'gonosumdb' | 'gosumdb'>,
  goEnv: Record<string, string>,
  processEnv: NodeJS.ProcessEnv = process.env
): Settings {
  const proxies = inputs.goproxy ?? parseProxyList(goEnv.GOPROXY || 'off', 'GOPROXY (from go env)')
  for (const p of proxies) if (p.kind === 'url') redactUrl(p.url) // registers URL credentials as secrets
  const GOPRIVATE = inputs.goprivate ?? goEnv.GOPRIVATE ?? ''
  // go derives GONOPROXY and GONOSUMDB from GOPRIVATE when they are not set explicitly; `go env` reports the
  // derived value, which is stale when the goprivate input changes GOPRIVATE.
  const derived = (name: 'GONOPROXY' | 'GONOSUMDB', input?: string): string => {
    if (input !== undefined) return input
    if (inputs.goprivate !== undefined && !processEnv[name]) return GOPRIVATE
    return goEnv[name] ?? ''
  }
  return {
    proxies,
    GOPROXY: formatProxyList(proxies),
    GOPRIVATE,
    GONOPROXY: derived('GONOPROXY', inputs.gonoproxy),
    GONOSUMDB: derived('GONOSUMDB', inputs.gonosumdb),
    GOSUMDB: inputs.gosumdb ?? goEnv.GOSUMDB ?? ''
  }
}
