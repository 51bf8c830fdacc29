// The code's shape (DEVELOPERS.md, "Layout"): stage folders under src/, the orchestrators (main, pipeline, post,
// index, and the command line under cli/) import only each stage's entry files, lib/ imports no stage, and no
// import cycle exists anywhere in src/.
import { describe, expect, test } from '@jest/globals'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { REPO_ROOT } from './helpers/runner.js'

const SRC = join(REPO_ROOT, 'src')

/** Each stage's entry files: what code outside the stage may import. Everything else in a folder is its own. */
const ENTRIES: Record<string, string[]> = {
  config: ['inputs.ts', 'settings.ts', 'proxylist.ts', 'review.ts'],
  go: ['toolchain.ts', 'modules.ts', 'watch.ts', 'needs.ts', 'launch.ts'],
  access: ['access.ts', 'credentials.ts', 'credential-file.ts', 'netrc.ts', 'ca-trust.ts', 'git-token.ts'],
  net: ['network.ts', 'egress.ts', 'dispatcher.ts'],
  preflight: ['preflight.ts', 'probe.ts', 'target.ts'],
  cache: ['restore.ts', 'save.ts', 'state.ts'],
  relay: ['relay.ts'],
  tidy: ['tidy.ts'],
  report: ['report.ts']
}
const ORCHESTRATORS = /^(main|pipeline|post|index)\.ts$|^cli\//

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) sources(p, out)
    else if (name.endsWith('.ts')) out.push(p)
  }
  return out
}

const graph = new Map<string, string[]>()
for (const file of sources(SRC)) {
  const text = readFileSync(file, 'utf8')
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1])
  graph.set(
    relative(SRC, file).split('\\').join('/'),
    specs.map((s) =>
      relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/')
    )
  )
}
const stageOf = (f: string): string | undefined => (f.includes('/') ? f.split('/')[0] : undefined)

describe('layout', () => {
  test('every import resolves to a file in src/', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${f} -> ${d}`))
    expect(missing).toEqual([])
  })

  test('the orchestrators import only stage entry files (or lib/, types.ts, v8-flags.ts, each other)', () => {
    const bad = [...graph]
      .filter(([f]) => ORCHESTRATORS.test(f))
      .flatMap(([f, deps]) =>
        deps
          .filter((d) => stageOf(d) && stageOf(d) !== 'lib' && stageOf(d) !== stageOf(f))
          .filter((d) => !(ENTRIES[stageOf(d)!] ?? []).includes(d.split('/')[1]))
          .map((d) => `${f} -> ${d}`)
      )
    expect(bad).toEqual([])
  })

  test('lib/ imports no stage', () => {
    const bad = [...graph]
      .filter(([f]) => f.startsWith('lib/'))
      .flatMap(([f, deps]) => deps.filter((d) => !d.startsWith('lib/') && d !== 'types.ts').map((d) => `${f} -> ${d}`))
    expect(bad).toEqual([])
  })

  test('no import cycles', () => {
    const state = new Map<string, 1 | 2>()
    const cycles: string[] = []
    const visit = (n: string, stack: string[]): void => {
      state.set(n, 1)
      stack.push(n)
      for (const d of graph.get(n) ?? []) {
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].join(' > '))
        else if (!state.get(d)) visit(d, stack)
      }
      stack.pop()
      state.set(n, 2)
    }
    for (const n of graph.keys()) if (!state.get(n)) visit(n, [])
    expect(cycles).toEqual([])
  })

  test('only the entry points and the shared types live at the top of src/', () => {
    const top = [...graph.keys()].filter((f) => !f.includes('/')).sort()
    expect(top).toEqual(['index.ts', 'main.ts', 'pipeline.ts', 'post.ts', 'types.ts', 'v8-flags.ts'])
  })
})
