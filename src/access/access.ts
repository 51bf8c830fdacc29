// The access stage: credentials and trust for private modules and enterprise networks (netrc, token, extra CAs),
// turned into the environment go and git read, and into per-upstream credentials for preflight and the relay.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { ProxyEntry } from '../types.js'
import type { Inputs } from '../config/inputs.js'
import { credentialEnv } from './credentials.js'
import { netrcCredentialFor, parseNetrc, writeNetrc, type NetrcEntry } from './netrc.js'
import { writeCaBundle } from './ca-trust.js'
import { writeGitTokenConfig } from './git-token.js'
import { guardCredentialFile } from './credential-file.js'
import { addSecret } from '../lib/redact.js'

export interface Access {
  /** Variables to add to every go process (and to export with export-env). */
  env: Record<string, string>
  extraCa?: string[]
  /** The netrc entries go would use: the `netrc` input, else NETRC / ~/.netrc (unless GOAUTH=off). */
  netrc: NetrcEntry[]
  /** The file written for the `netrc` input: deleted when main ends unless NETRC was exported, and in post. */
  netrcFile?: string
  /** The git config file that carries the token (included through GIT_CONFIG_*): the same life as the netrc file. */
  gitConfigFile?: string
}

type AccessInputs = Pick<Inputs, 'token' | 'privateHosts' | 'netrc' | 'caCertificates'>

export async function prepareAccess(
  i: AccessInputs,
  runnerTemp: string,
  baseEnv: Record<string, string>
): Promise<Access> {
  // Deleted however the step ends, unless main hands it over to later steps (access/credential-file.ts).
  const netrcFile = i.netrc ? guardCredentialFile(await writeNetrc(i.netrc, runnerTemp)) : undefined
  const ca = i.caCertificates ? await writeCaBundle(i.caCertificates, runnerTemp, baseEnv) : undefined
  const token = await writeGitTokenConfig(i.token, i.privateHosts, runnerTemp)
  const gitConfigFile = token ? guardCredentialFile(token) : undefined
  const env = credentialEnv({ baseEnv, gitConfigFile, netrcFile, caBundleFile: ca?.bundleFile })
  return {
    env,
    extraCa: i.caCertificates,
    netrc: netrcEntries(i.netrc, { ...baseEnv, ...env }),
    netrcFile,
    gitConfigFile
  }
}

function netrcEntries(text: string, env: Record<string, string>): NetrcEntry[] {
  if (text) return parseNetrc(text)
  if ((env.GOAUTH ?? '').trim() === 'off') return []
  const file = env.NETRC || path.join(env.HOME || os.homedir(), process.platform === 'win32' ? '_netrc' : '.netrc')
  try {
    const entries = parseNetrc(fs.readFileSync(file, 'utf8'))
    for (const e of entries) addSecret(e.password)
    return entries
  } catch {
    return []
  }
}

/**
 * Upstreams with the netrc credentials go would send them. go never sends credentials to the relay on
 * 127.0.0.1, so the relay (and preflight, to judge what go will see) carries them in the upstream URL:
 * each upstream's credentials reach only that upstream. `display` stays the user's redacted URL.
 */
export function withNetrc(entries: ProxyEntry[], netrc: NetrcEntry[]): ProxyEntry[] {
  return entries.map((e) => {
    if (e.kind !== 'url' || /^[a-z][a-z0-9+.-]*:\/\/[^/@]*@/i.test(e.url)) return e
    const cred = netrcCredentialFor(netrc, e.url)
    if (!cred) return e
    const u = new URL(e.url)
    u.username = encodeURIComponent(cred.login)
    u.password = encodeURIComponent(cred.password)
    return { ...e, url: u.href.replace(/\/$/, e.url.endsWith('/') ? '/' : '') }
  })
}

/** Hosts (host[:port], lower case) of the proxies that get credentials, from their URL or from netrc. */
export function proxyCredentialHosts(entries: ProxyEntry[], netrc: NetrcEntry[]): string[] {
  return withNetrc(entries, netrc).flatMap((e) => {
    if (e.kind !== 'url') return []
    try {
      const u = new URL(e.url)
      return u.username || u.password ? [u.host.toLowerCase()] : []
    } catch {
      return []
    }
  })
}
