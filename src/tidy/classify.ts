// Classifies a failed go command from its output, so the action can decide whether retrying makes sense and tell the
// user what to do. Patterns follow the wording of cmd/go (modfetch, modload, web), net/http, crypto/x509 and git.
import { redact } from '../lib/redact.js'
import { compareGoVersions } from '../go/toolchain.js'
import type { ClassifiedError, ErrorClass } from '../types.js'

interface Rule {
  class: ErrorClass
  /** A pattern, or a test written without backtracking over the line. */
  re: Pick<RegExp, 'test'>
  /** A TLS trust failure: reported as network, but retrying cannot help. */
  tls?: boolean
  /** In place of the class's hint. */
  hint?: string
}

// Order matters: the first rule that matches any line wins. Security and toolchain come first because they
// must never be retried, even when a transient fault is reported next to them; then the other permanent classes.
const RULES: Rule[] = [
  { class: 'security', re: /checksum mismatch/i },
  { class: 'security', re: /checksum missing from sumdb response/ },
  { class: 'security', re: /SECURITY ERROR/ },
  { class: 'security', re: /security error: misbehaving server/ },
  {
    class: 'security',
    re: /malformed record|malformed go\.sum|cannot authenticate record data|downloaded inconsistent tile/
  },
  // `verifying … go.sum`, found without `.*`: go's output holds the pull request's module paths.
  { class: 'security', re: { test: (l: string) => inOrder(l, 'verifying ', 'go.sum') } },
  {
    // golang.org/x/mod/sumdb/note, wrapped by the sumdb client as "reading tree note: ...".
    class: 'security',
    re: /reading tree note: |invalid signature for key|note has no verifiable signatures|malformed note/,
    hint:
      "The checksum database's signed answer does not verify with the key in GOSUMDB: something on the way altered " +
      'it, or GOSUMDB names the wrong key. Do not turn verification off to make this pass.'
  },
  { class: 'toolchain', re: /requires go >= \S+ \(running go / },
  { class: 'toolchain', re: /go\.mod requires go\b/ },
  {
    class: 'toolchain',
    re: /invalid go version '[^']*': must match format|unknown directive: toolchain|note: module requires Go /
  },
  { class: 'auth', re: /\b40[13] (Unauthorized|Forbidden)\b/ },
  {
    class: 'auth',
    re: /refusing to pass credentials to insecure URL/,
    hint: 'go sends credentials only over https: use an https:// proxy URL, or give the credential through the `token` input.'
  },
  {
    class: 'auth',
    re: /terminal prompts disabled|could not read (Username|Password)|Authentication failed|Access denied/i
  },
  { class: 'auth', re: /Permission denied \(publickey/ },
  { class: 'not-found', re: /\b(404 Not Found|410 Gone)\b/ },
  { class: 'not-found', re: /unknown revision|no matching versions|cannot find module providing package/ },
  { class: 'not-found', re: /reading file:\/\/\S+: no such file or directory/ },
  { class: 'not-found', re: { test: (l: string) => moduleNotFound(l) } },
  {
    class: 'network',
    re: /x509: |tls: failed to verify certificate|SSL certificate problem|server certificate verification failed/,
    tls: true
  },
  {
    class: 'network',
    re: /dial tcp|connection refused|i\/o timeout|TLS handshake timeout|no such host|server misbehaving/
  },
  {
    class: 'network',
    re: /connection reset|broken pipe|unexpected EOF|: EOF$|network is unreachable|no route to host/
  },
  { class: 'network', re: /timeout awaiting response headers|Client\.Timeout exceeded|context deadline exceeded/ },
  {
    class: 'network',
    re: /\b(429 Too Many Requests|500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout)\b/
  },
  {
    class: 'network',
    re: /http2: |stream error: |Could not resolve host|Failed to connect to|RPC failed|early EOF|remote end hung up/
  }
]

const HINTS: Record<ErrorClass, string> = {
  security:
    'What was downloaded does not match go.sum or the checksum database: do not edit go.sum to make this pass; ' +
    "find out which proxy served the changed content (see 'go help module-auth').",
  auth:
    'The module host refused the request: pass a credential with access through the `token` input and list ' +
    'private module paths in `goprivate`.',
  policy:
    "A module proxy's policy refused a module or version: list private modules in `goprivate`, or ask the mirror's " +
    'owners to allow it.',
  toolchain:
    'The installed Go is older than a go.mod requires: install a newer Go before this step, e.g. actions/setup-go ' +
    'with `go-version-file: go.mod`.',
  'not-found':
    'A module or version does not exist on the configured proxies: check the path and version in go.mod, and list ' +
    'private modules in `goprivate`.',
  network:
    'go could not reach a module proxy or VCS host: check the preflight results, or add a working mirror to the ' +
    '`goproxy` input.',
  other: "See go's full output in the log."
}

const TLS_HINT =
  "The server's TLS certificate is not trusted: if a TLS-intercepting proxy sits in between, give its CA " +
  'certificate (PEM text or a file path) in the `ca-certificates` input.'

/** Lines go wrote, without `server response:` bodies: those are the server's words, not go's. */
function goLines(stderr: string): string[] {
  const out: string[] = []
  let inResponse = false
  for (const raw of stderr.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trim()
    if (!line) continue
    if (line.startsWith('server response:')) {
      inResponse = true
      continue
    }
    // go indents the rest of the body under `server response:`; a line at column 0 is go's again.
    if (inResponse && /^\s/.test(raw)) continue
    inResponse = false
    out.push(line)
  }
  return out
}

/** Classifies a failed go command by its stderr; `exitCode` is only used when the output says nothing. */
export function classifyGoError(stderr: string, exitCode: number): ClassifiedError {
  const lines = goLines(stderr)
  for (const rule of RULES) {
    const line = lines.find((l) => rule.re.test(l))
    if (!line) continue
    return {
      class: rule.class,
      transient: rule.class === 'network' && !rule.tls,
      message: redact(line),
      hint: rule.hint ?? (rule.tls ? TLS_HINT : HINTS[rule.class])
    }
  }
  // Prefer go's own error line (`go: ...`) over progress lines such as `go: downloading ...`.
  const errorLine =
    [...lines].reverse().find((l) => !/^go: (downloading|finding|found|extracting) /.test(l)) ??
    `go exited with code ${exitCode}`
  return { class: 'other', transient: false, message: redact(errorLine), hint: HINTS.other }
}

/**
 * For a dependency that needs a newer Go than go.mod's own `go` line: `go-version-file: go.mod` would install that
 * older Go again, so the hint names the version the dependency needs. Undefined when that is not the case.
 */
export function toolchainHint(stderr: string, goLine: string | undefined): string | undefined {
  const need = /requires go >= (\d+\.\d+(?:\.\d+)?)/.exec(stderr)?.[1]
  if (!need || !goLine || compareGoVersions(goLine, need) >= 0) return undefined
  return (
    `A dependency needs Go ${need} or newer, but go.mod says \`go ${goLine}\`: install Go ${need} or newer before this step ` +
    `(actions/setup-go with \`go-version: '${need}'\`; \`go-version-file: go.mod\` would install ${goLine} again). ` +
    'go mod tidy then raises the go line.'
  )
}

/** `first` occurs in `line`, and `then` after it: literal searches, linear in the line. */
function inOrder(line: string, first: string, then: string): boolean {
  const i = line.indexOf(first)
  return i >= 0 && line.indexOf(then, i + first.length) >= 0
}

/** "module … not found" or "repository … not found", any case (go's and git's wording), without `.*`. */
function moduleNotFound(line: string): boolean {
  const lower = line.toLowerCase()
  const at = lower.lastIndexOf('not found')
  return at > 0 && /\b(module|repository)\b/.test(lower.slice(0, at)) && !/\w/.test(lower[at + 9] ?? '')
}
