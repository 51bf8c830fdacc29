// Credentials for private modules and enterprise networks: the git token, netrc and extra CA certificates,
// turned into the environment that go (and the git it runs) reads. Nothing here touches a git config file or
// the user's HOME: everything lives in environment variables and files under RUNNER_TEMP.
import { X509Certificate, randomUUID } from 'node:crypto'
import { promises as fsp, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { handOverCredentialFile } from './credential-file.js'
import { InputError } from '../lib/input-error.js'
import { insideWorkspace } from '../lib/paths.js'
import { addSecret } from '../lib/redact.js'

/**
 * The git configuration that sends the token to `https://<host>/` for every host (a file git includes: see
 * gitTokenEnv).
 *
 * Why `http.<url>.extraHeader` and not a `url.<https://x-access-token:TOKEN@host/>.insteadOf` rewrite:
 * - go runs `git ls-remote`/`git fetch` with the plain `https://host/...` remote it derived; a header keeps that
 *   URL as is, while a rewrite puts the token into the URL git works with, and git prints that URL in some
 *   errors and traces (go then copies git's output into its own error).
 * - The header is sent on the first request, so there is no 401 round trip, and it is scoped by git's URL
 *   matching to exactly that scheme and host; an insteadOf rule would also compete with any insteadOf the
 *   user already has for the same prefix (the longest match wins).
 * - It is the form actions/checkout uses for the same token, so hosts that accept one accept the other.
 *
 * git sends every extraHeader it collected, so with actions/checkout's own `AUTHORIZATION: basic ...` for the same
 * host in a config git reads (or a URL-less `http.extraheader`) it would send two, and hosts answer 400 "Duplicate
 * header: Authorization". An empty value empties git's list: each host's header comes after one, read last (the
 * environment's entries follow every config file), so git sends the token's Authorization alone.
 */
export function gitTokenConfig(token: string, hosts: string[]): string {
  addSecret(token)
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
  addSecret(basic)
  // Hosts are validated (privateHosts): no quote or backslash can end the subsection name.
  return hosts
    .map((host) => `[http "https://${host}/"]\n\textraheader =\n\textraheader = AUTHORIZATION: basic ${basic}\n`)
    .join('')
}

/** gitTokenConfig written to a 0600 file under RUNNER_TEMP (deleted like the netrc file); undefined without token or hosts. */
export async function writeGitTokenConfig(
  token: string,
  hosts: string[],
  runnerTemp: string
): Promise<string | undefined> {
  if (!token || hosts.length === 0) return undefined
  const file = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}.gitconfig`)
  await fsp.writeFile(file, gitTokenConfig(token, hosts), { mode: 0o600, flag: 'wx' })
  await fsp.chmod(file, 0o600)
  return file
}

/**
 * Makes git read `file` (gitTokenConfig) after every config file, through `include.path` in GIT_CONFIG_*: the
 * environment, and so the variables exported to later steps, hold only the file's path, never the token.
 */
export function gitTokenEnv(file: string | undefined, baseEnv: Record<string, string>): Record<string, string> {
  if (!file) return {}
  const existing = Number(baseEnv.GIT_CONFIG_COUNT ?? '')
  // git rejects a bogus count ("bogus count in GIT_CONFIG_COUNT"); an unusable value is replaced, not extended.
  const n = Number.isInteger(existing) && existing > 0 ? existing : 0
  return { [`GIT_CONFIG_KEY_${n}`]: 'include.path', [`GIT_CONFIG_VALUE_${n}`]: file, GIT_CONFIG_COUNT: String(n + 1) }
}

const HOST_FORM = 'give comma- or newline-separated host names such as github.example.com or git.corp.example:8443'

/** Input `private-hosts`: hosts (optionally host:port) that get the token; default the host of GITHUB_SERVER_URL. */
export function privateHosts(input: string, serverUrl: string | undefined = process.env.GITHUB_SERVER_URL): string[] {
  const items = input
    .split(/[,\n]/)
    .map((h) => h.trim())
    .filter((h) => h !== '')
  if (items.length === 0) {
    if (!serverUrl) return []
    try {
      const host = new URL(serverUrl).host.toLowerCase()
      return host ? [host] : []
    } catch {
      return []
    }
  }
  const hosts: string[] = []
  for (const item of items) {
    // A bare host or host:port: paths, schemes and userinfo would change what git's URL matching means.
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(item)) {
      throw new InputError(`private-hosts: "${item}" is not a host name; ${HOST_FORM}`)
    }
    const host = item.toLowerCase()
    if (!hosts.includes(host)) hosts.push(host)
  }
  return hosts
}

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

/** Deletes a credentials file written by this module; missing files are fine (post may run twice). */
export async function removeCredentialFile(file: string | undefined): Promise<void> {
  if (!file) return
  await fsp.rm(file, { force: true })
  handOverCredentialFile(file) // nothing left to delete at exit
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

// Where go's crypto/x509 looks on Linux (root_linux.go certFiles), in its order; the first readable one wins.
const LINUX_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian/Ubuntu/Gentoo etc.
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora/RHEL 6
  '/etc/ssl/ca-bundle.pem', // OpenSUSE
  '/etc/pki/tls/cacert.pem', // OpenELEC
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // CentOS/RHEL 7
  '/etc/ssl/cert.pem' // Alpine Linux
]

/**
 * The bundle go treats as the system roots: SSL_CERT_FILE when set, else the Linux list. On macOS go uses the
 * platform verifier and Windows its own store (neither reads SSL_CERT_FILE), so only git reads our bundle
 * there: macOS' /etc/ssl/cert.pem keeps git's public roots; Windows gets the extra certificates alone.
 */
export function systemBundleFile(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): string | undefined {
  const candidates = platform === 'win32' ? [] : platform === 'darwin' ? ['/etc/ssl/cert.pem'] : LINUX_BUNDLES
  for (const file of env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : candidates) {
    try {
      if (readFileSync(file, 'utf8').includes('-----BEGIN CERTIFICATE-----')) return file
    } catch {
      // go moves on to the next candidate too
    }
  }
  return undefined
}

const CA_FORM =
  'give a path relative to the workspace to a PEM bundle, or the PEM text itself (-----BEGIN CERTIFICATE----- ...)'

/** Each certificate of a PEM text, validated with node:crypto; throws InputError naming `ca-certificates`. */
export function parseCertificates(text: string, source: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) throw new InputError(`ca-certificates: ${source} holds no PEM certificate; ${CA_FORM}`)
  return blocks.map((pem, i) => {
    try {
      new X509Certificate(pem)
    } catch (e) {
      throw new InputError(
        `ca-certificates: certificate ${i + 1} in ${source} does not parse (${(e as Error).message}); ${CA_FORM}`
      )
    }
    return pem + '\n'
  })
}

/** Input `ca-certificates`: a path (relative to the workspace) to a PEM bundle, or the PEM text; validated PEMs. */
export function loadCaInput(input: string, workspace: string): string[] | undefined {
  const value = input.trim()
  if (value === '') return undefined
  if (value.includes('-----BEGIN')) return parseCertificates(value, 'the input text')
  const source = `"${value}"`
  const file = path.resolve(workspace, value)
  // A path into the workspace may not lead out of it; an absolute path elsewhere (a CA bundle the runner image
  // ships) may, but only to a regular file.
  const outside = !insideWorkspace(workspace, file)
  if (outside && (!path.isAbsolute(value) || !isRegularFile(file))) {
    throw new InputError(
      `ca-certificates: ${source} leads outside the workspace; ${CA_FORM} (an absolute path outside the workspace must be a readable regular file)`
    )
  }
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    throw new InputError(
      `ca-certificates: cannot read ${source} (${(e as NodeJS.ErrnoException).code ?? 'error'}); ${CA_FORM}`
    )
  }
  return parseCertificates(text, source)
}

/**
 * Writes the system bundle plus `pems` under RUNNER_TEMP, for SSL_CERT_FILE and GIT_SSL_CAINFO, so that public
 * hosts still verify while the extra CAs are trusted too.
 */
export async function writeCaBundle(
  pems: string[],
  runnerTemp: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): Promise<{ pems: string[]; bundleFile: string; systemBundle?: string }> {
  const systemBundle = systemBundleFile(env, platform)
  const system = systemBundle ? readFileSync(systemBundle, 'utf8') : ''
  const bundleFile = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}-ca.pem`)
  const sep = system === '' || system.endsWith('\n') ? '' : '\n'
  await fsp.writeFile(bundleFile, system + sep + pems.join(''), { mode: 0o644, flag: 'wx' })
  return { pems, bundleFile, systemBundle }
}

function isRegularFile(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

/** loadCaInput then writeCaBundle; undefined when the input is empty. */
export async function caBundle(
  input: string,
  workspace: string,
  runnerTemp: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): Promise<{ pems: string[]; bundleFile: string; systemBundle?: string } | undefined> {
  const pems = loadCaInput(input, workspace)
  return pems ? writeCaBundle(pems, runnerTemp, env, platform) : undefined
}

export interface CredentialEnvOptions {
  /** The environment go would otherwise get (GIT_CONFIG_COUNT and GOAUTH are read from it). */
  baseEnv: Record<string, string>
  /** From writeGitTokenConfig(). */
  gitConfigFile?: string
  /** From writeNetrc(). */
  netrcFile?: string
  /** From caBundle(). */
  caBundleFile?: string
}

/** The variables to add to every go process's environment (and to export, when export-env is on). */
export function credentialEnv(o: CredentialEnvOptions): Record<string, string> {
  const out: Record<string, string> = {}
  if (o.netrcFile) {
    out.NETRC = o.netrcFile
    // Go 1.24+ reads netrc only through GOAUTH; unset means "netrc". A user's own commands keep their place.
    const goauth = (o.baseEnv.GOAUTH ?? '').trim()
    if (goauth !== '' && goauth !== 'off' && !goauth.split(';').some((c) => c.trim() === 'netrc')) {
      out.GOAUTH = `${goauth};netrc`
    }
  }
  if (o.caBundleFile) {
    out.SSL_CERT_FILE = o.caBundleFile
    // git uses curl's own CA file, not SSL_CERT_FILE, on most builds.
    out.GIT_SSL_CAINFO = o.caBundleFile
  }
  Object.assign(out, gitTokenEnv(o.gitConfigFile, o.baseEnv))
  return out
}
