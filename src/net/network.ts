// The network stage: preflight every endpoint, then give go a GOPROXY. With the relay that is the relay's
// address followed by the user's trailing `direct`/`off`; without it, the healthy upstreams first, `|`-separated.
import type { ProbeResult, ProxyEntry, ReadAhead, UpstreamStats } from '../types.js'
import type { Inputs } from '../config/inputs.js'
import type { Settings } from '../config/settings.js'
import { formatProxyList, networkProxies } from '../config/proxylist.js'
import { orderHealthyFirst, startPreflight, withoutUnreachable } from '../preflight/preflight.js'
import { startRelay, type Relay } from '../relay/relay.js'
import type { RelayUpstreamStats } from '../relay/breaker.js'
import { createDispatcher } from './dispatcher.js'
import { redactUrl } from '../lib/redact.js'
import { withNetrc } from '../access/access.js'
import type { NetrcEntry } from '../access/netrc.js'
import type { ProbeModule } from '../preflight/target.js'

export class PreflightFailed extends Error {
  constructor(readonly results: ProbeResult[]) {
    const bad = results.filter((r) => r.verdict !== 'ok')
    super(`preflight (strict) failed: ${bad.map((r) => `${r.endpoint} is ${r.verdict} (${r.hint})`).join('; ')}`)
  }
}

export interface Network {
  /** GOPROXY for the go processes of this step. */
  goproxy: string
  /** GOPROXY for later steps of the job: the upstreams, healthy first as known now, never the relay. */
  exportGoproxy(): string
  /** The relay's base URL, when go talks to the relay. */
  relayUrl?: string
  /** The relay fetches these module files ahead of go (see go/needs.ts); nothing without the relay. */
  prefetch(paths: readonly string[]): void
  /** Every preflight verdict (undefined when preflight is off); probes still running end now. */
  finishPreflight(): Promise<ProbeResult[] | undefined>
  stats(): UpstreamStats[]
  /** What the relay fetched ahead of go; undefined without the relay or when it fetched nothing. */
  readAhead(): ReadAhead | undefined
  /** True when retrying whole runs cannot help: every upstream is known down. */
  allDown(): boolean
  /** When every upstream is known down: says so, naming each with what preflight and the relay found; else undefined. */
  downReport(): string | undefined
  /** Each preflight verdict: those in so far at once, then each as it comes. */
  onVerdict(listener: (r: ProbeResult) => void): void
  close(): Promise<void>
}

const RELAY_CONNECT_TIMEOUT_MS = 10_000

type NetInputs = Pick<Inputs, 'preflight' | 'preflightTimeoutMs' | 'relay' | 'retries'>

export interface Trust {
  /** Extra CA certificates (PEM) trusted besides the system roots. */
  extraCa?: string[]
  /** netrc entries: credentials go would send to https upstreams. */
  netrc: NetrcEntry[]
}

export interface NetworkOptions {
  /** A module the run needs, which preflight asks every proxy for (see preflight/target.ts). */
  probeModule?: ProbeModule
  /** Where the relay listens (the `relay` command's --listen); default 127.0.0.1 and a free port. */
  listen?: { host: string; port: number }
}

export async function startNetwork(
  inputs: NetInputs,
  settings: Settings,
  trust: Trust,
  { probeModule, listen }: NetworkOptions = {}
): Promise<Network> {
  // Credentials ride in each upstream's URL from here on (for preflight and the relay); `display` stays redacted
  // for every report. What go and later steps get is what the user wrote: go reads netrc credentials itself.
  const proxies = withNetrc(settings.proxies, trust.netrc)
  const written = new Map(proxies.map((p, i) => [p.url, settings.proxies[i]]))
  const asWritten = (list: ProxyEntry[]): ProxyEntry[] =>
    list.map((e) => ({ ...(written.get(e.url) ?? e), separator: e.separator }))
  const upstreams = networkProxies(proxies)
  const rest = proxies.filter((p) => !upstreams.includes(p))
  const pre =
    inputs.preflight === 'false'
      ? undefined
      : startPreflight({
          proxies,
          gosumdb: settings.GOSUMDB,
          timeoutMs: inputs.preflightTimeoutMs,
          extraCa: trust.extraCa,
          probeModule
        })
  const seen: ProbeResult[] = []
  pre?.onResult((r) => seen.push(r))
  if (pre && inputs.preflight === 'strict') {
    const all = await pre.results
    if (all.some((r) => r.verdict !== 'ok')) throw new PreflightFailed(all)
  } else if (pre && upstreams.length > 0 && !inputs.relay) {
    // Without the relay go gets a fixed list and has no timeout for a silent proxy: wait for every proxy's verdict
    // (within preflight-timeout) and leave out those that could not be talked to at all.
    // With the relay go starts at once and the relay holds requests until the first ok (see `ready` below).
    await pre.proxies
  }
  const ordered = orderHealthyFirst(upstreams, seen)
  const exportGoproxy = (): string => formatProxyList(asWritten([...orderHealthyFirst(upstreams, seen), ...rest]), '|')
  const finishPreflight = async (): Promise<ProbeResult[] | undefined> => pre?.finish()
  // Preflight replays the verdicts in so far to a new listener, then each as it comes.
  const onVerdict = (listener: (r: ProbeResult) => void): void => pre?.onResult(listener)
  if (!inputs.relay || upstreams.length === 0) {
    const goproxy = formatProxyList(
      asWritten([...withoutUnreachable(orderHealthyFirst(upstreams, seen), seen), ...rest]),
      '|'
    )
    const none = {
      stats: () => [],
      readAhead: () => undefined,
      allDown: () => false,
      downReport: () => undefined,
      prefetch: () => {}
    }
    return { goproxy, exportGoproxy, finishPreflight, onVerdict, ...none, close: async () => {} }
  }
  const dispatcher = createDispatcher({ extraCa: trust.extraCa, connectTimeoutMs: RELAY_CONNECT_TIMEOUT_MS })
  const ready = pre?.firstOk
  const relay = await startRelay({ upstreams: ordered, retries: inputs.retries, dispatcher, ready, listen })
  onVerdict((r) => follow(r, relay, upstreams))
  const sep = upstreams[upstreams.length - 1].separator || ','
  const goproxy = [relay.url, ...rest.map((p) => (p.kind === 'url' ? p.url : p.kind))].join(sep)
  return {
    goproxy,
    relayUrl: relay.url,
    prefetch: (paths) => relay.prefetch(paths),
    exportGoproxy,
    finishPreflight,
    onVerdict,
    stats: () => relay.stats(),
    readAhead: () => {
      const r = relay.readAhead()
      return r.files > 0 ? r : undefined
    },
    allDown: () => relay.allDown(),
    downReport: () => (relay.allDown() ? downReport(relay.stats(), seen) : undefined),
    close: async () => {
      await relay.close()
      await dispatcher.close()
    }
  }
}

/** A proxy's verdict steers the relay: healthy ones first. A probe cut short (`unfinished`) says nothing. */
function follow(r: ProbeResult, relay: Relay, upstreams: ProxyEntry[]): void {
  // Preflight names endpoints by their redacted URL, netrc credentials (see withNetrc) included.
  const entry = upstreams.find((u) => redactUrl(u.url) === r.endpoint)
  if (entry && r.role === 'proxy' && r.verdict !== 'unfinished') relay.setHealthy(entry.url, r.verdict === 'ok')
}

/** "Every module proxy is down: <upstream> (preflight: timeout; relay: out of service after failing), ...". */
function downReport(stats: RelayUpstreamStats[], seen: ProbeResult[]): string {
  const each = stats.map((s) => {
    const verdict = seen.find((r) => r.role === 'proxy' && r.endpoint === s.upstream)?.verdict
    const found = [verdict && `preflight: ${verdict}`, s.tripped && 'relay: out of service after failing'].filter(
      Boolean
    )
    return `${s.upstream} (${found.join('; ') || 'down'})`
  })
  return `Every module proxy is down: ${each.join(', ')}`
}
