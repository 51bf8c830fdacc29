// Issue 10, point 8: paths from inputs and from the repository never lead out of the workspace. Each attempt is
// refused naming the input, before anything is downloaded, and nothing outside is read into a report or written.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from '../helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, writeModule } from '../helpers/gotest-env.js'
import { makeWorkspace, runAction, type ActionRun } from '../helpers/runner.js'

let proxy: FixtureProxy
beforeAll(async () => {
  proxy = await startFixtureProxy({ modules: [{ path: 'example.com/greeting', version: 'v1.0.0' }] })
})
afterAll(async () => {
  await proxy.close()
})

/** Outside the workspace: a module whose go.mod a hostile pull request would like the action to print or rewrite. */
function outsideModule(): string {
  const dir = makeTempDir('gtg-outside-')
  writeModule(dir, { path: 'example.com/secret', requires: { 'example.com/greeting': 'v1.0.0' } })
  writeFileSync(
    join(dir, 'go.mod'),
    'module example.com/secret\n\ngo 1.21\n\nrequire example.com/greeting v1.0.0 // OUTSIDE-MARKER\n'
  )
  return dir
}

async function step(ws: string, inputs: Record<string, string>): Promise<ActionRun> {
  const before = proxy.log.length
  const r = await runAction({ workspace: ws, inputs: { cache: 'false', ...inputs }, env: makeGoEnv(proxy.url).env })
  expect(proxy.log.length).toBe(before) // refused before anything was fetched
  expect(r.exitCode).toBe(1)
  expect([r.summary, r.stdout, JSON.stringify(r.outputs)].join('\n')).not.toContain('OUTSIDE-MARKER')
  return r
}

const firstError = (r: ActionRun): string => r.annotations.find((a) => a.level === 'error')?.message ?? ''

test.each([
  ['an absolute directory elsewhere', () => outsideModule()],
  ['a relative path up and out', () => '../../..'],
  [
    'a committed symlink to a directory outside',
    (ws: string) => (symlinkSync(outsideModule(), join(ws, 'link')), 'link')
  ]
])('working-directory: %s is refused', async (_name, value) => {
  const ws = makeWorkspace()
  const r = await step(ws, { 'working-directory': value(ws) })
  expect(firstError(r)).toMatch(/^working-directory: ".*" is outside the workspace/)
})

test('modules: a committed symlink to a module outside is refused, naming the input', async () => {
  const ws = makeWorkspace()
  symlinkSync(outsideModule(), join(ws, 'vendored'))
  const r = await step(ws, { modules: 'vendored' })
  expect(firstError(r)).toContain(
    'modules: the module in "vendored" cannot be checked: the directory leads outside the workspace'
  )
})

test('a go.mod that is a symlink to a file outside is neither printed (check) nor written through (fix)', async () => {
  const outside = outsideModule()
  const ws = makeWorkspace()
  mkdirSync(join(ws, 'app'))
  symlinkSync(join(outside, 'go.mod'), join(ws, 'app', 'go.mod'))
  writeFileSync(join(ws, 'app', 'main.go'), 'package main\n\nfunc main() {}\n')
  for (const mode of ['check', 'fix']) {
    const r = await step(ws, { mode })
    expect(firstError(r)).toContain(
      'the module in "app" cannot be checked: go.mod is a symlink to a file outside the workspace'
    )
  }
  expect(readFileSync(join(outside, 'go.mod'), 'utf8')).toContain('OUTSIDE-MARKER')
})

test('a go.sum that is a dangling symlink (fix mode would create its target outside) is refused', async () => {
  const ws = makeWorkspace()
  writeModule(ws, { path: 'example.com/app' })
  const target = join(makeTempDir('gtg-outside-'), 'written-by-go.txt')
  symlinkSync(target, join(ws, 'go.sum'))
  const r = await step(ws, { mode: 'fix' })
  expect(firstError(r)).toContain('go.sum is a symlink to a file that does not exist')
  expect(existsSync(target)).toBe(false)
})

test('ca-certificates: a relative path out of the workspace is refused; an absolute CA file elsewhere is allowed', async () => {
  const ws = makeWorkspace()
  writeModule(ws, { path: 'example.com/app' })
  const pem = join(makeTempDir('gtg-ca-'), 'corp.pem')
  writeFileSync(pem, 'not a certificate\n')
  const r = await step(ws, { 'ca-certificates': `../../../../../../..${pem}` })
  expect(firstError(r)).toMatch(/^ca-certificates: ".*" leads outside the workspace/)
  // Absolute and outside is accepted as a path (then judged as PEM: this one is not).
  const abs = await step(ws, { 'ca-certificates': pem })
  expect(firstError(abs)).toMatch(/^ca-certificates: /)
  expect(firstError(abs)).not.toContain('outside the workspace')
})
