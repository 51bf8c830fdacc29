// Test certificate authorities and server certificates, made at test time with the openssl CLI.
// A cert from a CA that go is not told about is the "untrusted certificate" fault (what a TLS-intercepting
// corporate proxy looks like); pointing SSL_CERT_FILE at `ca.certFile` makes the same CA trusted.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeTempDir } from './gotest-env.js'

export interface TestCA {
  /** PEM certificate. */
  cert: string
  /** PEM private key. */
  key: string
  /** Subject common name, e.g. "go-tidy-guard Test CA 1a2b". */
  commonName: string
  /** The certificate on disk (for SSL_CERT_FILE / NODE_EXTRA_CA_CERTS). */
  certFile: string
  /** The temp dir holding the CA's files. */
  dir: string
}

export interface IssuedCert {
  /** PEM leaf certificate. */
  cert: string
  /** PEM private key. */
  key: string
  /** PEM of the issuing CA. */
  ca: string
  /** Subject common name (the first hostname). */
  commonName: string
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A self-signed CA (EC P-256, valid two days). */
export function makeTestCA(name = 'go-tidy-guard Test CA'): TestCA {
  const dir = makeTempDir('gtg-ca-')
  const commonName = `${name} ${Math.random().toString(16).slice(2, 6)}`
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      `/O=go-tidy-guard tests/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign'
    ],
    dir
  )
  return {
    cert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    key: readFileSync(join(dir, 'ca.key'), 'utf8'),
    commonName,
    certFile: join(dir, 'ca.crt'),
    dir
  }
}

/** A server certificate for `hostnames` (DNS names or IP addresses) signed by `ca`. */
export function issueCert(ca: TestCA, hostnames: string[] = ['127.0.0.1', 'localhost']): IssuedCert {
  if (hostnames.length === 0) throw new Error('issueCert: at least one hostname')
  const dir = makeTempDir('gtg-cert-')
  const san = hostnames.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')
  writeFileSync(join(dir, 'ca.crt'), ca.cert)
  writeFileSync(join(dir, 'ca.key'), ca.key)
  writeFileSync(
    join(dir, 'ext.cnf'),
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`
  )
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      `/CN=${hostnames[0]}`
    ],
    dir
  )
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'ext.cnf'
    ],
    dir
  )
  return {
    cert: readFileSync(join(dir, 'server.crt'), 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    ca: ca.cert,
    commonName: hostnames[0]
  }
}
