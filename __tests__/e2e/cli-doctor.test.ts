// `go-tidy-guard doctor` (issue 13) from the bundle, against each fault of the loopback fixtures: it names the
// endpoint, the verdict and the stage where it stopped, prints the fix as commands, and exits 2 when go cannot work.
import { afterAll, expect, test } from '@jest/globals'
import { refusedUrl, startBlackhole } from '../helpers/fixture-proxy.js'
import { startEgressProxy } from '../helpers/egress-proxy.js'
import { issueCert, makeTestCA } from '../helpers/tls.js'
import { makeTempDir } from '../helpers/gotest-env.js'
import { CONTROL, runCli } from '../helpers/cli-run.js'
import { cliEnv, closeAll, demoProxy, onClose } from './cli-world.js'

afterAll(closeAll)

const doctor = (env: Record<string, string | undefined>, ...args: string[]) =>
  runCli(['doctor', '--preflight-timeout', '2', ...args], { cwd: makeTempDir('gtg-doctor-'), env })

test('all healthy: every stage timed, exit 0; GOSUMDB=off is named with its fix', async () => {
  const healthy = await demoProxy()
  const r = await doctor(cliEnv(healthy.url))
  expect(r.code).toBe(0)
  expect(r.stdout).not.toMatch(CONTROL)
  expect(r.stdout).toMatch(new RegExp(`module proxy\\s+${healthy.url}\\s+-\\s+\\d+\\s+-\\s+\\d+\\s+\\d+\\s+ok`))
  expect(r.stdout).toContain('Checksum database disabled')
  expect(r.stdout).toContain('unset GOSUMDB') // set in the environment: go env -w could not override it
  expect(r.stdout).toContain('✔ go can reach what it needs as configured')
})

test('a silent first proxy: timeout at the HTTP stage; go cannot work with "," so the fix leaves it out', async () => {
  const silent = onClose(await startBlackhole())
  const healthy = await demoProxy()
  const r = await doctor(cliEnv(`${silent.url},${healthy.url}`))
  expect(r.code).toBe(2)
  expect(r.stdout).toContain(`✖ module proxy ${silent.url}: timeout at the HTTP stage`)
  expect(r.stdout).toContain(`export GOPROXY=${healthy.url}`)
  expect(r.stdout).toContain('go-tidy-guard relay')
  expect(r.stdout).toContain('✖ go cannot work as configured')
  // With "|" go moves on after any error: it works, slowly.
  expect((await doctor(cliEnv(`${silent.url}|${healthy.url}`))).code).toBe(0)
})

test('503s name the HTTP stage; a refused port the TCP stage, with the egress proxy template', async () => {
  const failing = await demoProxy({ faults: [{ kind: 'status', status: 503 }] })
  const r = await doctor(cliEnv(failing.url))
  expect(r.code).toBe(2)
  expect(r.stdout).toContain(`✖ module proxy ${failing.url}: http-503 at the HTTP stage`)
  const refused = await refusedUrl()
  const down = await doctor(cliEnv(refused))
  expect(down.code).toBe(2)
  expect(down.stdout).toContain(`✖ module proxy ${refused}: refused at the TCP stage`)
  expect(down.stdout).toContain('export HTTPS_PROXY=http://<proxy host>:<port>')
})

test('a gateway with an unknown CA: the certificate subject and issuer, named as an intercepting gateway, and the CA fix', async () => {
  const ca = makeTestCA('Corp Gateway CA')
  const gateway = await demoProxy({ tls: issueCert(ca) })
  const r = await doctor(cliEnv(gateway.url))
  expect(r.code).toBe(2)
  expect(r.stdout).toContain(`✖ module proxy ${gateway.url}: tls-untrusted at the TLS stage`)
  expect(r.stdout).toMatch(new RegExp(`certificate subject: .*CN=127\\.0\\.0\\.1`))
  expect(r.stdout).toMatch(new RegExp(`certificate issuer: +.*${ca.commonName}`))
  expect(r.stdout).toContain('a TLS-intercepting gateway')
  expect(r.stdout).toContain(`openssl s_client -showcerts -connect 127.0.0.1:${gateway.port}`)
  expect(r.stdout).toContain('export SSL_CERT_FILE=')
  // Trusting the CA makes it healthy.
  const trusted = await doctor(cliEnv(gateway.url), '--ca-certificates', ca.certFile)
  expect(trusted.code).toBe(0)
})

test('an egress proxy: the mirror is reached through it; an egress proxy that refuses is the stage named', async () => {
  const ca = makeTestCA()
  const mirror = await demoProxy({ tls: issueCert(ca, ['mirror.test']), hostname: 'mirror.test' })
  const egress = onClose(await startEgressProxy({ hosts: { 'mirror.test': mirror.port } }))
  const env = cliEnv(mirror.url, { HTTPS_PROXY: egress.url })
  const r = await doctor(env, '--ca-certificates', ca.certFile)
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(new RegExp(`egress proxy\\s+${egress.url.replace(/[.]/g, '\\.')}\\S*\\s.*ok`))
  expect(egress.allowed('mirror.test').length).toBeGreaterThan(0)
  const refused = await refusedUrl()
  const broken = await doctor(cliEnv(mirror.url, { HTTPS_PROXY: refused }), '--ca-certificates', ca.certFile)
  expect(broken.code).toBe(2)
  expect(broken.stdout).toMatch(/✖ egress proxy \S+: refused at the TCP stage/)
  expect(broken.stdout).toContain('fix HTTPS_PROXY/HTTP_PROXY')
})

test('conflicting go env settings are named with the commands that undo them; a private host is probed', async () => {
  const healthy = await demoProxy()
  const r = await doctor(
    cliEnv(healthy.url, {
      GOINSECURE: 'example.com',
      GOFLAGS: '-insecure -mod=mod',
      GONOSUMDB: 'example.com',
      GOPRIVATE: 'git.corp.invalid/team'
    })
  )
  expect(r.stdout).toContain('Insecure module fetches allowed')
  expect(r.stdout).toContain('unset GOINSECURE')
  expect(r.stdout).toContain('export GOFLAGS=')
  expect(r.stdout).toContain('GONOSUMDB broader than GOPRIVATE')
  expect(r.stdout).toContain('export GONOSUMDB=git.corp.invalid/team')
  expect(r.stdout).toMatch(/✖ private host https:\/\/git\.corp\.invalid\/: dns at the DNS stage/)
  expect(r.stdout).toContain("echo 'machine git.corp.invalid:443 login <user> password <token>' >> ~/.netrc")
  expect(r.code).toBe(2)
})
