// The environment that go (and the git it runs) reads for the access stage's credentials and trust: everything
// lives in environment variables and files under RUNNER_TEMP, nothing in a git config file or the user's HOME.
import { gitTokenEnv } from './git-token.js'

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
