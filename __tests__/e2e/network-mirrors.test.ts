// Issue 9 end to end: an enterprise allow-list mirror that refuses a module the app needs. Without credentials its
// 403 is the mirror's policy, said so with the module@version, never a credentials hint and never the relay's address.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { closeAll, errors, makeTidyTemplate, proxy, runNet, workspaceFrom } from './network-world.js'

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

test.each([
  ['true', 'An upstream module proxy refused example.com/lib@v1.0.0'],
  ['false', 'refused example.com/lib@v1.0.0']
])('relay: %s, a mirror whose allow-list lacks a needed module: a policy error naming it', async (relay, said) => {
  const mirror = await proxy({ filter: { allow: ['example.com/greeting'] } })
  const r = await runNet(workspaceFrom(template), mirror.url, { relay })
  expect(r.exitCode).not.toBe(0)
  const [e] = errors(r)
  expect(e.title).toContain('(policy)')
  expect(e.message).toContain(said)
  expect(e.message).toContain('"this module version is not available"')
  expect(e.message).toContain('`goprivate`')
  expect(e.message).not.toMatch(/credentials in the|netrc/)
  // The relay's random address is nowhere; the mirror's own URL may be.
  const shown = [r.summary, JSON.stringify(r.annotations)].join('\n')
  const relayAddress = new RegExp(`127\\.0\\.0\\.1:(?!${mirror.port})\\d+`)
  expect(shown).not.toMatch(relayAddress)
})
