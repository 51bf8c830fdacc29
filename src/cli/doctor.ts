// `go-tidy-guard doctor`: the network go would use right now, checked the way a careful engineer does by hand
// (nslookup, telnet, curl): every GOPROXY entry and the checksum database (preflight/preflight.ts), each directly fetched
// private host's git https endpoint and the egress proxy (preflight/probe.ts), each stage timed; then the settings that
// weaken verification (config/review.ts) and the fix as commands to paste (cli/doctor-fix.ts).
import * as os from 'node:os'
import type { ProbeResult } from '../types.js'
import { findGo, stringEnv } from '../go/toolchain.js'
import { effectiveSettings, type Settings } from '../config/settings.js'
import { prepareAccess, withNetrc } from '../access/access.js'
import { startPreflight } from '../preflight/preflight.js'
import { probeUrl } from '../preflight/probe.js'
import { proxyEnv } from '../net/egress.js'
import { securityReview } from '../config/review.js'
import { redact, redactUrl } from '../lib/redact.js'
import { removeGuardedCredentialFiles } from '../access/credential-file.js'
import { readFlags, type CliArgs } from './args.js'
import { printable, table, type Term } from './term.js'
import { conflicts, fixes, goCannotWork, type Checked, type Diagnosis } from './doctor-fix.js'

export async function runDoctor(args: CliArgs, term: Term): Promise<number> {
  const inputs = readFlags(args)
  const go = await findGo()
  const settings = effectiveSettings(inputs, go.env)
  const access = await prepareAccess(inputs, os.tmpdir(), stringEnv(process.env))
  removeGuardedCredentialFiles() // only the parsed netrc entries and CAs are needed
  const checked = await probeAll(
    settings,
    access.extraCa,
    withNetrc(settings.proxies, access.netrc),
    inputs.preflightTimeoutMs
  )
  const security = securityReview({
    ...settings,
    GOINSECURE: go.env.GOINSECURE ?? '',
    GOFLAGS: go.env.GOFLAGS ?? '',
    netrcHosts: access.netrc.map((e) => e.machine)
  })
  const d: Diagnosis = { settings, goEnv: go.env, checked, security: conflicts(settings, security), env: process.env }
  if (args.json) {
    term.out(
      redact(
        JSON.stringify(
          {
            goVersion: go.version,
            ...d,
            env: undefined,
            settings: { ...settings, proxies: undefined },
            fix: fixes(d),
            ok: !goCannotWork(d)
          },
          null,
          2
        )
      )
    )
  } else render(term, go.version, d)
  return goCannotWork(d) ? 2 : 0
}

async function probeAll(
  settings: Settings,
  extraCa: string[] | undefined,
  proxies: Settings['proxies'],
  timeoutMs: number
): Promise<Checked[]> {
  const pre = startPreflight({ proxies, gosumdb: settings.GOSUMDB, timeoutMs, extraCa })
  const signal = AbortSignal.timeout(timeoutMs)
  const direct = directHosts(settings.GONOPROXY).map(async (d): Promise<Checked> => {
    const o = await probeUrl({ url: `https://${d.host}/`, signal, extraCa })
    const verdict = o.failure ? (o.failure.kind === 'egress' ? `http-${o.failure.status ?? 0}` : o.failure.kind) : 'ok'
    return {
      kind: 'private host',
      pattern: d.pattern,
      result: probeResult(`https://${d.host}/`, verdict as ProbeResult['verdict'], o)
    }
  })
  const egress = egressProbe(signal)
  const results = await pre.results
  const entries: Checked[] = results.map((r) => ({
    kind: r.role === 'proxy' ? 'module proxy' : 'checksum db',
    result: r
  }))
  return [...entries, ...(await Promise.all(direct)), ...(egress ? [await egress] : [])]
}

/** The egress proxy itself (HTTPS_PROXY, else HTTP_PROXY): reached directly; any HTTP answer means it is there. */
function egressProbe(signal: AbortSignal): Promise<Checked> | undefined {
  const pe = proxyEnv(process.env)
  const proxy = pe.https ?? pe.http
  if (!proxy) return undefined
  const url = `${proxy.protocol}//${proxy.host}/`
  return probeUrl({ url, signal, env: {} }).then((o) => ({
    kind: 'egress proxy',
    result: probeResult(
      redactUrl(proxy.href),
      o.failure ? (o.failure.kind === 'egress' ? 'unreachable' : o.failure.kind) : 'ok',
      o
    )
  }))
}

function probeResult(
  endpoint: string,
  verdict: ProbeResult['verdict'],
  o: Awaited<ReturnType<typeof probeUrl>>
): ProbeResult {
  const r: ProbeResult = { endpoint, role: 'proxy', verdict, hint: '', timings: o.timings }
  if (o.certificate) r.certificate = o.certificate
  r.detail = o.failure ? redact(o.failure.message) : `HTTP ${o.status}`
  if (o.via) r.via = o.via
  return r
}

/** Hosts go fetches directly (GONOPROXY, GOPRIVATE's default): the first element of each pattern without a wildcard. */
export function directHosts(gonoproxy: string): Array<{ pattern: string; host: string }> {
  const out: Array<{ pattern: string; host: string }> = []
  for (const pattern of gonoproxy
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const host = pattern.split('/')[0].toLowerCase()
    if (/[*?[\]]/.test(host) || !host.includes('.') || out.some((o) => o.host === host)) continue
    out.push({ pattern, host })
  }
  return out
}

/** The stage where a failing endpoint stopped. */
export function failedStage(r: ProbeResult): string {
  if (r.verdict.startsWith('tls')) return 'TLS'
  if (r.verdict === 'dns') return 'DNS'
  if (r.verdict === 'refused') return 'TCP'
  if (r.verdict.startsWith('http') || r.verdict === 'auth') return 'HTTP'
  const ran = (['dns', 'tcp', 'tls', 'http'] as const).filter((s) => r.timings[s] !== undefined)
  return (ran[ran.length - 1] ?? 'dns').toUpperCase()
}

function render(term: Term, goVersion: string, d: Diagnosis): void {
  const { c } = term
  const s = d.settings
  term.out(c.bold(`go-tidy-guard doctor (go ${goVersion})`))
  for (const name of ['GOPROXY', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB'] as const)
    term.out(`  ${name}=${printable(redact(s[name]))}`)
  term.out()
  term.out(c.bold('Endpoints'))
  const ms = (n?: number): string => (n === undefined ? '-' : `${n}`)
  const rows = [['what', 'endpoint', 'dns', 'tcp', 'tls', 'http', 'total ms', 'verdict']]
  for (const e of d.checked) {
    const t = e.result.timings
    rows.push([
      e.kind,
      printable(e.result.endpoint),
      ms(t.dns),
      ms(t.tcp),
      ms(t.tls),
      ms(t.http),
      ms(t.total),
      e.result.verdict
    ])
  }
  const paint = (ri: number, ci: number, cell: string): string =>
    ri === 0
      ? c.dim(cell)
      : ci === 7
        ? cell === 'ok'
          ? c.green(cell)
          : cell === 'unfinished'
            ? c.dim(cell)
            : c.red(cell)
        : cell
  for (const line of table(rows, paint)) term.out('  ' + line)
  for (const e of d.checked) renderFailure(term, e)
  term.out()
  if (d.security.length > 0) {
    term.out(c.bold('Settings that weaken verification or conflict'))
    for (const f of d.security) term.out(`  ${c.yellow('!')} ${printable(f.title)}: ${printable(f.message)}`)
    term.out()
  }
  const fix = fixes(d)
  if (fix.length > 0) {
    term.out(c.bold('Fix'))
    for (const line of fix) term.out(line.startsWith('#') ? c.dim(`  ${line}`) : `  ${line}`)
    term.out()
  }
  term.out(
    goCannotWork(d)
      ? c.red('✖ go cannot work as configured: apply the fix above, then run go-tidy-guard doctor again')
      : c.green('✔ go can reach what it needs as configured')
  )
}

function renderFailure(term: Term, e: Checked): void {
  const r = e.result
  if (r.verdict === 'ok' || r.verdict === 'unfinished') return
  const { c } = term
  term.out(
    `  ${c.red('✖')} ${e.kind} ${printable(r.endpoint)}: ${r.verdict} at the ${failedStage(r)} stage${r.detail ? ` (${printable(r.detail)})` : ''}`
  )
  if (r.certificate) {
    term.out(`      certificate subject: ${printable(r.certificate.subject)}`)
    term.out(`      certificate issuer:  ${printable(r.certificate.issuer)}`)
    if (r.verdict === 'tls-untrusted')
      term.out(
        `      ${c.yellow('a TLS-intercepting gateway (or a private CA) answers for this host with a certificate this machine does not trust')}`
      )
  }
  if (r.via) term.out(`      through the egress proxy ${printable(r.via)}`)
  if (r.hint) term.out(`      ${printable(r.hint)}`)
}
