// Issue 11, reports that fit: with drift in many modules the step prints at most 10 error annotations (one per
// drifted module first, then one saying how many more), and the whole diff goes to the file named by `diff-file`.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from '../helpers/fixture-proxy.js'
import { goSumLines } from '../helpers/modzip.js'
import { makeGoEnv, writeModule } from '../helpers/gotest-env.js'
import { makeWorkspace, runAction } from '../helpers/runner.js'

const unused = { path: 'example.com/unused', version: 'v1.0.0' }
let proxy: FixtureProxy
beforeAll(async () => {
  proxy = await startFixtureProxy({ modules: [unused] })
})
afterAll(async () => {
  await proxy.close()
})

test('12 drifted modules: 10 error annotations with the failure line, one per module first, then how many more; the diff in diff-file', async () => {
  const ws = makeWorkspace()
  const rels = Array.from({ length: 12 }, (_, i) => `mod${String(i).padStart(2, '0')}`)
  for (const rel of rels) {
    writeModule(join(ws, rel), {
      path: `example.com/${rel}`,
      requires: { [unused.path]: unused.version },
      gosum: goSumLines(unused).join('\n') + '\n'
    })
  }
  const r = await runAction({
    workspace: ws,
    inputs: { cache: 'false', concurrency: '2' },
    env: makeGoEnv(proxy.url, { GOFLAGS: undefined }).env,
    actionDir: process.env.GTG_ACTION_DIR
  })
  expect(r.exitCode).toBe(1)
  const errors = r.annotations.filter((a) => a.level === 'error')
  expect(errors).toHaveLength(10)
  // One per drifted module first (each module's go.mod line), so eight modules are named...
  expect(errors.slice(0, 8).map((a) => a.file)).toEqual(rels.slice(0, 8).map((rel) => `${rel}/go.mod`))
  // ...the ninth says how many more there are (24 in all: go.mod and go.sum of each), the tenth is the failure line.
  expect(errors[8].message).toMatch(/^16 more like these \(GitHub shows 10 per step\)/)
  expect(errors[9].message).toMatch(/^go\.mod\/go\.sum are not tidy in: mod00, mod01/)
  const file = r.outputs['diff-file']
  const whole = readFileSync(file, 'utf8')
  expect(whole).toBe(r.outputs.diff) // small enough to be whole in the output too
  for (const rel of rels) expect(whole).toContain(`--- a/${rel}/go.mod`)
})
