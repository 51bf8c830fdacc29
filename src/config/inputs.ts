// Reads and validates every input before anything runs. Each error names the input and the accepted form.
import * as core from '@actions/core'
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { ProxyEntry } from '../types.js'
import { parseProxyList, ProxyListError } from './proxylist.js'
import { addSecret } from '../lib/redact.js'
import { InputError } from '../lib/input-error.js'
import { insideWorkspace } from '../lib/paths.js'
import { usableCpus } from '../lib/cpus.js'
import { loadCaInput } from '../access/ca-trust.js'
import { privateHosts } from '../access/git-token.js'
import { validateNetrc } from '../access/netrc.js'

/**
 * Two go processes per CPU the job may use (at most 64; a container's CPU quota counts, lib/cpus.ts): `go mod tidy`
 * leaves a CPU idle for part of its life (starting, reading go.mod and source files, waiting on the network), so a
 * second process per CPU fills those gaps. Measured on 300 modules and two cores: 0.83–0.89 of the time with one per
 * CPU, warm and cold.
 */
export function defaultConcurrency(): number {
  return Math.min(64, 2 * usableCpus())
}

export interface Inputs {
  workspace: string
  /** Absolute. */
  workingDirectory: string
  modules: string[]
  goproxy?: ProxyEntry[]
  goprivate?: string
  gonoproxy?: string
  gonosumdb?: string
  gosumdb?: string
  preflight: 'true' | 'false' | 'strict'
  preflightTimeoutMs: number
  /** How long a go request may make no progress before go is stopped (0: never). */
  stallTimeoutMs: number
  /** go processes at once (input concurrency; default: defaultConcurrency()). */
  concurrency: number
  /** This job's part of the modules (input shard `K/N`), or undefined for all. */
  shard?: { index: number; count: number }
  retries: number
  relay: boolean
  cache: 'true' | 'false' | 'restore-only'
  mode: 'check' | 'fix'
  tidyArgs: string[]
  token: string
  /** Hosts git sends the token to (input private-hosts; default: the host of GITHUB_SERVER_URL). */
  privateHosts: string[]
  /** netrc text, validated ('' when not given). */
  netrc: string
  /** Extra trusted CA certificates (PEM), validated. */
  caCertificates?: string[]
  exportEnv: boolean
}

export { InputError }

type Getter = (name: string) => string

const defaultGetter: Getter = (name) => core.getInput(name)

export function readInputs(
  get: Getter = defaultGetter,
  workspace = process.env.GITHUB_WORKSPACE || process.cwd()
): Inputs {
  const token = get('token')
  addSecret(token)
  const netrc = get('netrc')
  if (netrc.trim()) validateNetrc(netrc)
  const goproxyText = get('goproxy')
  let goproxy: ProxyEntry[] | undefined
  try {
    goproxy = goproxyText.trim() ? parseProxyList(goproxyText, 'goproxy') : undefined
  } catch (e) {
    if (e instanceof ProxyListError) throw new InputError(e.message)
    throw e
  }
  return {
    workspace,
    workingDirectory: workingDirectory(get('working-directory'), workspace),
    modules: lines(get('modules')).map((m) => checkRelative('modules', m)),
    goproxy,
    goprivate: patterns('goprivate', get('goprivate')),
    gonoproxy: patterns('gonoproxy', get('gonoproxy')),
    gonosumdb: patterns('gonosumdb', get('gonosumdb')),
    gosumdb: gosumdb(get('gosumdb')),
    preflight: oneOf('preflight', get('preflight'), ['true', 'false', 'strict'] as const),
    preflightTimeoutMs: seconds('preflight-timeout', get('preflight-timeout')),
    stallTimeoutMs: get('stall-timeout').trim() === '0' ? 0 : seconds('stall-timeout', get('stall-timeout')),
    concurrency:
      get('concurrency').trim() === '' ? defaultConcurrency() : wholeNumber('concurrency', get('concurrency'), 1, 64),
    shard: shard(get('shard')),
    retries: wholeNumber('retries', get('retries'), 0, 10),
    relay: bool('relay', get('relay')),
    cache: oneOf('cache', get('cache'), ['true', 'false', 'restore-only'] as const),
    mode: oneOf('mode', get('mode'), ['check', 'fix'] as const),
    tidyArgs: tidyArgs(get('tidy-args')),
    token,
    privateHosts: privateHosts(get('private-hosts')),
    netrc: netrc.trim() ? netrc : '',
    caCertificates: loadCaInput(get('ca-certificates'), workspace),
    exportEnv: bool('export-env', get('export-env'))
  }
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
}

function workingDirectory(value: string, workspace: string): string {
  const rel = value.trim() || '.'
  const abs = path.resolve(workspace, rel)
  let isDir = false
  try {
    isDir = fs.statSync(abs).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) {
    throw new InputError(
      `working-directory: "${rel}" is not a directory; give a directory relative to the workspace (default ".")`
    )
  }
  if (!insideWorkspace(workspace, abs)) {
    throw new InputError(
      `working-directory: "${rel}" is outside the workspace (GITHUB_WORKSPACE), directly or through a symlink; give a directory inside it, relative to it`
    )
  }
  return abs
}

function checkRelative(name: string, value: string): string {
  if (path.isAbsolute(value) || value.split(/[\\/]/).includes('..')) {
    throw new InputError(
      `${name}: "${value}" must be a directory or glob relative to working-directory, without ".." or a leading "/"`
    )
  }
  return value
}

function patterns(name: string, text: string): string | undefined {
  const items = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (items.length === 0) return undefined
  for (const p of items) {
    if (/\s/.test(p) || p.includes('://')) {
      throw new InputError(
        `${name}: "${p}" is not a module path pattern; give comma- or newline-separated patterns such as example.com/private,*.corp.example.com`
      )
    }
  }
  return items.join(',')
}

/**
 * The forms go accepts: `off`, a database name (a host name, maybe with a port), or its verifier key
 * (`name+hash+key`: eight hex digits and base64) optionally followed by the database's http(s) URL.
 */
function gosumdb(text: string): string | undefined {
  const v = text.trim()
  if (v === '' || v === 'off') return v || undefined
  const [key, url, ...more] = v.split(/\s+/)
  const plus = key.indexOf('+')
  const name = plus < 0 ? key : key.slice(0, plus)
  const verifier = plus < 0 ? undefined : key.slice(plus + 1) // hash+data; base64 data may hold `+` itself
  const ok =
    more.length === 0 &&
    /^[A-Za-z0-9][A-Za-z0-9.-]*(:\d{1,5})?$/.test(name) &&
    (verifier === undefined || /^[0-9a-f]{8}\+[A-Za-z0-9/+=]+$/.test(verifier)) &&
    (url === undefined || (verifier !== undefined && /^https?:\/\/[^\s]+$/i.test(url)))
  if (!ok) {
    throw new InputError(
      `gosumdb: "${v}" is not valid; accepted: "off", a database name ("sum.example.com"), its key ("name+hash+key"), ` +
        'or its key and URL ("name+hash+key https://url")'
    )
  }
  return v
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const v = value.trim().toLowerCase()
  if ((allowed as readonly string[]).includes(v)) return v as T
  throw new InputError(`${name}: "${value}" is not accepted; use one of: ${allowed.join(', ')}`)
}

function bool(name: string, value: string): boolean {
  return oneOf(name, value, ['true', 'false'] as const) === 'true'
}

function seconds(name: string, value: string): number {
  const v = value.trim()
  const n = Number(v)
  // Below a tenth of a second nothing can answer: such a value is a mistake, not a deadline.
  if (v === '' || !/^\d*\.?\d+$/.test(v) || !Number.isFinite(n) || n < 0.1 || n > 600) {
    throw new InputError(
      `${name}: "${value}" is not accepted; give a number of seconds from 0.1 to 600, such as 5 or 2.5`
    )
  }
  return Math.round(n * 1000)
}

function shard(text: string): { index: number; count: number } | undefined {
  const v = text.trim()
  if (v === '') return undefined
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(v)
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (!m || count < 1 || index < 1 || index > count) {
    throw new InputError(
      `shard: "${text}" is not accepted; give K/N with 1 <= K <= N, such as 2/8 (this job's part of N)`
    )
  }
  return { index, count }
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const v = value.trim()
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new InputError(`${name}: "${value}" is not accepted; give a whole number from ${min} to ${max}`)
  }
  return Number(v)
}

// Go versions as go.mod's go line takes them (modfile.GoVersionRE): 1.N, 1.N.P, 1.NrcK, 1.NbetaK, no leading zeros.
const GO_VERSION = '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:\\.(?:0|[1-9]\\d*)|(?:rc|beta)[1-9]\\d*)?'
const TIDY_FLAG = new RegExp(`^-(e|v|x|compat=${GO_VERSION}|go=${GO_VERSION})$`)

function tidyArgs(text: string): string[] {
  const args = text.split(/\s+/).filter((a) => a !== '')
  for (const a of args) {
    const normal = a.startsWith('--') ? a.slice(1) : a
    if (!TIDY_FLAG.test(normal)) {
      throw new InputError(
        `tidy-args: "${a}" is not accepted; allowed flags are -e, -v, -x, -compat=<go version>, -go=<go version>`
      )
    }
  }
  return args
}
