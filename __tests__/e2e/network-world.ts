// Shared by the network e2e tests (network-*.test.ts): fixture modules, a module made tidy once by the real
// go through a healthy proxy, runs of the bundled action on a fresh module cache, and readers for what the
// runner shows (preflight verdicts, the relay table of the job summary).
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ProbeResult } from '../../src/types.js'
import {
  startFixtureProxy,
  type Fault,
  type FixtureProxy,
  type FixtureProxyOptions,
  type LogEntry
} from '../helpers/fixture-proxy.js'
import { buildModuleZip, goSumLines, incompressibleBytes, type FixtureModule } from '../helpers/modzip.js'
import { makeGoEnv, makeTempDir, runGo, writeModule, type GoEnv } from '../helpers/gotest-env.js'
import { makeWorkspace, runAction, type ActionRun } from '../helpers/runner.js'
import { closeAll, onClose } from '../helpers/closers.js'

export const greeting: FixtureModule = { path: 'example.com/greeting', version: 'v1.0.0' }
// Big enough that a fault "mid-zip" really cuts a body in the middle of several TCP writes.
export const lib: FixtureModule = {
  path: 'example.com/lib',
  version: 'v1.0.0',
  files: { 'lib.go': 'package lib\n', 'testdata/blob.bin': incompressibleBytes(256 * 1024, 'example.com/lib') }
}
export const MODULES: FixtureModule[] = [greeting, lib]
const APP_FILES = ['go.mod', 'go.sum', 'main.go'] as const

export { closeAll, onClose }

/** A fixture proxy serving MODULES, closed by closeAll. */
export async function proxy(
  opts: Omit<FixtureProxyOptions, 'modules'> & { faults?: Fault[] } = {}
): Promise<FixtureProxy> {
  return onClose(await startFixtureProxy({ modules: MODULES, ...opts }))
}

/**
 * The app module (imports both fixtures) as go itself writes it when tidy, made once through its own healthy
 * proxy and env, so the action's go later starts from an empty module cache and really downloads.
 */
export async function makeTidyTemplate(): Promise<string> {
  const healthy = await proxy()
  const env: GoEnv = makeGoEnv(healthy.url)
  onClose({ close: () => env.cleanup() })
  const dir = makeTempDir('gtg-net-app-')
  writeModule(dir, {
    path: 'example.com/app',
    requires: { 'example.com/greeting': 'v1.0.0', 'example.com/lib': 'v1.0.0' },
    imports: ['example.com/greeting', 'example.com/lib']
  })
  const r = await runGo(['mod', 'tidy'], { cwd: dir, env: env.env })
  if (r.code !== 0) throw new Error(`go mod tidy: ${r.stderr}`)
  const sum = readFileSync(join(dir, 'go.sum'), 'utf8')
  const want = [...goSumLines(greeting), ...goSumLines(lib)].sort().join('\n') + '\n'
  if (sum !== want) throw new Error(`unexpected go.sum from go:\n${sum}`)
  return dir
}

/** A fresh workspace holding the tidy app. */
export function workspaceFrom(template: string): string {
  const ws = makeWorkspace()
  for (const f of APP_FILES) copyFileSync(join(template, f), join(ws, f))
  return ws
}

export interface NetRun extends ActionRun {
  ms: number
  /** The module cache the action's go used (fresh for this run). */
  gomodcache: string
}

/** Runs the action in check mode without the cache, on an empty module cache, with `goproxy` as the input. */
export async function runNet(
  ws: string,
  goproxy: string,
  inputs: Record<string, string> = {},
  extraEnv: Record<string, string | undefined> = {}
): Promise<NetRun> {
  // The env's own GOPROXY is never used: the input wins. A refused port makes a mistake there loud.
  const e = makeGoEnv('http://127.0.0.1:9/unused', extraEnv)
  onClose({ close: () => e.cleanup() })
  const started = Date.now()
  const r = await runAction({
    workspace: ws,
    inputs: { cache: 'false', 'preflight-timeout': '2', goproxy, ...inputs },
    env: e.env,
    timeoutMs: 90_000,
    // To try a src/ fix before dist/ is rebuilt: bundle a copy of the repository and point this at it.
    actionDir: process.env.GTG_ACTION_DIR
  })
  return { ...r, ms: Date.now() - started, gomodcache: e.env.GOMODCACHE }
}

export function preflightOf(r: ActionRun): ProbeResult[] {
  if (!r.outputs.preflight) throw new Error(`no preflight output; stdout:\n${r.stdout}`)
  return JSON.parse(r.outputs.preflight) as ProbeResult[]
}

/** The verdict preflight gave `endpoint` (redacted URL as shown). */
export function verdict(r: ActionRun, endpoint: string): ProbeResult {
  const found = preflightOf(r).find((p) => p.role === 'proxy' && p.endpoint === endpoint)
  if (!found) throw new Error(`no preflight verdict for ${endpoint} in ${r.outputs.preflight}`)
  return found
}

export interface RelayRow {
  requests: number
  bytes: number
  retries: number
  hedges: number
  failures: number
  state: string
}

/** The relay table of the job summary, by upstream (as displayed, redacted). */
export function relayRows(summary: string): Map<string, RelayRow> {
  const rows = new Map<string, RelayRow>()
  const section = summary.split('### Relay')[1]
  if (section === undefined) return rows
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('###')) break
    const m = /^\| `([^`]+)` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| [^|]+ \| ([^|]+) \|$/.exec(line)
    if (m)
      rows.set(m[1], {
        requests: +m[2],
        bytes: +m[3],
        retries: +m[4],
        hedges: +m[5],
        failures: +m[6],
        state: m[7].trim()
      })
  }
  return rows
}

export function relayRow(r: ActionRun, upstream: string): RelayRow {
  const row = relayRows(r.summary).get(upstream)
  if (!row) throw new Error(`no relay row for ${upstream} in the summary:\n${r.summary}`)
  return row
}

/** The preflight table line of the summary for `endpoint`. */
export function preflightLine(r: ActionRun, endpoint: string): string {
  const line = r.summary.split('\n').find((l) => l.startsWith(`| \`${endpoint}\` | proxy |`))
  if (!line) throw new Error(`no preflight row for ${endpoint} in the summary:\n${r.summary}`)
  return line
}

/** Not preflight's probe (which asks for a module the run needs): a request of go's, direct or through the relay. */
export const notPreflight = (e: LogEntry): boolean => e.headers['user-agent'] !== 'go-tidy-guard-preflight'

/** Requests for module files (not preflight's probe) that `p` answered in full with 200/206. */
export function served(p: FixtureProxy, suffix: '.zip' | '.mod' | '.info' | '' = ''): number {
  return p.log
    .filter((e) => e.path.startsWith('/example.com/') && notPreflight(e))
    .filter((e) => e.path.endsWith(suffix) && (e.status === 200 || e.status === 206) && !e.fault).length
}

/** True when go's module cache holds exactly the zip the fixture builds (what go.sum vouches for). */
export function cachedZipIntact(gomodcache: string, mod: FixtureModule): boolean {
  const file = join(gomodcache, 'cache', 'download', mod.path, '@v', `${mod.version}.zip`)
  return existsSync(file) && readFileSync(file).equals(buildModuleZip(mod))
}

/** The exported GOPROXY as later steps see it, split into its entries; asserts it is `|`-separated. */
export function exportedList(r: ActionRun): string[] {
  const v = r.env.GOPROXY ?? ''
  if (v.includes(',')) throw new Error(`exported GOPROXY is not |-separated: ${v}`)
  return v.split('|')
}

/** How many times the action ran go mod tidy for the app (whole-run retries), from the summary's module table. */
export function tidyAttempts(r: ActionRun): number {
  const m = /^\| example\.com\/app \| \. \| [^|]+ \| [\d.]+ s \| (\d+) \|$/m.exec(r.summary)
  if (!m) throw new Error(`no module row in the summary:\n${r.summary}`)
  return Number(m[1])
}

export const errors = (r: ActionRun) => r.annotations.filter((a) => a.level === 'error')

/** Every text the runner shows or hands on, minus the `::add-mask::` registrations themselves. */
export function visibleText(r: ActionRun): string {
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  return [stdout, r.stderr, r.summary, JSON.stringify(r.outputs), JSON.stringify(r.annotations)].join('\n')
}
