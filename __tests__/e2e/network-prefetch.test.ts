// The relay fetches what a cold module cache lacks ahead of go (relay/prefetch.ts, go/needs.ts), end to end through
// the bundled action: every file once, go's own requests answered from what was fetched, and never a request go
// itself would not make: a replaced (local) module path, often a private one, never reaches the proxy.
import { afterAll, expect, test } from '@jest/globals'
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeGoEnv, makeTempDir, runGo, writeModule } from '../helpers/gotest-env.js'
import { makeWorkspace } from '../helpers/runner.js'
import { closeAll, greeting, lib, onClose, proxy, relayRow, runNet } from './network-world.js'

afterAll(closeAll)

const PRIVATE = 'corp.example/Private/Kit'

/** The app requires the two fixtures and a private module that a replace directive points at a local directory. */
async function tidyApp(goproxy: string): Promise<string> {
  const dir = makeTempDir('gtg-prefetch-app-')
  writeModule(join(dir, 'kit'), { path: PRIVATE, files: { 'kit.go': 'package kit\n' } })
  writeModule(join(dir, 'app'), {
    path: 'example.com/app',
    requires: { [greeting.path]: greeting.version, [lib.path]: lib.version, [PRIVATE]: 'v0.0.0' },
    imports: [greeting.path, lib.path, PRIVATE]
  })
  writeFileSync(join(dir, 'app', 'go.mod'), `replace ${PRIVATE} => ../kit\n`, { flag: 'a' })
  const env = makeGoEnv(goproxy)
  onClose({ close: async () => env.cleanup() })
  const r = await runGo(['mod', 'tidy'], { cwd: join(dir, 'app'), env: env.env })
  if (r.code !== 0) throw new Error(`go mod tidy: ${r.stderr}`)
  return dir
}

test('a cold run: each file fetched once, the replaced private path never asked, and the step passes', async () => {
  const up = await proxy()
  const template = await tidyApp(up.url)
  const ws = makeWorkspace()
  mkdirSync(ws, { recursive: true })
  cpSync(template, ws, { recursive: true })
  const from = up.log.length
  const r = await runNet(ws, up.url, { modules: 'app', preflight: 'false' })
  if (r.exitCode !== 0) throw new Error(`the action failed:\n${r.stdout}`)
  expect(r.outputs.drift).toBe('false')
  const asked = up.log.slice(from).map((e) => e.path)
  const files = [greeting, lib].flatMap((m) => ['mod', 'zip'].map((x) => `/${m.path}/@v/${m.version}.${x}`))
  for (const f of files) expect(asked.filter((p) => p === f)).toHaveLength(1)
  expect(asked.filter((p) => /private|kit/i.test(p))).toEqual([])
  expect(relayRow(r, up.url).requests).toBe(asked.length)
  // Fetched ahead: asked with the relay's own user agent, before any go asked (go's requests carry go's).
  const ahead = up.log.slice(from).filter((e) => e.headers['user-agent'] === 'go-tidy-guard-relay')
  expect(ahead.map((e) => e.path).sort()).toEqual([...files].sort())
  // The summary says so, under the relay's table: go then asked for each of them.
  expect(r.summary).toMatch(/\nFetched ahead of go: 4 module files \([\d.]+ (B|KiB|MiB)\); go asked for 4 of them\.\n/)
})
