// Shared data shapes that flow between the stages (see DEVELOPERS.md, "Architecture").
// Types only: no stage logic lives here, so every stage can import it without cycles.

/** One entry of a GOPROXY list. */
export interface ProxyEntry {
  /** `url` for a module proxy, or one of go's keywords. */
  kind: 'url' | 'direct' | 'off'
  /** The URL exactly as the user gave it (may carry credentials); '' for keywords. */
  url: string
  /** Safe to print: credentials replaced by `***`. For keywords, the keyword. */
  display: string
  /**
   * How go moves past this entry when it fails: ',' only on 404/410, '|' on any error.
   * This is the separator that followed the entry ('' for the last entry).
   */
  separator: ',' | '|' | ''
}

/** Effective module settings: inputs over `go env`. Values are exactly what go receives. */
export interface GoSettings {
  GOPROXY: string
  GOPRIVATE: string
  GONOPROXY: string
  GONOSUMDB: string
  GOSUMDB: string
}

export interface GoToolchain {
  /** Absolute path of the go binary. */
  bin: string
  /** e.g. "1.26.8" (from `go env GOVERSION`, without the "go" prefix; devel builds keep their text). */
  version: string
  /** `go env -json` of the runner's environment, before our settings. */
  env: Record<string, string>
}

export interface GoModule {
  /** Absolute directory holding go.mod. */
  dir: string
  /** Directory relative to the workspace, '/'-separated; '.' for the workspace itself. */
  rel: string
  /** Module path from go.mod. */
  path: string
}

export interface ModuleVersion {
  path: string
  version: string
}

/** `policy`: a module proxy refused a module or version by its own rules (an allow-list), not for credentials. */
export type ErrorClass = 'network' | 'not-found' | 'security' | 'auth' | 'policy' | 'toolchain' | 'other'

export interface ClassifiedError {
  class: ErrorClass
  /** Retrying the same work may succeed (network faults); never true for security, auth, not-found. */
  transient: boolean
  /** The most relevant line of go's output (redacted). */
  message: string
  /** One sentence the user can act on. */
  hint: string
  /** The tail of go's output (redacted), for the log and the summary. */
  output?: string
}

export interface Annotation {
  /** Relative to the workspace, '/'-separated. */
  file: string
  startLine: number
  title: string
  message: string
}

export type ModuleStatus = 'tidy' | 'drift' | 'fixed' | 'error'

export interface TidyResult {
  module: GoModule
  status: ModuleStatus
  /** Unified diff of go.mod/go.sum, paths relative to the workspace; '' when tidy. */
  diff: string
  /** Files tidy changes (check) or changed (fix), relative to the workspace. */
  changedFiles: string[]
  annotations: Annotation[]
  durationMs: number
  /** How many times tidy ran for this module (whole-run retries). */
  attempts: number
  error?: ClassifiedError
}

export type Verdict =
  | 'ok'
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls-untrusted'
  | 'tls-other'
  | 'auth'
  | 'unreachable'
  /** Cut short because tidy finished first: nothing is known to be wrong (shown neutrally, never a warning). */
  | 'unfinished'
  | `http-${number}`

export interface ProbeResult {
  /** Redacted endpoint URL. */
  endpoint: string
  role: 'proxy' | 'sumdb'
  verdict: Verdict
  hint: string
  /** Milliseconds per stage that ran; missing stages did not run. */
  timings: { dns?: number; tcp?: number; tls?: number; http?: number; total: number }
  /** For TLS failures: the presented certificate, when known. */
  certificate?: { subject: string; issuer: string }
  /** Free text with the low-level error (redacted). */
  detail?: string
  /** The egress proxy the probe went through (redacted), when HTTP(S)_PROXY applied. */
  via?: string
}

export interface UpstreamStats {
  /** Redacted upstream URL. */
  upstream: string
  requests: number
  bytes: number
  retries: number
  failures: number
  /** Median time to first byte of successful responses, ms (0 when there were none: see `answers`). */
  latencyMs: number
  /** Answers the median is taken over; 0 means the upstream never answered. */
  answers?: number
  /** Requests it sat silent on until another upstream served them. */
  unanswered?: number
  /** True once the circuit breaker stopped using this upstream. */
  tripped: boolean
  /** Requests also sent to another upstream because this one went silent (hedged requests). */
  hedges?: number
  /** Moved behind the other upstreams for stalling or going silent (not tripped: still usable). */
  demoted?: boolean
  demotedFor?: 'silent' | 'stalled'
}

export interface CacheReport {
  /** What happened in main. */
  restore: 'hit' | 'partial' | 'miss' | 'skipped' | 'disabled' | 'failed'
  key?: string
  matchedKey?: string
  sizeBytes?: number
  durationMs?: number
  note?: string
}

export interface SecurityFinding {
  title: string
  message: string
}

/** Module files the relay fetched before go asked for them, and how many of those go then asked for. */
export interface ReadAhead {
  files: number
  bytes: number
  used: number
}

/** Everything reporting needs, collected by main. Reporting reads only this. */
export interface RunResult {
  mode: 'check' | 'fix'
  goVersion?: string
  /** Redacted effective GOPROXY as the user configured it (never the relay address). */
  goproxy?: string
  egressProxy?: string
  modules: TidyResult[]
  /** How many modules discovery found below working-directory, and how many of them were checked. */
  discovery?: { found: number; checked: number; workingDirectory: string; shard?: string }
  preflight?: ProbeResult[]
  relay?: UpstreamStats[]
  /** What the relay fetched ahead of go on a cold cache (relay/prefetch.ts); absent when it fetched nothing. */
  readAhead?: ReadAhead
  cache?: CacheReport
  security?: SecurityFinding[]
  /** Set when the run failed before or outside per-module results (bad input, no go, ...). */
  fatal?: string
}
