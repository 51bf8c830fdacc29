// go.mod scanning. The scanner reads module paths and requirements that go itself reads, so it is checked
// against go's own parser (`go mod edit -json`); the line numbers are checked against the text.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRequireText, scanGoMod } from '../src/go/gomod.js'
import { goTelemetryOff } from './helpers/gotest-env.js'

let root = ''
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gomod-test-'))
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

let n = 0
interface GoModJson {
  Module?: { Path: string } | null
  Require?: { Path: string; Version: string; Indirect?: boolean }[]
}

/** go's own reading of a go.mod: `go mod edit -json` (no network, no module cache). */
function goModJson(text: string): GoModJson {
  const dir = join(root, `m${++n}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'go.mod'), text)
  goTelemetryOff(join(root, 'home'))
  const env = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    GOPATH: join(root, 'gopath'),
    GOCACHE: join(root, 'gocache'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod'
  }
  return JSON.parse(execFileSync('go', ['mod', 'edit', '-json'], { cwd: dir, env, encoding: 'utf8' })) as GoModJson
}

function goRequires(text: string): { path: string; version: string; indirect: boolean }[] {
  return (goModJson(text).Require ?? []).map((r) => ({
    path: r.Path,
    version: r.Version,
    indirect: r.Indirect ?? false
  }))
}

const strip = (rs: { path: string; version: string; indirect: boolean }[]) =>
  rs.map(({ path, version, indirect }) => ({ path, version, indirect }))

const BLOCKS = `// A module with every kind of require statement.
module example.com/app

go 1.22

toolchain go1.22.4

require example.com/single v1.0.0

require (
	example.com/a v1.0.0
	"example.com/quoted" v1.2.0 // keep
	example.com/b v0.0.0-20240101000000-abcdefabcdef // indirect
)

// Indirect requirements.
require (
	example.com/c v1.1.0 // indirect
	example.com/d v2.0.0+incompatible // indirect; pinned
)

require example.com/e v1.0.0 // indirect

replace (
	example.com/a v1.0.0 => ./a
	example.com/x v1.0.0 => example.com/y v1.0.0
)

exclude example.com/a v0.9.0

exclude (
	example.com/b v0.1.0
)

retract (
	v0.1.0 // broken
)
`

describe('scanGoMod', () => {
  test('finds every requirement go finds, at its line', () => {
    const scan = scanGoMod(BLOCKS)
    expect(strip(scan.requires)).toEqual(goRequires(BLOCKS))
    const lines = BLOCKS.split('\n')
    for (const r of scan.requires) expect(lines[r.line - 1]).toContain(r.path)
    expect(scan.requires.map((r) => r.line)).toEqual([8, 11, 12, 13, 18, 19, 22])
    expect(scan.blocks).toEqual([
      { start: 8, end: 8, indirect: false },
      { start: 10, end: 14, indirect: false },
      { start: 17, end: 20, indirect: true },
      { start: 22, end: 22, indirect: true }
    ])
    expect(scan.moduleLine).toBe(2)
    expect(scan.go).toEqual({ version: '1.22', line: 4 })
    expect(scan.toolchain).toEqual({ name: 'go1.22.4', line: 6 })
  })

  test('CRLF line endings, require( without a space, comments that look like requirements', () => {
    const text = [
      'module example.com/app',
      '',
      '// require example.com/commented v1.0.0',
      'require(',
      '\texample.com/a v1.0.0 // indirect',
      '\texample.com/b v1.0.0',
      ')',
      ''
    ].join('\r\n')
    const scan = scanGoMod(text)
    expect(strip(scan.requires)).toEqual(goRequires(text))
    expect(scan.requires.map((r) => r.line)).toEqual([5, 6])
    expect(scan.blocks).toEqual([{ start: 4, end: 7, indirect: false }])
    expect(scan.go).toBeUndefined()
  })

  test('a go.mod without requirements', () => {
    const text = 'module example.com/app\n\ngo 1.22\n'
    expect(scanGoMod(text)).toEqual({
      requires: [],
      blocks: [],
      moduleLine: 1,
      modulePath: 'example.com/app',
      go: { version: '1.22', line: 3 },
      ignores: [],
      replaces: []
    })
    expect(goRequires(text)).toEqual([])
    expect(scanGoMod('').moduleLine).toBe(0)
  })

  test('ignore directives, single-line and in a block, quoted and commented, as go reads them', () => {
    const text = 'module example.com/app\n\ngo 1.25\n\nignore ./gen\nignore (\n\tstatic // assets\n\t"./a b"\n)\n'
    const go = (goModJson(text) as { Ignore?: { Path: string }[] }).Ignore ?? []
    expect(go.map((i) => i.Path)).toEqual(['./gen', 'static', './a b'])
    expect(scanGoMod(text).ignores).toEqual(go.map((i) => i.Path))
  })

  test('replace directives: every replaced path, with or without a version, to a directory or a module, as go reads them', () => {
    const text = [
      'module example.com/app',
      '',
      'go 1.22',
      '',
      'require (',
      '	example.com/Local/Lib v1.0.0',
      '	example.com/forked/v2 v2.3.0',
      ')',
      '',
      'replace example.com/Local/Lib => ../lib // vendored copy',
      'replace (',
      '	example.com/forked/v2 v2.3.0 => example.com/fork/v2 v2.3.1',
      '	"example.com/quoted" => ./quoted',
      '	// example.com/commented => ./x',
      ')',
      ''
    ].join('\n')
    const go = (goModJson(text) as { Replace?: { Old: { Path: string } }[] }).Replace ?? []
    expect(go.map((r) => r.Old.Path)).toEqual(['example.com/Local/Lib', 'example.com/forked/v2', 'example.com/quoted'])
    expect(scanGoMod(text).replaces).toEqual(go.map((r) => r.Old.Path))
  })

  test('a replace go cannot parse (no spaces around =>) still counts as replaced: its path is never asked of a proxy', () => {
    const text =
      'module example.com/app\n\nreplace corp.example/secret v1.0.0=>../secret\nreplace corp.example/other=>../other\n'
    expect(scanGoMod(text).replaces).toEqual(['corp.example/secret', 'corp.example/other'])
  })
})

describe('module path', () => {
  test.each([
    ['plain', 'module example.com/app\n\ngo 1.22\n'],
    ['quoted', 'module "example.com/app"\n'],
    ['quoted, CRLF', 'module "example.com/app/v2"\r\n\r\ngo 1.22\r\n'],
    [
      'deprecation comment',
      '// Deprecated: use example.com/new.\nmodule example.com/old // Deprecated: use example.com/new.\n'
    ],
    ['block form', 'module (\n\texample.com/app\n)\n\ngo 1.22\n'],
    ['after other directives', 'go 1.22\n\nrequire example.com/a v1.0.0\n\nmodule example.com/late\n']
  ])('%s: the path go reads', (_name, text) => {
    const path = goModJson(text).Module?.Path
    expect(path).toMatch(/^example\.com\//)
    expect(scanGoMod(text).modulePath).toBe(path)
  })

  test('no module directive', () => {
    const text = 'go 1.22\n'
    expect(goModJson(text).Module?.Path || undefined).toBeUndefined()
    expect(scanGoMod(text).modulePath).toBeUndefined()
  })
})

describe('parseRequireText', () => {
  test.each([
    ['require example.com/a v1.0.0', false, { path: 'example.com/a', version: 'v1.0.0', indirect: false }],
    ['require example.com/a v1.0.0 // indirect', false, { path: 'example.com/a', version: 'v1.0.0', indirect: true }],
    ['\texample.com/a v1.0.0 // indirect', true, { path: 'example.com/a', version: 'v1.0.0', indirect: true }],
    ['\texample.com/a v1.0.0 // indirectly', true, { path: 'example.com/a', version: 'v1.0.0', indirect: false }],
    ['\t"example.com/a//b" v1.0.0', true, { path: 'example.com/a//b', version: 'v1.0.0', indirect: false }],
    ['require (', false, undefined],
    [')', true, undefined],
    ['\texample.com/a v1.0.0', false, undefined],
    ['go 1.22', false, undefined]
  ])('%j (in block: %s)', (text, inBlock, want) => {
    expect(parseRequireText(text, inBlock)).toEqual(want)
  })
})
