// Issue 2 end to end: the bundled action run as the runner runs it, with the real go and a loopback proxy.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from '../helpers/fixture-proxy.js'
import { goSumLines, type FixtureModule } from '../helpers/modzip.js'
import { makeGoEnv, runGo, writeModule, type GoEnv } from '../helpers/gotest-env.js'
import { makeWorkspace, runAction, type ActionRun } from '../helpers/runner.js'

const greeting: FixtureModule = { path: 'example.com/greeting', version: 'v1.0.0' }
const greeting11: FixtureModule = { path: 'example.com/greeting', version: 'v1.1.0' }
const unused: FixtureModule = { path: 'example.com/unused', version: 'v1.0.0' }
const tidySum = goSumLines(greeting).join('\n') + '\n'

let proxy: FixtureProxy
const envs: GoEnv[] = []

beforeAll(async () => {
  proxy = await startFixtureProxy({ modules: [greeting, greeting11, unused] })
})
afterAll(async () => {
  await proxy.close()
  for (const e of envs) e.cleanup()
})

function goEnv(extra: Record<string, string | undefined> = {}): GoEnv {
  const e = makeGoEnv(proxy.url, extra)
  envs.push(e)
  return e
}

async function run(workspace: string, inputs: Record<string, string> = {}, extra = {}): Promise<ActionRun> {
  return runAction({ workspace, inputs: { cache: 'false', ...inputs }, env: goEnv(extra).env })
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of readdirSync(dir)) out[f] = readFileSync(join(dir, f), 'latin1')
  return out
}

/** The app module as go itself writes it when tidy: requires and imports example.com/greeting v1.0.0. */
async function tidyApp(dir: string, extra: Record<string, string | undefined> = {}): Promise<void> {
  writeModule(dir, {
    path: 'example.com/app',
    requires: { 'example.com/greeting': 'v1.0.0' },
    imports: ['example.com/greeting']
  })
  await go(dir, ['mod', 'tidy'], extra)
}

async function go(dir: string, args: string[], extra: Record<string, string | undefined> = {}): Promise<void> {
  const r = await runGo(args, { cwd: dir, env: goEnv(extra).env })
  if (r.code !== 0) throw new Error(`go ${args.join(' ')}: ${r.stderr}`)
}

const errors = (r: ActionRun) => r.annotations.filter((a) => a.level === 'error')

describe('check mode', () => {
  test('a tidy module passes with drift=false and outputs', async () => {
    const ws = makeWorkspace()
    await tidyApp(ws)
    expect(readFileSync(join(ws, 'go.sum'), 'utf8')).toBe(tidySum)
    const before = snapshot(ws)
    const r = await run(ws)
    expect(snapshot(ws)).toEqual(before)
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect(r.outputs.drift).toBe('false')
    expect(r.outputs.diff).toBe('')
    expect(JSON.parse(r.outputs.modules)).toEqual(['.'])
    expect(r.outputs.goproxy).toBe(proxy.url)
    expect(r.summary).toContain('example.com/app')
    expect(r.summary).toMatch(/tidy/)
    expect(errors(r)).toEqual([])
  })

  test('an unused requirement fails with an annotation on its exact line and leaves files untouched', async () => {
    const ws = makeWorkspace()
    await tidyApp(ws)
    await go(ws, ['mod', 'edit', '-require=example.com/unused@v1.0.0'])
    const before = snapshot(ws)
    const r = await run(ws)
    expect(r.exitCode).toBe(1)
    expect(snapshot(ws)).toEqual(before)
    expect(r.outputs.drift).toBe('true')
    expect(r.outputs.diff).toContain('-\texample.com/unused v1.0.0')
    expect(r.outputs['changed-files'].split('\n')).toContain('go.mod')
    const gomodLines = before['go.mod'].split('\n')
    const a = errors(r).find((x) => x.file === 'go.mod')
    expect(a).toBeDefined()
    expect(gomodLines[(a!.line ?? 0) - 1]).toContain('example.com/unused v1.0.0')
    expect(a!.message).toContain('example.com/unused')
    expect(r.summary).toContain('```diff')
    expect(r.stdout).toMatch(/::error::.*not tidy.*\./)
  })

  test('a missing requirement is reported at the require block it joins', async () => {
    const ws = makeWorkspace()
    writeModule(ws, {
      path: 'example.com/app',
      requires: { 'example.com/unused': 'v1.0.0' },
      imports: ['example.com/greeting', 'example.com/unused']
    })
    await go(ws, ['mod', 'tidy'])
    await go(ws, ['mod', 'edit', '-droprequire=example.com/greeting'])
    const before = snapshot(ws)
    const r = await run(ws)
    expect(r.exitCode).toBe(1)
    expect(snapshot(ws)).toEqual(before)
    expect(r.outputs.diff).toMatch(/^\+\texample\.com\/greeting v1\.1\.0$/m)
    const a = errors(r).find((x) => x.file === 'go.mod')!
    const lines = before['go.mod'].split('\n')
    // The require block: "require (" opens it, the new line joins it.
    expect(lines.slice((a.line ?? 1) - 1).join('\n')).toMatch(/^(require\b|\texample\.com\/unused)/)
    expect(a.message).toContain('example.com/greeting v1.1.0')
  })

  test('a stale go.sum is annotated on go.sum', async () => {
    const ws = makeWorkspace()
    await tidyApp(ws)
    const stale = tidySum + goSumLines(unused).join('\n') + '\n'
    writeFileSync(join(ws, 'go.sum'), stale)
    const r = await run(ws)
    expect(r.exitCode).toBe(1)
    expect(readFileSync(join(ws, 'go.sum'), 'utf8')).toBe(stale)
    const a = errors(r).find((x) => x.file === 'go.sum')!
    expect(a).toBeDefined()
    expect(stale.split('\n')[(a.line ?? 0) - 1]).toContain('example.com/unused v1.0.0')
    expect(errors(r).some((x) => x.file === 'go.mod')).toBe(false)
    expect(r.outputs['changed-files']).toBe('go.sum')
  })
})

describe('fix mode', () => {
  test('writes the tidy files and passes', async () => {
    const ws = makeWorkspace()
    writeModule(ws, {
      path: 'example.com/app',
      requires: { 'example.com/greeting': 'v1.0.0', 'example.com/unused': 'v1.0.0' },
      imports: ['example.com/greeting']
    })
    const r = await run(ws, { mode: 'fix' })
    expect(r.exitCode).toBe(0)
    expect(r.outputs.drift).toBe('true')
    expect(r.outputs['changed-files'].split('\n').sort()).toEqual(['go.mod', 'go.sum'])
    expect(readFileSync(join(ws, 'go.mod'), 'utf8')).not.toContain('example.com/unused')
    expect(readFileSync(join(ws, 'go.sum'), 'utf8')).toBe(tidySum)
    expect(errors(r)).toEqual([])
    // The notices say what was done, not to run go mod tidy and commit.
    const notices = r.annotations.filter((a) => a.level === 'notice' && a.file === 'go.mod')
    expect(notices.map((n) => n.title)).toEqual(['go.mod was tidied'])
    expect(notices[0].message).toContain('go mod tidy changed go.mod of example.com/app')
    expect(notices[0].message).toContain('left in place for a later step to commit')
    expect(r.annotations.map((a) => a.message).join('\n')).not.toContain('and commit the result')
  })
})

describe('workspaces', () => {
  test('a go.work with two modules reports only the drifted one', async () => {
    const ws = makeWorkspace()
    await tidyApp(join(ws, 'a'))
    writeModule(join(ws, 'b'), {
      path: 'example.com/b',
      requires: { 'example.com/unused': 'v1.0.0' },
      gosum: goSumLines(unused).join('\n') + '\n'
    })
    writeFileSync(join(ws, 'go.work'), 'go 1.21\n\nuse (\n\t./a\n\t./b\n)\n')
    const r = await run(ws, {}, { GOFLAGS: undefined })
    expect(r.exitCode).toBe(1)
    expect(JSON.parse(r.outputs.modules)).toEqual(['a', 'b'])
    expect(r.outputs['changed-files']).toBe('b/go.mod\nb/go.sum')
    expect(
      errors(r)
        .map((a) => a.file)
        .sort()
    ).toEqual(['b/go.mod', 'b/go.sum'])
    expect(r.stdout).toMatch(/::error::[^\n]*\bb\b/)
  })
})

describe('discovery', () => {
  /** A root module with nested modules, and go.mod files in every place go itself leaves out. */
  function monorepo(): string {
    const ws = makeWorkspace()
    const plain = (dir: string, path: string, extra = ''): void => {
      writeModule(join(ws, dir), { path, goVersion: '1.25' })
      writeFileSync(join(ws, dir, 'go.mod'), `module ${path}\n\ngo 1.25\n${extra}`)
    }
    plain('.', 'example.com/app', '\nignore (\n\t./generated\n\tstatic\n)\n')
    plain('tools', 'example.com/app/tools')
    writeModule(join(ws, 'svc'), {
      path: 'example.com/app/svc',
      requires: { 'example.com/unused': 'v1.0.0' },
      gosum: goSumLines(unused).join('\n') + '\n'
    })
    for (const skipped of ['testdata/x', 'vendor/y', '.hidden', '_old', 'generated/z', 'tools/web/static/w']) {
      plain(skipped, `example.com/skipped/${skipped.replace(/[^a-z]/g, '')}`)
    }
    return ws
  }

  test('with a root go.mod, every nested module is checked; what go skips is skipped; the summary counts them', async () => {
    const r = await run(monorepo(), {}, { GOFLAGS: undefined })
    expect(JSON.parse(r.outputs.modules)).toEqual(['.', 'svc', 'tools'])
    expect(r.exitCode).toBe(1)
    expect(r.outputs['changed-files']).toBe('svc/go.mod\nsvc/go.sum')
    expect(r.summary).toContain('Checked all 3 modules found below `.` (go.work members and every go.mod).')
  })

  test('a ** in modules skips what discovery skips (ignore directives too), unless the pattern names it', async () => {
    const ws = monorepo()
    const all = await run(ws, { modules: '**' }, { GOFLAGS: undefined })
    expect(JSON.parse(all.outputs.modules)).toEqual(['.', 'svc', 'tools'])
    const named = await run(ws, { modules: 'testdata/**' }, { GOFLAGS: undefined })
    expect(JSON.parse(named.outputs.modules)).toEqual(['testdata/x'])
  })

  test('shards of a matrix partition the modules', async () => {
    const ws = monorepo()
    const parts = await Promise.all([1, 2].map((k) => run(ws, { shard: `${k}/2` }, { GOFLAGS: undefined })))
    const got = parts.flatMap((r) => JSON.parse(r.outputs.modules) as string[]).sort()
    expect(got).toEqual(['.', 'svc', 'tools'])
    expect(parts[0].summary).toMatch(/Checked \d of the 3 modules found below `.`: shard 1\/2 of those selected\./)
  })

  test('the modules input narrows the set, and the summary says how many were left out', async () => {
    const r = await run(monorepo(), { modules: 'tools' }, { GOFLAGS: undefined })
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(r.outputs.modules)).toEqual(['tools'])
    expect(r.summary).toContain('Checked 1 of the 3 modules found below `.`, as the `modules` input selects.')
  })
})

describe('bad input', () => {
  const cases: [string, string, RegExp][] = [
    ['mode', 'repair', /mode.*check, fix/],
    ['retries', '11', /retries.*0 to 10/],
    ['preflight-timeout', '0', /preflight-timeout.*from 0\.1 to 600/],
    ['preflight-timeout', '0.0001', /preflight-timeout.*from 0\.1 to 600/],
    ['tidy-args', '-go=1.999', /tidy-args: "-go=1\.999" names Go 1\.999, newer than the installed Go/],
    ['tidy-args', '-compat=1.21.07', /tidy-args.*-compat/],
    ['gosumdb', '::error::x', /gosumdb: .*not valid/],
    ['gosumdb', 'sum.example.invalid+zz+key', /gosumdb: .*not valid/],
    ['preflight', 'maybe', /preflight.*true, false, strict/],
    ['cache', 'sometimes', /cache.*true, false, restore-only/],
    ['export-env', 'yes', /export-env.*true, false/],
    ['tidy-args', '-modfile=x', /tidy-args.*-compat/],
    ['goproxy', 'ftp://mirror.invalid', /goproxy.*http/],
    ['gosumdb', 'a b c', /gosumdb/],
    ['working-directory', 'nope', /working-directory/],
    ['modules', '../outside', /modules/]
  ]
  test.each(cases)('%s=%s is rejected naming the input, before anything is fetched', async (name, value, pattern) => {
    const ws = makeWorkspace()
    writeModule(ws, {
      path: 'example.com/app',
      requires: { 'example.com/greeting': 'v1.0.0' },
      imports: ['example.com/greeting']
    })
    const e = goEnv()
    const served = proxy.log.length
    const r = await runAction({ workspace: ws, inputs: { [name]: value }, env: e.env })
    expect(r.exitCode).toBe(1)
    const err = errors(r)
      .map((a) => a.message)
      .join('\n')
    expect(err).toMatch(pattern)
    expect(proxy.log.length).toBe(served)
    expect(existsSync(join(ws, 'go.sum'))).toBe(false)
    expect(existsSync(join(e.env.GOMODCACHE, 'cache'))).toBe(false)
  })
})
