// The git token for private modules fetched directly: a git config file (0600, under RUNNER_TEMP) that git
// includes through GIT_CONFIG_*, so no environment variable holds the token.
import { randomUUID } from 'node:crypto'
import { promises as fsp } from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../lib/input-error.js'
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
