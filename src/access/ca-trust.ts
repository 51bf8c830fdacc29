// Trust: extra CA certificates from the `ca-certificates` input, and the system bundle they are added to for go
// (SSL_CERT_FILE) and git (GIT_SSL_CAINFO).
import { X509Certificate, randomUUID } from 'node:crypto'
import { promises as fsp, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { InputError } from '../lib/input-error.js'
import { insideWorkspace } from '../lib/paths.js'

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
  return systemBundle(env, platform)?.file
}

const bundles = new Map<string, { file: string; text: string } | undefined>()

/** The system CA bundle go would load, its path and text: read once per setting (the relay and go's bundle share it). */
export function systemBundle(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): { file: string; text: string } | undefined {
  const key = `${platform}\0${env.SSL_CERT_FILE ?? ''}`
  if (bundles.has(key)) return bundles.get(key)
  let found: { file: string; text: string } | undefined
  const candidates = platform === 'win32' ? [] : platform === 'darwin' ? ['/etc/ssl/cert.pem'] : LINUX_BUNDLES
  for (const file of env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : candidates) {
    try {
      const text = readFileSync(file, 'utf8')
      if (text.includes('-----BEGIN CERTIFICATE-----')) {
        found = { file, text }
        break
      }
    } catch {
      // go moves on to the next candidate too
    }
  }
  bundles.set(key, found)
  return found
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
  const sys = systemBundle(env, platform)
  const system = sys?.text ?? ''
  const bundleFile = path.join(runnerTemp, `go-tidy-guard-${randomUUID()}-ca.pem`)
  const sep = system === '' || system.endsWith('\n') ? '' : '\n'
  await fsp.writeFile(bundleFile, system + sep + pems.join(''), { mode: 0o644, flag: 'wx' })
  return { pems, bundleFile, systemBundle: sys?.file }
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
