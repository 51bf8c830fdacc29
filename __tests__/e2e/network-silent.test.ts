// Issue 9 end to end: silent proxies and filtering mirrors as real networks have them, through the bundled action.
// Without the relay, go has no timeout of its own: preflight leaves out proxies it could not talk to, and a
// watchdog stops a go that makes no progress. With the relay, serving starts at the first proxy that answers like a
// module proxy, and probes that tidy outran are "not finished", never a warning.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startBlackhole } from '../helpers/fixture-proxy.js'
import { makeWorkspace } from '../helpers/runner.js'
import {
  closeAll,
  errors,
  makeTidyTemplate,
  onClose,
  preflightOf,
  proxy,
  runNet,
  verdict,
  workspaceFrom
} from './network-world.js'

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

const warnings = (r: { annotations: Array<{ level: string; message: string; title?: string }> }) =>
  r.annotations.filter((a) => a.level === 'warning' && a.title === 'Preflight')

test('relay: false with a silent first proxy: go gets only the proxy that answers, and the step passes', async () => {
  const hole = onClose(await startBlackhole())
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${hole.url},${good.url}`, {
    relay: 'false',
    'preflight-timeout': '2'
  })
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}`)
  expect(r.outputs.drift).toBe('false')
  expect(verdict(r, hole.url).verdict).toBe('timeout')
  // preflight-timeout (2 s) plus go's own work; go never waited on the silent proxy.
  expect(r.ms).toBeLessThan(2_000 + 8_000)
  expect(hole.connections()).toBe(1) // preflight's probe, nothing from go
})

test('relay: false, no preflight, a proxy that stalls mid-zip: the watchdog stops go and names the URL', async () => {
  const stalling = await proxy({ faults: [{ kind: 'stall', match: '.zip' }] })
  const r = await runNet(workspaceFrom(template), stalling.url, {
    relay: 'false',
    preflight: 'false',
    'stall-timeout': '2'
  })
  expect(r.exitCode).not.toBe(0)
  expect(r.ms).toBeLessThan(2_000 + 10_000)
  const [error] = errors(r)
  expect(error.message).toContain('go made no progress for 2 s waiting for')
  expect(error.message).toContain(`${stalling.url}/example.com/`)
  expect(error.title).toContain('(network)')
  // The summary is still written, with the module's verdict.
  expect(r.summary).toContain('💥 error')
  // Only our watchdog's trace was added to go's flags: it is not shown back to the user.
  expect(r.summary).not.toContain('# get ')
})

test('relay: true, a slow but healthy upstream: the watchdog leaves go waiting on the relay alone', async () => {
  // The relay answers go only from a complete body: a slow zip shows go no progress, and the relay times its
  // upstreams itself. The watchdog must not stop go here (stall-timeout 1 s, the zip takes 2.5 s to start).
  const slow = await proxy({ faults: [{ kind: 'delay', ms: 2500, match: '.zip' }] })
  const r = await runNet(workspaceFrom(template), slow.url, { 'stall-timeout': '1' })
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}`)
  expect(r.outputs.drift).toBe('false')
})

test('relay: false, a .mod body that stalls after its headers: the watchdog stops go and names the URL', async () => {
  const stalling = await proxy({ faults: [{ kind: 'stall', match: /\/lib\/@v\/v1\.0\.0\.mod$/ }] })
  const r = await runNet(workspaceFrom(template), stalling.url, {
    relay: 'false',
    preflight: 'false',
    'stall-timeout': '2'
  })
  expect(r.exitCode).not.toBe(0)
  expect(r.ms).toBeLessThan(2_000 + 10_000)
  expect(errors(r)[0].message).toContain(`waiting for ${stalling.url}/example.com/lib/@v/v1.0.0.mod`)
})

test('relay: false, a silent proxy alone, no preflight: the watchdog ends the step', async () => {
  const hole = onClose(await startBlackhole())
  const r = await runNet(workspaceFrom(template), hole.url, {
    relay: 'false',
    preflight: 'false',
    'stall-timeout': '1.5'
  })
  expect(r.exitCode).not.toBe(0)
  expect(r.ms).toBeLessThan(1_500 + 10_000)
  expect(errors(r)[0].message).toMatch(
    /go made no progress for [12] s waiting for http:\/\/127\.0\.0\.1:\d+\/example\.com\//
  )
})

test('a dead first proxy and an allow-list mirror: the relay serves as soon as the mirror answers, no warning about it', async () => {
  const hole = onClose(await startBlackhole())
  // The mirror allows exactly what the app needs: preflight's made-up probe module would be refused with a 403.
  const mirror = await proxy({ filter: { allow: ['example.com/greeting', 'example.com/lib'] } })
  const r = await runNet(workspaceFrom(template), `${hole.url},${mirror.url}`, { 'preflight-timeout': '15' })
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}`)
  expect(verdict(r, mirror.url).verdict).toBe('ok')
  // Not the preflight deadline: the relay did not wait for a verdict on the silent proxy.
  expect(r.ms).toBeLessThan(10_000)
  expect(warnings(r).filter((w) => w.message.includes(mirror.url))).toEqual([])
  expect(mirror.log.some((e) => e.path === '/example.com/greeting/@v/v1.0.0.info')).toBe(true)
})

test('tidy outruns a slow probe: the probe is "not finished", shown neutrally, and no warning is raised', async () => {
  const slow = await proxy({ faults: [{ kind: 'delay', ms: 20_000 }] })
  const ws = makeWorkspace()
  writeFileSync(join(ws, 'go.mod'), 'module example.com/solo\n\ngo 1.21\n')
  writeFileSync(join(ws, 'main.go'), 'package main\n\nfunc main() {}\n')
  const r = await runNet(ws, slow.url, { 'preflight-timeout': '15' })
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}`)
  expect(r.ms).toBeLessThan(10_000)
  expect(preflightOf(r).map((p) => p.verdict)).toEqual(['unfinished'])
  expect(r.summary).toContain('⏸️ not finished')
  expect(warnings(r)).toEqual([])
})
