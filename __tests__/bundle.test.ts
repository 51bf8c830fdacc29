// The bundle's undici is undici-subset.cjs (see rollup.config.js). It must offer every name that the action and the
// @actions packages import from undici, as the very objects undici exports; and the bundled action must not load
// Node's internal copy of undici, which undici's full index.js pulled in (about 50 ms of every step).
import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT, runAction } from './helpers/runner.js'
import { makeTempDir, removeTree } from './helpers/gotest-env.js'

/** Value names a source file imports from 'undici' (type-only imports left out). */
function undiciImports(text: string): string[] {
  const names: string[] = []
  for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"]undici['"]/g)) {
    if (m[1]) continue
    for (const part of m[2].split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0]
      if (name && !name.startsWith('type ')) names.push(name)
    }
  }
  return names
}

function sources(): string[] {
  const src = readdirSync(join(REPO_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(REPO_ROOT, 'src', f))
  const actions = join(REPO_ROOT, 'node_modules', '@actions')
  const libs = readdirSync(actions).flatMap((pkg) => {
    const lib = join(actions, pkg, 'lib')
    try {
      return readdirSync(lib)
        .filter((f) => f.endsWith('.js'))
        .map((f) => join(lib, f))
    } catch {
      return []
    }
  })
  return [...src, ...libs]
}

describe('undici-subset.cjs', () => {
  test('offers every name imported from undici, as undici exports it', () => {
    const imported = [...new Set(sources().flatMap((f) => undiciImports(readFileSync(f, 'utf8'))))].sort()
    expect(imported).toEqual(
      expect.arrayContaining(['Client', 'EnvHttpProxyAgent', 'ProxyAgent', 'buildConnector', 'interceptors'])
    )
    // A fresh node: the subset first (alone it must give dispatchers their request API), then undici itself.
    const script = `
      const subset = require('./undici-subset.cjs')
      const request = typeof subset.Dispatcher.prototype.request
      const full = require('undici')
      const same = (a, b) => a !== undefined && a === b
      const names = ${JSON.stringify(imported)}
      const missing = names.filter((n) => n === 'interceptors'
        ? !Object.keys(subset.interceptors).every((k) => same(subset.interceptors[k], full.interceptors[k]))
        : !same(subset[n], full[n]))
      console.log(JSON.stringify({ request, missing }))`
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' })) as {
      request: string
      missing: string[]
    }
    expect(out).toEqual({ request: 'function', missing: [] })
  })

  test("the bundled action loads neither undici in full nor Node's internal undici", async () => {
    const dir = makeTempDir('gtg-bundle-')
    try {
      const hook = join(dir, 'hook.cjs')
      const list = join(dir, 'modules.json')
      writeFileSync(
        hook,
        `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)))\n`
      )
      // A bad input ends the step right after the bundle has loaded.
      const run = await runAction({ inputs: { retries: 'many' }, env: { NODE_OPTIONS: `--require ${hook}` } })
      expect(run.failed).toBe(true)
      expect(run.stdout).toContain('retries')
      const loaded = JSON.parse(readFileSync(list, 'utf8')) as string[]
      expect(loaded.length).toBeGreaterThan(50)
      expect(loaded.filter((m) => /undici|http2/.test(m))).toEqual([])
    } finally {
      removeTree(dir)
    }
  })
})
