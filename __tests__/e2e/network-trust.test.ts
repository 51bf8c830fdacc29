// Issue 3 end to end, what the relay must never weaken or leak: go.sum stays authoritative (a checksum
// mismatch fails at once, no second proxy asked for the zip), upstream credentials never show, and an
// egress proxy (HTTPS_PROXY) carries preflight and relay traffic to the upstream but never to the relay.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startEgressProxy } from '../helpers/egress-proxy.js'
import { wrongHash } from '../helpers/modzip.js'
import { issueCert, makeTestCA } from '../helpers/tls.js'
import {
  cachedZipIntact,
  closeAll,
  errors,
  exportedList,
  greeting,
  makeTidyTemplate,
  onClose,
  proxy,
  relayRow,
  runNet,
  served,
  tidyAttempts,
  verdict,
  visibleText,
  workspaceFrom
} from './network-world.js'

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

test('a checksum mismatch fails as a security error, go.sum untouched, no zip from the second proxy', async () => {
  const first = await proxy()
  const second = await proxy()
  const ws = workspaceFrom(template)
  const sumFile = join(ws, 'go.sum')
  const lines = readFileSync(sumFile, 'utf8').split('\n')
  const i = lines.findIndex((l) => l.startsWith(`${greeting.path} ${greeting.version} h1:`))
  lines[i] = `${greeting.path} ${greeting.version} ${wrongHash()}`
  const tampered = lines.join('\n')
  writeFileSync(sumFile, tampered)
  const r = await runNet(ws, `${first.url},${second.url}`)
  expect(r.exitCode).toBe(1)
  expect(readFileSync(sumFile, 'utf8')).toBe(tampered)
  const e = errors(r).find((a) => a.title?.includes('go mod tidy failed'))
  expect(e?.title).toContain('(security)')
  expect(e?.message).toMatch(/checksum mismatch|SECURITY ERROR/)
  expect(r.summary).toContain('security error')
  expect(tidyAttempts(r)).toBe(1) // a security error is never retried
  expect(first.log.some((x) => x.path.endsWith('/greeting/@v/v1.0.0.zip') && x.status === 200)).toBe(true)
  expect(second.zipRequests()).toBe(0)
})

const user = 'ci-bot'
const password = 'pa55word'

test.each([
  ['passes', [] as const],
  ['fails with HTTP 500', [{ kind: 'status', status: 500, match: /^\/example\.com\/greeting\/.*\.zip$/ }] as const]
])('credentials in a proxy URL are sent but never printed (run %s)', async (outcome, faults) => {
  const secret = await proxy({ auth: { user, pass: password }, faults: [...faults] })
  expect(secret.authUrl).toContain(`:${password}@`)
  const r = await runNet(workspaceFrom(template), secret.authUrl, { retries: '1' })
  expect(r.exitCode).toBe(outcome === 'passes' ? 0 : 1)
  const basic = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')
  const text = visibleText(r)
  for (const leak of [password, encodeURIComponent(password), basic.slice(6)]) expect(text).not.toContain(leak)
  expect(text).toContain('***@127.0.0.1') // the URL is shown, redacted
  const shown = secret.authUrl.replace(`${user}:${password}@`, '***@')
  expect(verdict(r, shown).verdict).toBe('ok') // preflight authenticated (401 would be 'auth')
  expect(relayRow(r, shown).requests).toBeGreaterThan(0)
  expect(secret.log.filter((e) => e.headers.authorization === basic).length).toBeGreaterThan(1)
  expect(secret.log.filter((e) => e.status === 401)).toEqual([])
  expect(r.outputs.goproxy).toBe(shown)
})

test('HTTPS_PROXY carries preflight and relay traffic to the upstream, never the relay', async () => {
  const ca = makeTestCA('Mirror CA')
  const mirror = await proxy({ tls: issueCert(ca, ['mirror.test']), hostname: 'mirror.test' })
  const egress = onClose(await startEgressProxy({ hosts: { 'mirror.test': mirror.port } }))
  expect(mirror.url).toBe(`https://mirror.test:${mirror.port}`)
  // mirror.test resolves nowhere but in the egress proxy; its CA is trusted the way go and the runner trust one.
  const r = await runNet(
    workspaceFrom(template),
    mirror.url,
    {},
    { HTTPS_PROXY: egress.url, SSL_CERT_FILE: ca.certFile }
  )
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}\n${r.stderr}`)
  expect(cachedZipIntact(r.gomodcache, greeting)).toBe(true)
  const v = verdict(r, mirror.url) as ReturnType<typeof verdict> & { via?: string }
  expect(v.verdict).toBe('ok')
  expect(v.via).toBe(egress.url)
  expect(r.summary).toContain(`**Egress proxy** \`${egress.url}\``)
  expect(served(mirror, '.zip')).toBe(2)
  expect(relayRow(r, mirror.url).bytes).toBeGreaterThan(0)
  // One tunnel for the probe, at least one for the relay's requests; nothing else went through the proxy.
  expect(egress.allowed('mirror.test').filter((e) => e.method === 'CONNECT').length).toBeGreaterThanOrEqual(2)
  expect(egress.log.filter((e) => e.host !== 'mirror.test')).toEqual([])
  expect(exportedList(r)).toEqual([mirror.url])
})
