// Drift parsing, annotations and the Go < 1.23 diff renderer, checked against what the real `go mod tidy -diff`
// prints for each kind of drift. Fixture modules live in a file:// module proxy laid out in a temp dir.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { driftAnnotations, parseTidyDiff, relabelDiff, type FileDiff } from '../src/tidy/drift.js'
import { tidyDiff } from '../src/tidy/unified-diff.js'
import { buildModuleZip } from './helpers/modzip.js'
import { goTelemetryOff } from './helpers/gotest-env.js'

let root = ''
let env: NodeJS.ProcessEnv = {}

/** Publishes a module version in the file:// proxy: a package importing `imports`, a go.mod requiring `requires`. */
function publish(path: string, version: string, requires: string[] = [], imports: string[] = []): void {
  const name = path.split('/').pop() ?? 'x'
  const gomod = `module ${path}\n\ngo 1.21\n` + requires.map((r) => `\nrequire ${r}\n`).join('')
  const src = `package ${name}\n` + imports.map((i) => `\nimport _ "${i}"\n`).join('')
  const dir = join(root, 'proxy', path, '@v')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `${version}.mod`), gomod)
  writeFileSync(join(dir, `${version}.info`), JSON.stringify({ Version: version, Time: '2024-01-01T00:00:00Z' }))
  writeFileSync(join(dir, `${version}.zip`), buildModuleZip({ path, version, gomod, files: { [`${name}.go`]: src } }))
  const list = join(dir, 'list')
  writeFileSync(list, (existsSync(list) ? readFileSync(list, 'utf8') : '') + version + '\n')
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'drift-test-'))
  const gopath = join(root, 'gopath')
  goTelemetryOff(join(root, 'home'))
  env = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    GOPATH: gopath,
    GOMODCACHE: join(gopath, 'pkg', 'mod'),
    GOCACHE: join(root, 'gocache'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'file://' + join(root, 'proxy'),
    GOSUMDB: 'off',
    GOFLAGS: '-mod=mod',
    GOWORK: 'off'
  }
  publish('example.com/ind', 'v1.0.0')
  publish('example.com/dep', 'v1.0.0', ['example.com/ind v1.0.0'], ['example.com/ind'])
  publish('example.com/dep', 'v1.1.0', ['example.com/ind v1.0.0'], ['example.com/ind'])
  publish('example.com/lib', 'v1.0.0', ['example.com/dep v1.1.0'], ['example.com/dep'])
  publish('example.com/unused', 'v1.0.0')
  publish('example.com/ind2', 'v1.0.0')
  publish(
    'example.com/wrap',
    'v1.0.0',
    ['example.com/ind v1.0.0', 'example.com/ind2 v1.0.0'],
    ['example.com/ind', 'example.com/ind2']
  )
})

afterAll(() => {
  // The module cache is read-only by design; make it writable so it can be removed.
  if (root) spawnSync('chmod', ['-R', 'u+w', root])
  if (root) rmSync(root, { recursive: true, force: true })
})

interface GoRun {
  stdout: string
  status: number
  gomod: string
  gosum: string
  tidyMod: string
  tidySum: string
}

let caseNo = 0
/** Runs the real `go mod tidy -diff` on a module, then `go mod tidy` on a copy to learn the tidy files. */
function runTidy(files: { gomod: string; gosum?: string; imports: string[] }, rel = '.'): GoRun & { ws: string } {
  const ws = join(root, `ws${++caseNo}`)
  const dir = join(ws, rel)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), files.gomod)
  if (files.gosum !== undefined) writeFileSync(join(dir, 'go.sum'), files.gosum)
  const imports = files.imports.map((i) => `import _ "${i}"\n`).join('')
  writeFileSync(join(dir, 'main.go'), `package main\n\n${imports}\nfunc main() {}\n`)
  const r = spawnSync('go', ['mod', 'tidy', '-diff'], { cwd: dir, env, encoding: 'utf8' })
  const copy = join(root, `tidy${caseNo}`)
  cpSync(dir, copy, { recursive: true })
  execFileSync('go', ['mod', 'tidy'], { cwd: copy, env, stdio: 'pipe' })
  const read = (d: string, f: string): string => (existsSync(join(d, f)) ? readFileSync(join(d, f), 'utf8') : '')
  return {
    ws,
    stdout: r.stdout,
    status: r.status ?? -1,
    gomod: read(dir, 'go.mod'),
    gosum: read(dir, 'go.sum'),
    tidyMod: read(copy, 'go.mod'),
    tidySum: read(copy, 'go.sum')
  }
}

const TIDY_HEAD = 'module example.com/app\n\ngo 1.22\n'

/**
 * The Go < 1.23 renderer against go's own -diff. `exact`: byte-identical. Otherwise (go's anchored diff never pairs
 * repeated lines such as blank lines, jsdiff may) the two must say the same thing: same annotations, and the
 * rendered diff must apply to the current files to give exactly the tidy files.
 */
function expectRendererMatchesGo(run: GoRun & { ws: string }, exact: boolean, rel = '.'): void {
  const ours = tidyDiff('go.mod', run.gomod, run.tidyMod) + tidyDiff('go.sum', run.gosum, run.tidySum)
  if (exact) expect(ours).toBe(run.stdout)
  const mine = parseTidyDiff(ours)
  const gos = parseTidyDiff(run.stdout)
  expect(mine.map((d) => d.file)).toEqual(gos.map((d) => d.file))
  const ann = (d: FileDiff[]) => driftAnnotations('.', 'example.com/app', d, run.gomod, run.gosum)
  expect(ann(mine)).toEqual(ann(gos))
  expectGitApplies(run, mine, rel)
}

/** Applies the relabelled diff with git to a copy of the workspace; the result must be go's tidy files. */
let applied = 0
function expectGitApplies(run: GoRun & { ws: string }, diffs: FileDiff[], rel: string): void {
  const copy = `${run.ws}-applied${++applied}`
  cpSync(run.ws, copy, { recursive: true })
  writeFileSync(join(root, 'p.diff'), relabelDiff(diffs, rel))
  execFileSync('git', ['apply', '--unsafe-paths', join(root, 'p.diff')], { cwd: copy, stdio: 'pipe' })
  expect(readFileSync(join(copy, rel, 'go.mod'), 'utf8')).toBe(run.tidyMod)
  const sum = join(copy, rel, 'go.sum')
  expect(existsSync(sum) ? readFileSync(sum, 'utf8') : '').toBe(run.tidySum)
}

describe('drift from real go mod tidy -diff', () => {
  test('missing requirement and a go.sum created from nothing', () => {
    const run = runTidy({ gomod: TIDY_HEAD, imports: ['example.com/dep'] })
    expect(run.status).toBe(1)
    const diffs = parseTidyDiff(run.stdout)
    expect(diffs.map((d) => d.file)).toEqual(['go.mod', 'go.sum'])
    expect(diffs[0].removed).toEqual([])
    expect(diffs[0].added.map((a) => a.text)).toContain('require example.com/dep v1.1.0')
    expect(diffs[0].added.every((a) => a.afterLine === 3)).toBe(true)
    expect(diffs[1].added).toHaveLength(4)
    const [mod, sum] = driftAnnotations('.', 'example.com/app', diffs, run.gomod, run.gosum)
    expect(mod).toMatchObject({ file: 'go.mod', startLine: 1, title: 'go.mod is not tidy' })
    expect(mod.message).toContain('example.com/app')
    expect(mod.message).toContain('add example.com/dep v1.1.0')
    expect(mod.message).toContain('add example.com/ind v1.0.0 (indirect)')
    expect(sum).toMatchObject({ file: 'go.sum', startLine: 1, title: 'go.sum is not tidy' })
    expect(sum.message).toContain('adds 2 checksums for example.com/dep v1.1.0, 2 for example.com/ind v1.0.0')
    for (const a of [mod, sum]) expect(a.message).not.toContain('\n')
    expectRendererMatchesGo(run, true)
    expectGitApplies(run, diffs, '.')
  })

  test('unused requirement points at its line, in a nested module', () => {
    const gomod =
      TIDY_HEAD +
      '\nrequire example.com/dep v1.1.0\n\nrequire example.com/unused v1.0.0\n\nrequire example.com/ind v1.0.0 // indirect\n'
    const base = runTidy({ gomod: TIDY_HEAD, imports: ['example.com/dep'] })
    const run = runTidy({ gomod, gosum: base.tidySum, imports: ['example.com/dep'] }, 'tools/app')
    expect(run.status).toBe(1)
    const diffs = parseTidyDiff(run.stdout)
    expect(diffs.map((d) => d.file)).toEqual(['go.mod'])
    expect(diffs[0].removed.map((r) => r.line)).toContain(7)
    const anns = driftAnnotations('tools/app', 'example.com/app', diffs, run.gomod, run.gosum)
    expect(anns).toHaveLength(1)
    expect(anns[0]).toMatchObject({ file: 'tools/app/go.mod', startLine: 7 })
    expect(anns[0].message).toMatch(
      /^go mod tidy changes go\.mod of example\.com\/app: remove example\.com\/unused v1\.0\.0;/
    )
    expect(anns[0].message).toContain('tools/app')
    expect(relabelDiff(diffs, 'tools/app')).toMatch(/^--- a\/tools\/app\/go\.mod\n\+\+\+ b\/tools\/app\/go\.mod\n@@ /)
    expectRendererMatchesGo(run, true, 'tools/app')
    expectGitApplies(run, diffs, 'tools/app')
  })

  test('a version tidy raises is one change at the exact line', () => {
    const gomod =
      TIDY_HEAD +
      '\nrequire (\n\texample.com/lib v1.0.0\n\texample.com/dep v1.0.0\n)\n\nrequire example.com/ind v1.0.0 // indirect\n'
    const run = runTidy({ gomod, imports: ['example.com/lib', 'example.com/dep'] })
    const diffs = parseTidyDiff(run.stdout)
    const [mod, sum] = driftAnnotations('.', 'example.com/app', diffs, run.gomod, run.gosum)
    expect(run.gomod.split('\n')[mod.startLine - 1]).toBe('\texample.com/dep v1.0.0')
    expect(mod.message).toContain('example.com/dep v1.0.0 -> v1.1.0')
    expect(mod.message).not.toContain('remove example.com/dep')
    expect(sum.startLine).toBe(1)
    expectRendererMatchesGo(run, true)
    expectGitApplies(run, diffs, '.')
  })

  test('stale go.sum line is the annotated line', () => {
    const base = runTidy({ gomod: TIDY_HEAD, imports: ['example.com/dep'] })
    const stale = 'example.com/unused v1.0.0/go.mod h1:osD8CyAOqXPqRkhzAvlQTtOfGjD5p4KuMv6/fJSQEXg=\n'
    const run = runTidy({ gomod: base.tidyMod, gosum: base.tidySum + stale, imports: ['example.com/dep'] })
    const diffs = parseTidyDiff(run.stdout)
    expect(diffs.map((d) => d.file)).toEqual(['go.sum'])
    const anns = driftAnnotations('.', 'example.com/app', diffs, run.gomod, run.gosum)
    expect(anns).toEqual([
      {
        file: 'go.sum',
        startLine: 5,
        title: 'go.sum is not tidy',
        message:
          'go mod tidy changes go.sum of example.com/app: removes 1 checksum for example.com/unused v1.0.0; ' +
          'run `go mod tidy` and commit the result.'
      }
    ])
    expectRendererMatchesGo(run, true)
  })

  test('a missing indirect requirement points at the // indirect block', () => {
    const gomod =
      TIDY_HEAD + '\nrequire (\n\texample.com/dep v1.1.0\n)\n\nrequire (\n\texample.com/unused v1.0.0 // indirect\n)\n'
    const run = runTidy({ gomod, imports: ['example.com/dep'] })
    const diffs = parseTidyDiff(run.stdout)
    const [mod] = driftAnnotations('.', 'example.com/app', diffs, run.gomod, run.gosum)
    // unused is removed: that line wins over the block where ind joins.
    expect(mod.startLine).toBe(10)
    expect(mod.message).toContain('remove example.com/unused v1.0.0')
    expect(mod.message).toContain('add example.com/ind v1.0.0 (indirect)')

    const onlyAdd =
      TIDY_HEAD + '\nrequire (\n\texample.com/wrap v1.0.0\n)\n\nrequire (\n\texample.com/ind2 v1.0.0 // indirect\n)\n'
    const run2 = runTidy({ gomod: onlyAdd, imports: ['example.com/wrap'] })
    const d2 = parseTidyDiff(run2.stdout)
    const [mod2] = driftAnnotations('.', 'example.com/app', d2, run2.gomod, run2.gosum)
    expect(run2.tidyMod).toContain('\texample.com/ind v1.0.0 // indirect\n')
    expect(mod2.startLine).toBe(9)
    expect(mod2.message).toContain('add example.com/ind v1.0.0 (indirect)')
    expectRendererMatchesGo(run, false)
    expectRendererMatchesGo(run2, false)
  })

  test('a direct requirement joining the direct block, and a go directive change', () => {
    const gomod =
      'module example.com/app\n\ngo 1.20\n\nrequire (\n\texample.com/lib v1.0.0\n)\n\nrequire example.com/ind v1.0.0 // indirect\n'
    const run = runTidy({ gomod, imports: ['example.com/lib', 'example.com/dep'] })
    const diffs = parseTidyDiff(run.stdout)
    const [mod] = driftAnnotations('.', 'example.com/app', diffs, run.gomod, run.gosum)
    expect(mod.message).toContain('add example.com/dep v1.1.0')
    expect(mod.message).toContain('go directive 1.20 -> 1.21')
    expect(mod.startLine).toBe(5)
    expectRendererMatchesGo(run, true)
    expectGitApplies(run, diffs, '.')
  })

  test('a tidy module prints nothing', () => {
    const base = runTidy({ gomod: TIDY_HEAD, imports: ['example.com/dep'] })
    const run = runTidy({ gomod: base.tidyMod, gosum: base.tidySum, imports: ['example.com/dep'] })
    expect(run.status).toBe(0)
    expect(parseTidyDiff(run.stdout)).toEqual([])
    expect(driftAnnotations('.', 'example.com/app', [], run.gomod, run.gosum)).toEqual([])
    expect(tidyDiff('go.mod', run.gomod, run.tidyMod)).toBe('')
  })
})

describe('hunk layout', () => {
  test('changes six unchanged lines apart are two hunks, as go prints them', () => {
    const base = runTidy({ gomod: TIDY_HEAD, imports: ['example.com/dep', 'example.com/lib', 'example.com/wrap'] })
    const sums = base.tidySum.split('\n').filter(Boolean)
    expect(sums.length).toBeGreaterThanOrEqual(7)
    const fake = (p: string): string => `${p} v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=`
    const gosum =
      [fake('example.com/aaa'), ...sums.slice(0, 6), fake('example.com/ind1'), ...sums.slice(6)].join('\n') + '\n'
    const run = runTidy({
      gomod: base.tidyMod,
      gosum,
      imports: ['example.com/dep', 'example.com/lib', 'example.com/wrap']
    })
    expect(run.stdout.match(/^@@ /gm)).toHaveLength(2)
    expectRendererMatchesGo(run, true)
    const [sum] = parseTidyDiff(run.stdout)
    expect(sum.removed.map((r) => r.line)).toEqual([1, 8])
    const [ann] = driftAnnotations('.', 'example.com/app', [sum], run.gomod, run.gosum)
    expect(ann.startLine).toBe(1)
    expect(ann.message).toContain('removes 1 checksum for example.com/aaa v1.0.0, 1 for example.com/ind1 v1.0.0')
  })

  test('parses empty-side hunks, CRLF output and nothing at all', () => {
    const out =
      'diff current/go.sum tidy/go.sum\r\n--- current/go.sum\r\n+++ tidy/go.sum\r\n@@ -2,0 +3,1 @@\r\n+b v1 h1:x=\r\n\r\n'
    expect(parseTidyDiff(out)).toEqual([
      {
        file: 'go.sum',
        patch: '--- current/go.sum\n+++ tidy/go.sum\n@@ -2,0 +3,1 @@\n+b v1 h1:x=\n',
        removed: [],
        added: [{ afterLine: 2, text: 'b v1 h1:x=' }]
      }
    ])
    expect(parseTidyDiff('')).toEqual([])
    expect(parseTidyDiff('go: downloading example.com/dep v1.0.0\n')).toEqual([])
    // go.sum annotation for an addition past the last line points at the last line.
    const [ann] = driftAnnotations('.', 'example.com/app', parseTidyDiff(out), '', 'a v1 h1:x=\nc v1 h1:y=\n')
    expect(ann).toMatchObject({ file: 'go.sum', startLine: 2 })
    expect(ann.message).toContain('adds 1 checksum for b v1')
  })

  test('tidyDiff of a new file and of a file without a final newline', () => {
    expect(tidyDiff('go.sum', '', 'a v1 h1:x=\n')).toBe(
      'diff current/go.sum tidy/go.sum\n--- current/go.sum\n+++ tidy/go.sum\n@@ -0,0 +1,1 @@\n+a v1 h1:x=\n\n'
    )
    expect(tidyDiff('go.mod', 'module m', 'module m\n')).toBe(
      'diff current/go.mod tidy/go.mod\n--- current/go.mod\n+++ tidy/go.mod\n@@ -1,1 +1,1 @@\n-module m\n\\ No newline at end of file\n+module m\n\n'
    )
  })
})
