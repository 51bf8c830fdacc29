// doctor's judgement: whether go can work as configured (walking GOPROXY as go does), the settings that conflict,
// and the fix as commands to paste. Settings that come from the environment are fixed with `export`/`unset`
// (go env -w cannot override them); the others with `go env -w`/`go env -u`.
import type { ProbeResult, SecurityFinding } from '../types.js'
import type { Settings } from '../config/settings.js'
import { formatProxyList } from '../config/proxylist.js'
import { redact, redactUrl } from '../lib/redact.js'
import { systemBundleFile } from '../access/ca-trust.js'

export interface Checked {
  kind: 'module proxy' | 'checksum db' | 'private host' | 'egress proxy'
  /** For private hosts: the GONOPROXY pattern they serve. */
  pattern?: string
  result: ProbeResult
}

export interface Diagnosis {
  settings: Settings
  goEnv: Record<string, string>
  checked: Checked[]
  security: SecurityFinding[]
  env: NodeJS.ProcessEnv
}

const failed = (r: ProbeResult): boolean => r.verdict !== 'ok' && r.verdict !== 'unfinished'

/** Security findings, plus a GOPROXY that ends in `off`. */
export function conflicts(s: Settings, security: SecurityFinding[]): SecurityFinding[] {
  const last = s.proxies[s.proxies.length - 1]
  if (last?.kind !== 'off') return security
  return [
    ...security,
    {
      title: 'GOPROXY ends in off',
      message: `GOPROXY=${redact(s.GOPROXY)}: a module none of the proxies serves fails instead of being fetched directly.`
    }
  ]
}

/** go tries GOPROXY in order: on to the next entry after `|` on any error, after `,` only on 404/410. */
function proxiesWork(d: Diagnosis): boolean {
  for (const e of d.settings.proxies) {
    if (e.kind === 'direct') return true
    if (e.kind === 'off') return false
    const r = d.checked.find((c) => c.kind === 'module proxy' && c.result.endpoint === redactUrl(e.url))?.result
    if (!r || !failed(r)) return true
    if (e.separator !== '|') return false
  }
  return false
}

export function goCannotWork(d: Diagnosis): boolean {
  const broken = d.checked.some((c) => c.kind !== 'module proxy' && failed(c.result))
  return broken || !proxiesWork(d)
}

/** Sets a go setting the way that takes effect: `export` when the environment sets it, else `go env -w`. */
function setting(d: Diagnosis, name: string, value: string | undefined): string {
  const fromEnv = d.env[name] !== undefined
  const quoted = value === undefined ? '' : /^[\w.,/:@+|*-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`
  if (value === undefined) return fromEnv ? `unset ${name}` : `go env -u ${name}`
  return fromEnv ? `export ${name}=${quoted}` : `go env -w ${name}=${quoted}`
}

export function fixes(d: Diagnosis): string[] {
  const out: string[] = []
  const bad = d.checked.filter((c) => failed(c.result))
  const untrusted = bad.find((c) => c.result.verdict === 'tls-untrusted')
  if (untrusted) {
    const host = hostOf(untrusted.result.endpoint)
    out.push(
      `# ${host} presents a certificate from "${untrusted.result.certificate?.issuer ?? 'an unknown issuer'}": trust that CA (ask IT for its PEM file, or save the last certificate of the chain shown by:)`
    )
    out.push(`openssl s_client -showcerts -connect ${host} </dev/null`)
    const system = systemBundleFile(d.env) ?? '<the system CA bundle>'
    out.push(`cat ${system} gateway-ca.pem > ~/.config/go-ca-bundle.pem   # the system CAs plus the gateway's`)
    out.push(
      'export SSL_CERT_FILE=~/.config/go-ca-bundle.pem   # go and git trust it; go-tidy-guard: --ca-certificates gateway-ca.pem'
    )
  }
  out.push(...proxyFixes(d, bad))
  for (const c of bad.filter((b) => b.kind === 'private host' && b.result.verdict !== 'tls-untrusted')) {
    out.push(
      `# private modules ${c.pattern} are fetched directly (git over https) from ${hostOf(c.result.endpoint)}: make it reachable, or add a proxy that serves them; credentials go in ~/.netrc (chmod 600):`
    )
    out.push(`echo 'machine ${hostOf(c.result.endpoint)} login <user> password <token>' >> ~/.netrc`)
  }
  const egress = bad.find((b) => b.kind === 'egress proxy')
  if (egress)
    out.push(
      `# the egress proxy ${egress.result.endpoint} does not answer: fix HTTPS_PROXY/HTTP_PROXY, or unset them if this network needs none`
    )
  const sumdb = bad.find((b) => b.kind === 'checksum db' && b.result.verdict !== 'tls-untrusted')
  if (sumdb)
    out.push(
      `# the checksum database ${sumdb.result.endpoint}: ${sumdb.result.hint}`,
      `# if your company mirrors it: ${setting(d, 'GOSUMDB', '<name>+<key> https://<mirror>/sumdb/<name>')}`
    )
  out.push(...settingFixes(d))
  return out.map(redact)
}

function proxyFixes(d: Diagnosis, bad: Checked[]): string[] {
  const proxies = d.settings.proxies
  const badProxy = (url: string): Checked | undefined =>
    bad.find((b) => b.kind === 'module proxy' && b.result.endpoint === redactUrl(url))
  const failing = proxies.filter((p) => p.kind === 'url' && badProxy(p.url))
  if (failing.length === 0) return []
  const out: string[] = []
  for (const p of failing) {
    const r = badProxy(p.url)!.result
    if (r.verdict === 'auth' || r.verdict === 'http-401' || r.verdict === 'http-403') {
      out.push(`# ${r.endpoint} wants credentials: put them in ~/.netrc (chmod 600), which go sends to that host:`)
      out.push(`echo 'machine ${hostOf(r.endpoint)} login <user> password <token>' >> ~/.netrc`)
    }
  }
  const healthy = proxies.filter((p) => p.kind !== 'url' || !badProxy(p.url))
  if (healthy.some((p) => p.kind === 'url')) {
    out.push(`# leave out the module proxies that fail (${failing.map((p) => p.display).join(', ')}):`)
    out.push(
      setting(
        d,
        'GOPROXY',
        formatProxyList(
          healthy.map((p, i) => ({ ...p, separator: i === healthy.length - 1 ? '' : '|' })),
          undefined,
          true
        )
      )
    )
  } else if (
    !d.env.HTTPS_PROXY &&
    !d.env.https_proxy &&
    failing.some((p) => ['dns', 'refused', 'timeout'].includes(badProxy(p.url)!.result.verdict))
  ) {
    out.push('# no module proxy answers: if this network reaches the internet only through an egress proxy, name it:')
    out.push('export HTTPS_PROXY=http://<proxy host>:<port>')
  }
  if (failing.some((p) => /^(timeout|http-5\d\d)$/.test(badProxy(p.url)!.result.verdict))) {
    out.push(
      '# or let go-tidy-guard retry and fail over for every go command: go-tidy-guard relay (it prints the GOPROXY to export)'
    )
  }
  return out
}

function settingFixes(d: Diagnosis): string[] {
  const out: string[] = []
  for (const f of d.security) {
    if (f.title === 'Checksum database disabled')
      out.push(setting(d, 'GOSUMDB', undefined) + "   # back to go's default checksum database")
    else if (f.title === 'Insecure module fetches allowed') out.push(setting(d, 'GOINSECURE', undefined))
    else if (f.title === 'GOFLAGS contains -insecure') {
      const flags = (d.goEnv.GOFLAGS ?? '')
        .split(/\s+/)
        .filter((x) => x && !/^--?insecure(=.*)?$/.test(x))
        .join(' ')
      out.push(setting(d, 'GOFLAGS', flags === '' ? undefined : flags))
    } else if (f.title === 'GONOSUMDB broader than GOPRIVATE')
      out.push(setting(d, 'GONOSUMDB', d.settings.GOPRIVATE || undefined))
    else if (f.title === 'GOPROXY ends in off') {
      const list = d.settings.proxies.slice(0, -1)
      out.push(`# only if modules no proxy serves may be fetched from their origin:`)
      out.push(setting(d, 'GOPROXY', [formatProxyList(list, undefined, true), 'direct'].filter(Boolean).join(',')))
    }
  }
  return out
}

function hostOf(endpoint: string): string {
  try {
    const u = new URL(endpoint)
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`
  } catch {
    return endpoint
  }
}
