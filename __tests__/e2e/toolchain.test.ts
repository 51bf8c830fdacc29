// Finding Go as the runner offers it: PATH first, else the newest Go in RUNNER_TOOL_CACHE (where actions/setup-go
// installs it), else a clear error pointing at actions/setup-go.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { arch } from 'node:os'
import { dirname, join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from '../helpers/fixture-proxy.js'
import { GO_BIN, makeGoEnv, makeTempDir, writeModule } from '../helpers/gotest-env.js'
import { makeWorkspace, runAction } from '../helpers/runner.js'

let proxy: FixtureProxy
beforeAll(async () => {
  proxy = await startFixtureProxy({ modules: [] })
})
afterAll(async () => {
  await proxy.close()
})

const GOROOT = dirname(dirname(GO_BIN))
const PATH_WITHOUT_GO = '/usr/bin:/bin'

function toolCacheWith(versions: string[]): string {
  const tc = makeTempDir('gtg-tc-')
  for (const v of versions) {
    const dir = join(tc, 'go', v)
    mkdirSync(dir, { recursive: true })
    symlinkSync(GOROOT, join(dir, arch()))
    writeFileSync(join(dir, `${arch()}.complete`), '')
  }
  return tc
}

describe('go toolchain', () => {
  test('without go on PATH, the newest Go in the runner tool cache is used', async () => {
    const ws = makeWorkspace()
    writeModule(ws, { path: 'example.com/app' })
    const env = { ...makeGoEnv(proxy.url).env, PATH: PATH_WITHOUT_GO }
    const r = await runAction({
      workspace: ws,
      env,
      toolCache: toolCacheWith(['1.20.1', '1.26.8']),
      inputs: { cache: 'false' }
    })
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect(r.outputs.drift).toBe('false')
    expect(r.summary).toContain('**Go** 1.26')
  })

  test('a dependency needs a newer Go than go.mod says: the hint names that version, not go-version-file', async () => {
    proxy.addModules([
      { path: 'example.com/NewDep', version: 'v1.0.0', gomod: 'module example.com/NewDep\n\ngo 1.99\n' }
    ])
    const ws = makeWorkspace()
    writeModule(ws, {
      path: 'example.com/app',
      requires: { 'example.com/NewDep': 'v1.0.0' },
      imports: ['example.com/NewDep']
    })
    const r = await runAction({ workspace: ws, env: makeGoEnv(proxy.url).env, inputs: { cache: 'false' } })
    expect(r.exitCode).toBe(1)
    const [e] = r.annotations.filter((a) => a.level === 'error')
    expect(e.title).toContain('(toolchain)')
    expect(e.message).toContain('A dependency needs Go 1.99 or newer, but go.mod says `go 1.21`')
    expect(e.message).toContain("`go-version: '1.99'`")
  })

  test('no go anywhere: a clear error that suggests actions/setup-go, before anything else', async () => {
    const ws = makeWorkspace()
    writeModule(ws, { path: 'example.com/app' })
    const env = { ...makeGoEnv(proxy.url).env, PATH: PATH_WITHOUT_GO }
    const before = proxy.log.length
    const r = await runAction({ workspace: ws, env, toolCache: toolCacheWith([]), inputs: { cache: 'false' } })
    expect(r.exitCode).toBe(1)
    const errors = r.annotations.filter((a) => a.level === 'error').map((a) => a.message)
    expect(errors.join('\n')).toMatch(/go was not found.*actions\/setup-go/)
    expect(proxy.log.length).toBe(before)
  })
})
