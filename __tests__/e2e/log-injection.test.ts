// Issue 10, point 1 end to end: workflow commands hidden in what go prints (a pull request's import path) or in a
// proxy's refusal body reach the log as text and execute nothing, with the relay on and off. The runner emulation
// parses the step's stdout as the runner does (runner-commands.ts, honouring ::stop-commands::).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { closeAll, makeTidyTemplate, proxy, runNet, workspaceFrom, type NetRun } from './network-world.js'

const FAKE = 'FAKE'
const COMMANDS = [
  `::error file=main.go,line=1,title=${FAKE}::injected`,
  '::add-mask::go.mod',
  '::save-state name=netrc-file::/etc/passwd',
  '::set-output name=injected::yes',
  '::stop-commands::x'
]

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

/** The step failed on its own terms, showed the hostile text, and the runner executed none of it. */
function expectNothingInjected(r: NetRun, shown: string): void {
  expect(r.exitCode).toBe(1)
  expect(r.stdout).toContain(shown)
  expect(r.annotations.filter((a) => a.title === FAKE || a.message === 'injected')).toEqual([])
  expect(r.annotations.some((a) => a.level === 'error' && a.title?.startsWith('go mod tidy failed'))).toBe(true)
  expect(r.masks).not.toContain('go.mod')
  expect(r.maskedStdout).toContain('go.mod')
  expect(r.state['netrc-file']).toBeUndefined()
  expect(r.outputs.injected).toBeUndefined()
  expect(r.groups).toContain('go output for .')
}

describe.each(['true', 'false'])('relay: %s', (relay) => {
  test('an import path in a pull request: go echoes it on a tab-indented line', async () => {
    const ws = workspaceFrom(template)
    const path = COMMANDS[0]
    writeFileSync(join(ws, 'main.go'), `package main\n\nimport _ ${JSON.stringify(path)}\n\nfunc main() {}\n`)
    const r = await runNet(ws, (await proxy()).url, { relay })
    expectNothingInjected(r, `\t${path}`)
  })

  test('a proxy refusing a module with commands in its text body', async () => {
    const mirror = await proxy({ filter: { allow: ['example.com/greeting'], body: COMMANDS.join('\n') + '\n' } })
    const r = await runNet(workspaceFrom(template), mirror.url, { relay })
    expect(mirror.log.some((e) => e.status === 403)).toBe(true)
    expectNothingInjected(r, COMMANDS[1])
  })
})
