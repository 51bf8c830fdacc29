// netrc: the `netrc` input validated and written for go (0600, under RUNNER_TEMP), and the one matcher of which
// machine's credentials go sends with a request (netrcMachineFor), shared by the relay, preflight, the security
// review and the hints.
import { randomUUID } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../lib/input-error.js'
import { addSecret } from '../lib/redact.js'

export interface NetrcEntry {
  machine: string
  login: string
  password: string
}

const NETRC_FORM = 'give netrc lines such as "machine proxy.example.com login USER password SECRET"'
const NETRC_KEYWORDS = new Set(['machine', 'default', 'login', 'password', 'account', 'macdef'])

/**
 * Parses netrc text exactly as go does (cmd/go/internal/auth/netrc.go): keyword/value pairs within a line, an
 * entry is complete once machine, login and password are known, `default` ends the file, `macdef` bodies skipped.
 */
export function parseNetrc(text: string): NetrcEntry[] {
  const out: NetrcEntry[] = []
  let cur: NetrcEntry = { machine: '', login: '', password: '' }
  let inMacro = false
  for (const line of text.replace(/\r/g, '').split('\n')) {
    if (inMacro) {
      if (line === '') inMacro = false
      continue
    }
    const f = line.split(/\s+/).filter((t) => t !== '')
    let i = 0
    for (; i < f.length - 1; i += 2) {
      const [k, v] = [f[i], f[i + 1]]
      if (k === 'machine') cur = { machine: v, login: '', password: '' }
      else if (k === 'login') cur.login = v
      else if (k === 'password') cur.password = v
      else if (k === 'macdef') inMacro = true
      if (cur.machine && cur.login && cur.password) {
        out.push(cur)
        cur = { machine: '', login: '', password: '' }
      }
    }
    if (i < f.length && f[i] === 'default') break
  }
  return out
}

/** Checks netrc text loosely, naming lines but never their values (a misplaced token may be a password). */
function checkNetrc(text: string): NetrcEntry[] {
  const lines = text.replace(/\r/g, '').split('\n')
  let inMacro = false
  lines.forEach((line, idx) => {
    if (inMacro) {
      inMacro = line !== ''
      return
    }
    const f = line.split(/\s+/).filter((t) => t !== '')
    if (f.length === 0 || f[0].startsWith('#')) return
    for (let i = 0; i < f.length; i += 2) {
      // `default` takes no value in netrc; go reads keyword pairs per line and simply finds nothing there.
      if (f[i] === 'default') {
        i--
        continue
      }
      if (!NETRC_KEYWORDS.has(f[i])) {
        throw new InputError(
          `netrc: line ${idx + 1}: expected a keyword (machine, login, password, ...) where another token stands; ${NETRC_FORM}`
        )
      }
      if (i + 1 >= f.length) {
        throw new InputError(
          `netrc: line ${idx + 1}: "${f[i]}" has no value on the same line (go reads keyword and value from one line); ${NETRC_FORM}`
        )
      }
      if (f[i] === 'macdef') inMacro = true
      if (f[i] === 'machine' && /[/@]/.test(f[i + 1])) {
        throw new InputError(
          `netrc: line ${idx + 1}: machine "${f[i + 1]}" must be a host name (with :port when not 443), not a URL; ${NETRC_FORM}`
        )
      }
    }
  })
  const entries = parseNetrc(text)
  if (entries.length === 0)
    throw new InputError(`netrc: no complete entry with machine, login and password; ${NETRC_FORM}`)
  return entries
}

/** Registers every password of netrc text as a secret, then validates it; throws InputError naming `netrc`. */
export function validateNetrc(text: string): NetrcEntry[] {
  // Secrets first: a validation error must not be the first place a password shows up unmasked.
  for (const m of text.matchAll(/\bpassword\s+(\S+)/g)) addSecret(m[1])
  for (const e of parseNetrc(text)) addSecret(e.password)
  return checkNetrc(text)
}

/**
 * Input `netrc`: validates, and writes the text to a new 0600 file under RUNNER_TEMP for go's NETRC.
 * Returns the file's path (the post step deletes it with `removeCredentialFile`).
 */
export async function writeNetrc(text: string, runnerTemp: string): Promise<string> {
  validateNetrc(text)
  const file = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}.netrc`)
  // 'wx': never follow or reuse an existing path; mode applies at creation, before any byte is written.
  await fsp.writeFile(file, text.endsWith('\n') ? text : text + '\n', { mode: 0o600, flag: 'wx' })
  await fsp.chmod(file, 0o600) // umask cannot widen it, but make the intent explicit on every platform
  return file
}

/**
 * The netrc credential go would use for `url` (Go 1.24+ GOAUTH=netrc): only for https, matching the machine
 * against `host[:port]/path` and its parent prefixes; the earliest line for a machine wins.
 */
export function netrcCredentialFor(entries: NetrcEntry[], url: string): NetrcEntry | undefined {
  const machine = netrcMachineFor(
    entries.map((e) => e.machine),
    url
  )
  return machine === undefined ? undefined : entries.find((e) => e.machine === machine)
}

/**
 * The netrc machine whose credentials go sends with a request to `url`, or undefined: the one matcher that the relay,
 * preflight, the security review and the hints share. As cmd/go/internal/auth does it: only over https (go never
 * sends netrc credentials over plain http), the machine equal to `host[:port]` or to `host[:port]/path` for a
 * leading part of the URL's path, the longest match first.
 */
export function netrcMachineFor(machines: readonly string[], url: string): string | undefined {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return undefined
  }
  if (u.protocol !== 'https:') return undefined
  let prefix = (u.host + u.pathname).replace(/\/+$/, '')
  for (;;) {
    if (machines.includes(prefix)) return prefix
    const slash = prefix.lastIndexOf('/')
    if (slash < 0) return undefined
    prefix = prefix.slice(0, slash)
  }
}
