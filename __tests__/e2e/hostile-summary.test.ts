// Issue 10, points 4 and 9 end to end: an egress proxy written without a scheme keeps its password out of
// everything the runner shows, and a directory name from a pull request renders no HTML in the job summary.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { cpSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { closeAll, makeTidyTemplate, proxy, runNet, visibleText, workspaceFrom } from './network-world.js'

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
})
afterAll(closeAll)

test('HTTPS_PROXY=user:password@host:port (go reads it as http://): masked and never shown', async () => {
  const PASS = 'Egress+Pw4==' // no `/`: go refuses a scheme-less proxy with one
  const r = await runNet(
    workspaceFrom(template),
    (await proxy()).url,
    {},
    { HTTPS_PROXY: `ci:${PASS}@egress.invalid:3128` }
  )
  expect(r.exitCode).toBe(0) // loopback upstreams never go through the egress proxy
  expect(r.summary).toContain('**Egress proxy** `***@egress.invalid:3128`')
  expect(r.masks).toContain(PASS)
  expect(visibleText(r)).not.toContain(PASS)
})

test('a module directory named like HTML, with drift: text in the table and in the <summary> of its diff', async () => {
  const IMG = '<img src=x onerror=alert(1)>'
  const ws = workspaceFrom(template)
  mkdirSync(join(ws, IMG))
  for (const f of ['go.mod', 'main.go']) cpSync(join(ws, f), join(ws, IMG, f)) // no go.sum: tidy adds it (drift)
  const r = await runNet(ws, (await proxy()).url)
  expect(r.exitCode).toBe(1)
  const escaped = '&#60;img src=x onerror=alert(1)&#62;'
  expect(r.summary).toContain(`| example.com/app | ${escaped} | ❌ drift |`)
  expect(r.summary).toContain(`<details open><summary><b>${escaped}</b>: ${escaped}/go.sum</summary>`)
  const outsideCodeBlocks = r.summary.replace(/^```[^\n]*\n[\s\S]*?\n```$/gm, '') // a diff shows it as text
  expect(outsideCodeBlocks).not.toContain('<img')
})
