// The checks preflight runs for one endpoint: a module proxy, a proxy's checksum-database
// support, the checksum database itself. Each turns a staged probe into a ProbeResult.
import { stat } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { hintFor, verdictOf, type RequestKind } from './hints.js'
import { probeUrl, type ProbeOutcome } from './probe.js'
import { withScheme } from '../config/proxylist.js'
import { infoPath, type ProbeModule } from './target.js'
import { redact, redactUrl } from '../lib/redact.js'
import { joinUrl, supportedUrl, type SupportedAnswer } from './sumdb-route.js'
import type { ProbeResult } from '../types.js'

/** A ProbeResult that also says which egress proxy the probe went through (redacted). */
export type PreflightResult = ProbeResult & { via?: string }

export interface CheckContext {
  /** A module this run needs: proxies are asked for its `.info` (see preflight/target.ts). */
  probeModule?: ProbeModule
  signal: AbortSignal
  timeoutMs: number
  extraCa?: string[]
  env?: NodeJS.ProcessEnv
}

/** Asked when no module is known to be needed: no version of it can exist, so proxies answer 404/410 (or refuse it). */
export const PROBE_PATH = 'example.com/go-tidy-guard-probe/@v/list'

/** A GOPROXY entry as the URL go asks (config/proxylist.ts has the rule). */
export function normalizeProxyUrl(url: string): string {
  return withScheme(url)
}

function hostOf(url: string): string {
  try {
    const u = new URL(url)
    return u.host || u.pathname
  } catch {
    return redact(url)
  }
}

/** Builds the ProbeResult for an outcome. `endpoint` must already be redacted. */
export function toResult(
  endpoint: string,
  role: ProbeResult['role'],
  o: ProbeOutcome,
  kind: RequestKind,
  ctx: CheckContext,
  requestUrl: string
): PreflightResult {
  const target = new URL(requestUrl)
  const verdict = verdictOf(o, kind, target.username !== '' || target.password !== '')
  const module =
    kind === 'proxy-module' && ctx.probeModule ? `${ctx.probeModule.path}@${ctx.probeModule.version}` : undefined
  const r: PreflightResult = {
    endpoint,
    role,
    verdict,
    hint: hintFor(verdict, { role, module, host: hostOf(requestUrl), timeoutMs: ctx.timeoutMs, outcome: o }),
    timings: o.timings
  }
  if (o.certificate) r.certificate = o.certificate
  const path = redact(target.pathname)
  r.detail = o.failure ? redact(o.failure.message) : `HTTP ${o.status} for GET ${path}`
  if (o.via) r.via = o.via
  return r
}

// go reads file:// proxies from disk; a missing directory is the only thing that can be wrong.
async function checkFileUrl(url: string): Promise<ProbeOutcome> {
  const t = Date.now()
  try {
    await stat(fileURLToPath(url))
    return { status: 200, timings: { total: Date.now() - t } }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    return { status: code === 'ENOENT' || code === 'ENOTDIR' ? 404 : 500, timings: { total: Date.now() - t } }
  }
}

async function run(url: string, ctx: CheckContext): Promise<ProbeOutcome> {
  if (url.startsWith('file:')) return checkFileUrl(url)
  return probeUrl({ url, signal: ctx.signal, extraCa: ctx.extraCa, env: ctx.env })
}

/** Probes one module proxy with a protocol request: a module the run needs, else one that no proxy has. */
export async function checkProxy(url: string, ctx: CheckContext): Promise<PreflightResult> {
  const base = normalizeProxyUrl(url)
  const endpoint = redactUrl(url)
  if (base.startsWith('file:')) {
    const o = await checkFileUrl(base)
    const r = toResult(endpoint, 'proxy', o, 'sumdb-latest', ctx, base)
    r.detail = o.status === 200 ? 'directory exists' : 'no such directory'
    if (r.verdict !== 'ok') {
      r.verdict = 'unreachable'
      r.hint = `The directory of this file:// proxy cannot be read: check the path in GOPROXY.`
    }
    return r
  }
  if (ctx.probeModule) {
    const target = joinUrl(base, infoPath(ctx.probeModule))
    return toResult(endpoint, 'proxy', await run(target, ctx), 'proxy-module', ctx, target)
  }
  const target = joinUrl(base, PROBE_PATH)
  return toResult(endpoint, 'proxy', await run(target, ctx), 'proxy-list', ctx, target)
}

export interface SupportedCheck extends SupportedAnswer {
  result: PreflightResult
}

/** Asks a proxy whether it relays the checksum database `name` (`/sumdb/<name>/supported`). */
export async function checkSupported(url: string, name: string, ctx: CheckContext): Promise<SupportedCheck> {
  const base = normalizeProxyUrl(url)
  const target = supportedUrl(base, name)
  const o = await run(target, ctx)
  const result = toResult(redactUrl(joinUrl(base, `sumdb/${name}`)), 'sumdb', o, 'sumdb-supported', ctx, target)
  if (o.failure) return { answer: 'error', result }
  if (o.status === 200) return { answer: 'supported', result }
  if (o.status === 404 || o.status === 410) return { answer: 'not-found', result }
  return { answer: 'error', result }
}

/** Probes a checksum database reached directly (or at GOSUMDB's explicit URL): GET <base>/latest. */
export async function checkSumdb(base: string, ctx: CheckContext): Promise<PreflightResult> {
  const target = joinUrl(base, 'latest')
  return toResult(redactUrl(base), 'sumdb', await run(target, ctx), 'sumdb-latest', ctx, target)
}
