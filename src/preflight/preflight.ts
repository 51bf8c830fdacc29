// Preflight: probes every module proxy and the checksum database concurrently under one shared
// deadline, and hands out verdicts as they arrive so tidy can start at the first healthy proxy.
import { setMaxListeners } from 'node:events'
import {
  checkProxy,
  checkSumdb,
  checkSupported,
  normalizeProxyUrl,
  type CheckContext,
  type PreflightResult,
  type SupportedCheck
} from './checks.js'
import { CutShort } from './probe-net.js'
import type { ProbeModule } from './target.js'
import { redact, redactUrl } from '../lib/redact.js'
import { UNFINISHED_HINT } from './hints.js'
import { parseGosumdb, resolveSumdbRoute, type SumdbConfig } from './sumdb-route.js'
import type { ProbeResult, ProxyEntry } from '../types.js'
import { errorMessage } from '../lib/errors.js'

export type { PreflightResult } from './checks.js'

export interface PreflightOptions {
  /** Effective GOPROXY entries; 'direct'/'off' are skipped. */
  proxies: ProxyEntry[]
  /** Effective GOSUMDB: 'off' | 'name' | 'name+key' | 'name+key url'. */
  gosumdb: string
  /** All probes together finish within this plus a small margin. */
  timeoutMs: number
  /** PEM certificates trusted in addition to the default roots. */
  extraCa?: string[]
  /** For HTTP_PROXY / HTTPS_PROXY / NO_PROXY (default process.env). */
  env?: NodeJS.ProcessEnv
  /** A module the run needs, asked of each proxy (see preflight/target.ts). */
  probeModule?: ProbeModule
}

export interface Preflight {
  /** Every verdict, in input order (proxies, then the checksum database). Never rejects. */
  results: Promise<ProbeResult[]>
  /** The first proxy verdict that is 'ok', as soon as it arrives; undefined when none is. */
  firstOk: Promise<ProbeResult | undefined>
  /** Every proxy's verdict (not the checksum database's), within the deadline. Never rejects. */
  proxies: Promise<ProbeResult[]>
  /**
   * Calls `cb` for each verdict as it arrives (`entry` is set for proxies). Verdicts that arrived
   * before the call are replayed at once, so a late subscriber misses none. Errors thrown by
   * `cb` are ignored: they must not stop the other verdicts.
   */
  onResult(cb: (r: ProbeResult, entry?: ProxyEntry) => void): void
  /**
   * Ends the probes still running now, as `unfinished` (not a failure: nothing is known about them): once tidy
   * is done, waiting out a dead endpoint's full preflight-timeout would only make the step slower.
   */
  finish(): Promise<ProbeResult[]>
}

export function startPreflight(opts: PreflightOptions): Preflight {
  const ac = new AbortController()
  setMaxListeners(0, ac.signal) // one abort listener per running stage, however many endpoints
  const timer = setTimeout(() => ac.abort(), Math.max(0, opts.timeoutMs))
  timer.unref()
  const started = Date.now()
  const ctx: CheckContext = {
    signal: ac.signal,
    timeoutMs: opts.timeoutMs,
    extraCa: opts.extraCa,
    env: opts.env,
    probeModule: opts.probeModule
  }

  const arrived: Array<[ProbeResult, ProxyEntry | undefined]> = []
  const listeners: Array<(r: ProbeResult, entry?: ProxyEntry) => void> = []
  const deliver = (cb: (r: ProbeResult, entry?: ProxyEntry) => void, r: ProbeResult, e?: ProxyEntry): void => {
    try {
      cb(r, e)
    } catch {
      // a listener's bug must not cost the other verdicts
    }
  }
  const emit = (r: ProbeResult, e?: ProxyEntry): ProbeResult => {
    arrived.push([r, e])
    for (const cb of listeners) deliver(cb, r, e)
    return r
  }

  const urlEntries = opts.proxies.filter((p) => p.kind === 'url')
  const proxyChecks = urlEntries.map((e) => safely(checkProxy(e.url, ctx), e.url, 'proxy').then((r) => emit(r, e)))
  const sumdbCheck = checkSumdbRoute(opts, ctx).then((r) => (r ? emit(r) : undefined))

  const firstOk = new Promise<ProbeResult | undefined>((resolve) => {
    for (const p of proxyChecks) void p.then((r) => r.verdict === 'ok' && resolve(r))
    void Promise.all(proxyChecks).then(() => resolve(undefined))
  })
  const results = Promise.all([...proxyChecks, sumdbCheck]).then((all) => {
    clearTimeout(timer)
    ac.abort() // nothing may outlive preflight
    return all.filter((r): r is ProbeResult => r !== undefined)
  })
  return {
    results,
    firstOk,
    proxies: Promise.all(proxyChecks),
    onResult(cb) {
      listeners.push(cb)
      for (const [r, e] of arrived) deliver(cb, r, e)
    },
    finish() {
      if (!ac.signal.aborted) {
        ctx.timeoutMs = Math.min(opts.timeoutMs, Date.now() - started) // what the hints say they waited
        ac.abort(new CutShort())
      }
      return results
    }
  }
}

// A check must never reject: an unexpected error is still a verdict.
function safely(p: Promise<PreflightResult>, url: string, role: ProbeResult['role']): Promise<PreflightResult> {
  return p.catch((e: unknown) => ({
    endpoint: redactUrl(url),
    role,
    verdict: 'unreachable' as const,
    hint: 'Preflight could not probe this endpoint; see the detail.',
    timings: { total: 0 },
    detail: redact(String(e instanceof Error ? e.message : e))
  }))
}

async function checkSumdbRoute(opts: PreflightOptions, ctx: CheckContext): Promise<PreflightResult | undefined> {
  let cfg: SumdbConfig | undefined
  try {
    cfg = parseGosumdb(opts.gosumdb)
  } catch (e) {
    return invalidGosumdb(opts.gosumdb, e)
  }
  if (!cfg) return undefined
  const name = cfg.name
  // Every proxy is asked at once; the answers are then read in GOPROXY order, as go tries them.
  const entries = opts.proxies.map((e) => (e.kind === 'url' ? { ...e, url: normalizeProxyUrl(e.url) } : e))
  const asks = new Map<ProxyEntry, Promise<SupportedCheck>>()
  if (!cfg.url) {
    for (const e of untilKeyword(entries)) {
      const check = checkSupported(e.url, name, ctx).catch(async (err: unknown) => ({
        answer: 'error' as const,
        result: await safely(Promise.reject(err as Error), e.url, 'sumdb')
      }))
      asks.set(e, check)
    }
  }
  const route = await resolveSumdbRoute(cfg, entries, (e) => asks.get(e)!)
  switch (route.via) {
    case 'proxy':
      return {
        ...route.answer.result,
        hint: `The checksum database answers through the proxy ${redactUrl(route.entry.url)}.`
      }
    case 'unavailable': {
      const r = route.answer.result
      return {
        ...r,
        hint: `go reaches the checksum database through this proxy (GOSUMDB has no URL) and it failed: ${r.hint}`
      }
    }
    default:
      if (ctx.signal.aborted) return lateSumdb(route.base, name, ctx.signal.reason instanceof CutShort)
      return safely(checkSumdb(route.base, ctx), route.base, 'sumdb')
  }
}

/** The url entries go may use: 'direct' and 'off' end go's list. */
function untilKeyword(proxies: ProxyEntry[]): ProxyEntry[] {
  const end = proxies.findIndex((p) => p.kind !== 'url')
  return end < 0 ? proxies : proxies.slice(0, end)
}

function invalidGosumdb(gosumdb: string, e: unknown): PreflightResult {
  const message = errorMessage(e)
  return {
    endpoint: redact(gosumdb),
    role: 'sumdb',
    verdict: 'unreachable',
    hint: `go cannot use this GOSUMDB: ${redact(message)}`,
    timings: { total: 0 }
  }
}

function lateSumdb(base: string, name: string, cutShort: boolean): PreflightResult {
  const r = { endpoint: redactUrl(base), role: 'sumdb' as const, timings: { total: 0 } }
  if (cutShort) {
    return { ...r, verdict: 'unfinished', hint: UNFINISHED_HINT, detail: 'tidy finished before the probe started' }
  }
  return {
    ...r,
    verdict: 'timeout',
    hint: `The deadline passed before the checksum database could be probed: a proxy answered /sumdb/${name}/supported too late.`,
    detail: 'deadline reached before the probe started'
  }
}

/** Verdicts that mean the endpoint could not be talked to at all (as opposed to an HTTP answer). */
const TRANSPORT_FAILURES: ReadonlySet<string> = new Set([
  'dns',
  'refused',
  'timeout',
  'tls-untrusted',
  'tls-other',
  'unreachable'
])

/**
 * For go without the relay, which has no timeout for a silent proxy: the network proxies (healthy first) without
 * those preflight could not talk to at all, keeping at least the first one.
 */
export function withoutUnreachable(ordered: ProxyEntry[], results: ProbeResult[]): ProxyEntry[] {
  const failed = (e: ProxyEntry): boolean => {
    const r = results.find((x) => x.role === 'proxy' && x.endpoint === redactUrl(e.url))
    return e.kind === 'url' && r !== undefined && TRANSPORT_FAILURES.has(r.verdict)
  }
  const kept = ordered.filter((e) => !failed(e))
  return kept.length > 0 ? kept : ordered.slice(0, 1)
}

/**
 * The proxies with those whose verdict is 'ok' first, then those without a verdict yet, then the
 * failing ones; stable within each group. Only the url entries before the first keyword move:
 * 'direct'/'off' end go's list and stay last. Separators stay with their positions, so the list
 * keeps the shape the user gave it.
 */
export function orderHealthyFirst(proxies: ProxyEntry[], results: ProbeResult[]): ProxyEntry[] {
  const head = untilKeyword(proxies)
  const rank = (e: ProxyEntry): number => {
    const endpoint = redactUrl(e.url)
    const r = results.find((x) => x.role === 'proxy' && x.endpoint === endpoint)
    return !r || r.verdict === 'unfinished' ? 1 : r.verdict === 'ok' ? 0 : 2
  }
  const sorted = head
    .map((e, i) => ({ e, i, k: rank(e) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map(({ e }, pos) => ({ ...e, separator: head[pos].separator }))
  return [...sorted, ...proxies.slice(head.length)]
}
