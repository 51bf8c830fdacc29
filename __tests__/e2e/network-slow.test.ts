// Issue 3 end to end, the cases around the relay's 30 s timeouts (first byte, stall): a stalled zip must not wait
// one out (the relay hedges to the next upstream); every upstream down must fail within one. Run concurrently,
// since both spend their time idle.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { refusedUrl, startBlackhole } from '../helpers/fixture-proxy.js'
import {
  cachedZipIntact,
  closeAll,
  errors,
  greeting,
  lib,
  makeTidyTemplate,
  onClose,
  preflightLine,
  proxy,
  relayRow,
  runNet,
  tidyAttempts,
  workspaceFrom
} from './network-world.js'

// The relay's defaults (src/relay/relay.ts): nothing can make these cases quicker from outside yet.
const RELAY_TIMEOUT_MS = 30_000
const PREFLIGHT_TIMEOUT_MS = 2_000
// Node and go start-up and the two-core machine's noise, nothing the action spends waiting.
const SLACK_MS = 5_000
// Long enough to see a run that overshoots its bound fail on the bound, not on jest's timeout.
const TEST_TIMEOUT_MS = 100_000

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

test.concurrent(
  'a body that stalls mid-zip is served by the next upstream long before the stall timeout, and verifies',
  async () => {
    const bad = await proxy({ faults: [{ kind: 'stall', match: 'lib/@v/v1.0.0.zip', times: 1 }] })
    const good = await proxy()
    const r = await runNet(workspaceFrom(template), `${bad.url},${good.url}`)
    if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}\n${r.stderr}`)
    expect(errors(r)).toEqual([])
    expect(tidyAttempts(r)).toBe(1) // the relay resumed it, not a second go run
    expect(cachedZipIntact(r.gomodcache, lib)).toBe(true)
    expect(cachedZipIntact(r.gomodcache, greeting)).toBe(true)
    // Not a wait for the stall timeout: the relay hedged the silent request to the next upstream.
    expect(r.ms).toBeLessThan(RELAY_TIMEOUT_MS / 2)
    const stalled = bad.log.find((e) => e.fault === 'stall')!
    expect(stalled.bytes).toBeGreaterThan(64 * 1024)
    const zips = (p: typeof bad) => p.log.filter((e) => e.path.endsWith('/lib/@v/v1.0.0.zip') && !e.fault)
    expect(zips(good).some((e) => e.status === 200)).toBe(true)
    expect(relayRow(r, bad.url).state).toContain('demoted')
    expect(relayRow(r, good.url).hedges).toBeGreaterThan(0)
  },
  TEST_TIMEOUT_MS
)

test.concurrent(
  'every proxy down: fails within preflight-timeout + 30 s naming each upstream and its diagnosis',
  async () => {
    const hole = onClose(await startBlackhole())
    const refused = await refusedUrl()
    const invalid = 'https://proxy.invalid'
    const r = await runNet(workspaceFrom(template), `${refused},${hole.url},${invalid}`)
    expect(r.timedOut).toBe(false)
    expect(r.exitCode).toBe(1)
    expect(r.ms).toBeLessThan(PREFLIGHT_TIMEOUT_MS + RELAY_TIMEOUT_MS + SLACK_MS)
    const e = errors(r).find((a) => a.title?.includes('go mod tidy failed'))
    expect(e?.title).toContain('(network)')
    expect(preflightLine(r, refused)).toContain('❌ refused')
    expect(preflightLine(r, hole.url)).toContain('❌ timeout')
    expect(preflightLine(r, invalid)).toContain('❌ dns')
    // The relay knew every upstream was down: no whole-run retry.
    expect(r.summary).toContain('💥 error')
    expect(tidyAttempts(r)).toBe(1)
    for (const u of [refused, hole.url, invalid]) expect(relayRow(r, u).bytes).toBe(0)
  },
  TEST_TIMEOUT_MS
)
