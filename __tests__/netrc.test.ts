// One netrc matcher for the relay, preflight, the security review and the hints (netrcMachineFor), settled against
// the real go: which requests get a netrc machine's credentials, over https and over plain http.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { netrcMachineFor } from '../src/access/netrc.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, runGo, writeModule } from './helpers/gotest-env.js'
import { issueCert, makeTestCA } from './helpers/tls.js'

describe('netrcMachineFor', () => {
  const machines = [
    'mirror.corp.example',
    'mirror.corp.example:8443',
    'host.example/goproxy',
    'host.example/goproxy/team'
  ]
  it.each([
    ['https://mirror.corp.example/x/@v/list', 'mirror.corp.example'],
    ['https://mirror.corp.example:8443/x', 'mirror.corp.example:8443'],
    ['https://host.example/goproxy/team/x/@v/list', 'host.example/goproxy/team'],
    ['https://host.example/goproxy/x', 'host.example/goproxy'],
    ['https://host.example/other', undefined],
    ['https://mirror.corp.example:9443/x', undefined], // a machine without a port does not cover another port
    ['http://mirror.corp.example/x', undefined], // never over plain http
    ['not a url', undefined]
  ])('%s -> %s', (url, machine) => {
    expect(netrcMachineFor(machines, url)).toBe(machine)
  })
})

describe('real go and netrc', () => {
  const USER = 'bot'
  const PASS = 'netrc-Zx9Zx9Zx9'
  const dep = { path: 'example.com/Dep', version: 'v1.0.0' }
  let plain: FixtureProxy, secure: FixtureProxy, caFile: string
  beforeAll(async () => {
    const ca = makeTestCA('netrc test CA')
    caFile = join(makeTempDir('gtg-ca-'), 'ca.pem')
    writeFileSync(caFile, ca.cert)
    plain = await startFixtureProxy({ modules: [dep], auth: { user: USER, pass: PASS } })
    secure = await startFixtureProxy({
      modules: [dep],
      auth: { user: USER, pass: PASS },
      tls: issueCert(ca, ['127.0.0.1'])
    })
  })
  afterAll(async () => {
    await Promise.all([plain.close(), secure.close()])
  })

  async function download(proxy: FixtureProxy): Promise<{ code: number | null; authorized: boolean }> {
    const home = makeTempDir('gtg-netrc-home-')
    writeFileSync(join(home, '.netrc'), `machine 127.0.0.1:${proxy.port} login ${USER} password ${PASS}\n`, {
      mode: 0o600
    })
    const e = makeGoEnv(proxy.url, { HOME: home, SSL_CERT_FILE: caFile, NETRC: join(home, '.netrc') })
    const dir = makeTempDir('gtg-netrc-app-')
    writeModule(dir, { path: 'example.com/app', requires: { [dep.path]: dep.version }, imports: [dep.path] })
    const before = proxy.log.length
    const r = await runGo(['mod', 'download', dep.path + '@' + dep.version], { cwd: dir, env: e.env })
    e.cleanup()
    const basic = 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64')
    return { code: r.code, authorized: proxy.log.slice(before).some((x) => x.headers.authorization === basic) }
  }

  it('go sends a netrc machine credentials over https, as netrcMachineFor says', async () => {
    expect(await download(secure)).toEqual({ code: 0, authorized: true })
    expect(netrcMachineFor([`127.0.0.1:${secure.port}`], secure.url + '/x')).toBe(`127.0.0.1:${secure.port}`)
  })

  it('go never sends them over plain http, as netrcMachineFor says', async () => {
    const r = await download(plain)
    expect(r.authorized).toBe(false)
    expect(r.code).not.toBe(0)
    expect(netrcMachineFor([`127.0.0.1:${plain.port}`], plain.url + '/x')).toBeUndefined()
  })
})
