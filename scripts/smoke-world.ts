// `npm run smoke`: this machine's real Go configuration, read from `go env` at run time (never written into the
// project), the environments go and the action get from it, and bare `go mod tidy -diff` as the reference verdict.
import { execFileSync } from 'node:child_process'
import { GO_BIN, makeGoEnv, runGo, type GoEnv } from '../__tests__/helpers/gotest-env.js'

export type Verdict = 'tidy' | 'drift' | 'error' | 'timeout' | 'missing'

export interface Timed {
  verdict: Verdict
  ms: number
  /** Why, in one line, when the verdict is error/timeout/missing. */
  detail: string
}

/** What go on this machine uses, and the names an annotation would use for the real proxies and checksum database. */
export interface RealWorld {
  goproxy: string
  gosumdb: string
  /** GOPROXY, GOSUMDB, GOFLAGS, … as `go env` prints them: given to every go process and to the action. */
  goVars: Record<string, string>
  /** The host's network variables (egress proxy, CA bundles), forwarded as a runner on this machine would. */
  netVars: Record<string, string>
  /** Hosts (host[:port]) of the real proxies in GOPROXY. */
  proxyHosts: string[]
  /** The checksum database's name and, when GOSUMDB names one, its URL's host. */
  sumdbNames: string[]
}

const GO_VARS = ['GOPROXY', 'GOSUMDB', 'GOFLAGS', 'GONOSUMDB', 'GONOPROXY', 'GOPRIVATE', 'GOINSECURE', 'GOVCS']
const NET_VARS = [
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS'
]

/** Reads the real configuration with the host's own environment (its go env file included). */
export function readRealWorld(): RealWorld {
  const json = execFileSync(GO_BIN, ['env', '-json', ...GO_VARS], { encoding: 'utf8', env: process.env })
  const goVars = JSON.parse(json) as Record<string, string>
  const entries = goVars.GOPROXY.split(/[,|]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
  const proxyHosts = entries.filter((e) => /^https?:\/\//i.test(e)).map((e) => new URL(e).host)
  if (proxyHosts.length === 0)
    throw new Error(`go env GOPROXY is ${JSON.stringify(goVars.GOPROXY)}: the smoke needs a module proxy`)
  const [sumdb = 'off', , sumdbUrl] = goVars.GOSUMDB.trim().split(/\s+/)
  const sumdbNames = sumdb === 'off' ? [] : [sumdb.split('+')[0]]
  if (sumdbUrl && /^https?:\/\//i.test(sumdbUrl)) sumdbNames.push(new URL(sumdbUrl).host)
  const netVars: Record<string, string> = {}
  for (const name of NET_VARS.flatMap((n) => [n, n.toLowerCase()])) {
    const v = process.env[name]
    if (v !== undefined && v !== '') netVars[name] = v
  }
  return { goproxy: goVars.GOPROXY, gosumdb: goVars.GOSUMDB, goVars, netVars, proxyHosts, sumdbNames }
}

/**
 * An isolated go environment (own HOME/GOPATH/GOMODCACHE/GOCACHE, GOTOOLCHAIN=local) that uses the real GOPROXY,
 * GOSUMDB and GOFLAGS instead of makeGoEnv's hermetic defaults, plus the host's egress proxy and CA variables.
 */
export function makeRealGoEnv(w: RealWorld): GoEnv {
  return makeGoEnv(w.goproxy, { ...w.goVars, ...w.netVars, GOTOOLCHAIN: 'local' })
}

/** Bare `go mod tidy -diff`: exit 0 = tidy; exit 1 with a diff on stdout = drift; anything else = error. */
export async function bareTidy(dir: string, env: Record<string, string>, timeoutMs: number): Promise<Timed> {
  const r = await runGo(['mod', 'tidy', '-diff'], { cwd: dir, env, timeoutMs })
  if (r.timedOut)
    return { verdict: 'timeout', ms: r.durationMs, detail: `killed after ${Math.round(timeoutMs / 1000)} s` }
  if (r.code === 0) return { verdict: 'tidy', ms: r.durationMs, detail: '' }
  if (r.code === 1 && /^diff /m.test(r.stdout)) return { verdict: 'drift', ms: r.durationMs, detail: '' }
  return { verdict: 'error', ms: r.durationMs, detail: `exit ${r.code}: ${lastLine(r.stderr)}` }
}

/** Runs go and throws with its output on failure (used to build the subjects, not to judge anything). */
export async function goOrThrow(args: string[], dir: string, env: Record<string, string>): Promise<string> {
  const r = await runGo(args, { cwd: dir, env, timeoutMs: 180_000 })
  if (r.code !== 0) throw new Error(`go ${args.join(' ')} in ${dir} failed (exit ${r.code}):\n${r.stderr}`)
  return r.stdout
}

export function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
  return (lines[lines.length - 1] ?? '').trim().slice(0, 200)
}
