// Issue 10, "every upstream down": one proxy silent, the other answering 503 to everything. Preflight and the relay
// both know early that nothing can serve, so the step must fail within preflight-timeout + a few seconds (not wait
// out the relay's 30 s first-byte timeout, nor retry the whole run), and the failure must name each upstream.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { startBlackhole } from '../helpers/fixture-proxy.js'
import {
  closeAll,
  errors,
  makeTidyTemplate,
  onClose,
  preflightLine,
  proxy,
  runNet,
  tidyAttempts,
  workspaceFrom
} from './network-world.js'

const PREFLIGHT_TIMEOUT_MS = 2_000
// Node and go start-up and the two-core machine's noise, nothing the action spends waiting.
const SLACK_MS = 5_000

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

test('a silent proxy and one answering 503: fails within preflight-timeout + 5 s, naming both upstreams', async () => {
  const hole = onClose(await startBlackhole())
  const failing = await proxy({ faults: [{ kind: 'status', status: 503, body: 'down for maintenance\n' }] })
  const r = await runNet(workspaceFrom(template), `${hole.url},${failing.url}`)
  expect(r.timedOut).toBe(false)
  expect(r.exitCode).toBe(1)
  expect(preflightLine(r, hole.url)).toContain('❌ timeout')
  expect(preflightLine(r, failing.url)).toContain('503')
  const e = errors(r).find((a) => a.title?.includes('go mod tidy failed'))
  expect(e?.title).toContain('(network)')
  for (const u of [hole.url, failing.url]) expect(e?.message).toContain(u)
  expect(tidyAttempts(r)).toBe(1)
  expect(r.ms).toBeLessThan(PREFLIGHT_TIMEOUT_MS + SLACK_MS)
}, 100_000)

test('the only proxy silent: fails within preflight-timeout + 5 s, naming it (go and the read-ahead wait for its verdict)', async () => {
  const hole = onClose(await startBlackhole())
  const r = await runNet(workspaceFrom(template), hole.url)
  expect(r.timedOut).toBe(false)
  expect(r.exitCode).toBe(1)
  expect(preflightLine(r, hole.url)).toContain('❌ timeout')
  const e = errors(r).find((a) => a.title?.includes('go mod tidy failed'))
  expect(e?.title).toContain('(network)')
  expect(e?.message).toContain(hole.url)
  expect(r.ms).toBeLessThan(PREFLIGHT_TIMEOUT_MS + SLACK_MS)
}, 100_000)
