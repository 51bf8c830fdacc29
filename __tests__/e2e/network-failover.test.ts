// Issue 3 end to end: the bundled action through the runner emulation, real go, loopback upstreams that
// fail the ways our users' proxies fail. Each run starts from an empty module cache, so go really downloads
// through the relay; go.sum (made by go itself through a healthy proxy) still verifies every byte.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { startBlackhole } from '../helpers/fixture-proxy.js'
import { issueCert, makeTestCA } from '../helpers/tls.js'
import {
  cachedZipIntact,
  closeAll,
  notPreflight,
  errors,
  exportedList,
  greeting,
  lib,
  makeTidyTemplate,
  onClose,
  preflightLine,
  proxy,
  relayRow,
  relayRows,
  runNet,
  served,
  tidyAttempts,
  verdict,
  workspaceFrom,
  type NetRun
} from './network-world.js'

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

const MODULE_PATHS = /^\/example\.com\/(greeting|lib)\//
const MODULE_FILES = /^\/example\.com\/(greeting|lib)\/@v\/[^/]+\.(mod|zip)$/

function expectTidyPass(r: NetRun): void {
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}\n${r.stderr}`)
  expect(r.outputs.drift).toBe('false')
  expect(errors(r)).toEqual([])
  // What go.sum vouches for is what go kept.
  expect(cachedZipIntact(r.gomodcache, greeting)).toBe(true)
  expect(cachedZipIntact(r.gomodcache, lib)).toBe(true)
  // The relay absorbed every fault within go's one run: no whole-run retry was needed.
  expect(tidyAttempts(r)).toBe(1)
}

test('a blackholed first proxy: verdict timeout, the healthy one serves, export-env hands on the | list', async () => {
  const hole = onClose(await startBlackhole())
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${hole.url},${good.url}`)
  expectTidyPass(r)
  // Neither go nor the relay waited out a timeout on the blackhole (30 s first-byte timeout).
  expect(r.ms).toBeLessThan(20_000)
  // tidy finished within preflight-timeout: the probe of the silent proxy was stopped, not timed out (issue 9).
  expect(verdict(r, hole.url).verdict).toBe('unfinished')
  expect(verdict(r, hole.url).hint).toMatch(/no answer yet after \d\.\d s \(http stage\)/)
  expect(verdict(r, good.url).verdict).toBe('ok')
  expect(preflightLine(r, hole.url)).toContain('⏸️ not finished')
  expect(r.annotations.some((a) => a.level === 'warning' && a.message.includes(hole.url))).toBe(false)
  expect(r.outputs.goproxy).toBe(`${hole.url},${good.url}`)
  expect(relayRow(r, good.url)).toMatchObject({ failures: 0 })
  expect(relayRow(r, good.url).bytes).toBeGreaterThan(256 * 1024)
  expect(relayRow(r, hole.url).requests).toBe(0)
  expect(hole.connections()).toBe(1) // preflight's, nothing else
  expect(served(good, '.zip')).toBe(2)
  // go reached the upstream through the relay, which asks for identity (go itself asks for gzip).
  const viaRelay = good.log.filter((e) => MODULE_PATHS.test(e.path) && notPreflight(e))
  expect(viaRelay.length).toBeGreaterThan(0)
  expect(viaRelay.every((e) => e.headers['accept-encoding'] === 'identity')).toBe(true)
  // Later steps get the upstreams, healthy first, never the relay on 127.0.0.1.
  expect(exportedList(r)).toEqual([good.url, hole.url])
})

test.each([500, 503])('HTTP %i from the first proxy for every module file: the relay fails over', async (status) => {
  // Preflight asks for greeting's .info: only the files go downloads (.mod, .zip) fail.
  const bad = await proxy({ faults: [{ kind: 'status', status, match: MODULE_FILES }] })
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${bad.url},${good.url}`)
  expectTidyPass(r)
  // Preflight's probe path is not faulted: the failover happened per request, in the relay.
  expect(verdict(r, bad.url).verdict).toBe('ok')
  expect(bad.log.filter((e) => e.status === status).length).toBeGreaterThan(0)
  expect(served(bad)).toBe(0)
  expect(served(good, '.zip')).toBe(2)
  expect(relayRow(r, bad.url).failures).toBeGreaterThan(0)
  expect(relayRow(r, good.url).bytes).toBeGreaterThan(256 * 1024)
})

test('a reset mid-zip: the zip is resumed or fetched again and still verifies against go.sum', async () => {
  const bad = await proxy({ faults: [{ kind: 'reset', match: 'lib/@v/v1.0.0.zip', times: 1 }] })
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${bad.url},${good.url}`)
  expectTidyPass(r)
  const cut = bad.log.find((e) => e.fault === 'reset')
  expect(cut).toBeDefined()
  expect(cut!.bytes).toBeGreaterThan(64 * 1024)
  const zips = (p: typeof bad) => p.log.filter((e) => e.path.endsWith('/lib/@v/v1.0.0.zip') && !e.fault)
  const resumed = zips(bad).some((e) => e.status === 206 && e.headers.range === `bytes=${cut!.bytes}-`)
  const again = [...zips(bad), ...zips(good)].some((e) => e.status === 200)
  expect(resumed || again).toBe(true)
  expect(relayRow(r, bad.url).retries).toBeGreaterThan(0)
})

test('an unresolvable first proxy (.invalid): verdict dns, passes', async () => {
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `https://proxy.invalid,${good.url}`)
  expectTidyPass(r)
  expect(verdict(r, 'https://proxy.invalid')).toMatchObject({ verdict: 'dns' })
  expect(preflightLine(r, 'https://proxy.invalid')).toMatch(/❌ dns .*proxy\.invalid does not resolve/)
  expect(served(good, '.zip')).toBe(2)
  expect(exportedList(r)).toEqual([good.url, 'https://proxy.invalid'])
})

test('an untrusted TLS certificate: verdict tls-untrusted naming subject and issuer, passes via the next proxy', async () => {
  const ca = makeTestCA('Intercepting CA')
  const tls = await proxy({ tls: issueCert(ca) })
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${tls.url},${good.url}`)
  expectTidyPass(r)
  const v = verdict(r, tls.url)
  expect(v.verdict).toBe('tls-untrusted')
  expect(v.certificate?.issuer).toContain(ca.commonName)
  expect(v.certificate?.subject).toContain('127.0.0.1')
  const line = preflightLine(r, tls.url)
  expect(line).toContain('❌ tls-untrusted')
  expect(line).toMatch(new RegExp(`subject: [^;]*127\\.0\\.0\\.1.*issuer: [^|]*${ca.commonName}`))
  expect(served(tls)).toBe(0)
  expect(served(good, '.zip')).toBe(2)
})

test('a single flaky proxy with no alternative: 503s and a reset are retried', async () => {
  const flaky = await proxy({
    faults: [
      { kind: 'status', status: 503, match: 'greeting/@v/v1.0.0.mod', times: 2 },
      { kind: 'status', status: 503, match: 'greeting/@v/v1.0.0.zip', times: 1 },
      { kind: 'reset', match: 'lib/@v/v1.0.0.zip', times: 1 }
    ]
  })
  const r = await runNet(workspaceFrom(template), flaky.url)
  expectTidyPass(r)
  const faulted = flaky.log.filter((e) => e.fault).length
  expect(faulted).toBe(4)
  const row = relayRow(r, flaky.url)
  expect(row.retries).toBeGreaterThanOrEqual(faulted)
  expect(row.failures).toBeGreaterThanOrEqual(faulted)
  expect(row.state).toBe('in use')
  expect(relayRows(r.summary).size).toBe(1)
})

test("relay 'false': go itself gets the healthy upstreams first, |-separated", async () => {
  const hole = onClose(await startBlackhole())
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${hole.url},${good.url}`, { relay: 'false' })
  expectTidyPass(r)
  expect(r.summary).not.toContain('### Relay')
  expect(exportedList(r)).toEqual([good.url, hole.url])
  expect(hole.connections()).toBe(1) // preflight's: go went to the healthy one first
  // go's own requests (it asks for gzip; the relay asks upstreams for identity).
  const module = good.log.filter((e) => MODULE_PATHS.test(e.path) && notPreflight(e))
  expect(module.length).toBeGreaterThan(0)
  expect(module.every((e) => /gzip/.test(String(e.headers['accept-encoding'])))).toBe(true)
})
