// What go will ask a module proxy for (go/needs.ts): the go.mod requirements no replace directive covers and
// GONOPROXY leaves to the proxy, and of those the files the module cache lacks, checked against a cache the real go
// filled from a fixture proxy (upper-case paths, a /vN suffix, +incompatible, a pseudo-version).
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { missingDownloads, proxiedRequirements } from '../src/go/needs.js'
import type { GoModule } from '../src/types.js'
import { startFixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, runGo } from './helpers/gotest-env.js'
import { closeAll, onClose } from './helpers/closers.js'

afterAll(closeAll)

const mod = (dir: string, gomod: string): GoModule => {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'go.mod'), gomod)
  return { dir, rel: dir, path: 'example.com/app' }
}

describe('proxiedRequirements', () => {
  test('each requirement once, in module order; replaced paths, GONOPROXY paths and invalid ones left out', () => {
    const root = makeTempDir('gtg-needs-')
    const a = mod(
      join(root, 'a'),
      [
        'module example.com/a',
        '',
        'go 1.21',
        '',
        'require (',
        '\texample.com/BigCorp/Lib/v2 v2.1.0',
        '\tcorp.example/private/x v1.0.0',
        '\texample.com/local v0.0.0-00010101000000-000000000000',
        '\texample.com/Bad Path v1.0.0',
        '\texample.com/branch master',
        ')',
        '',
        'replace example.com/local => ../local',
        ''
      ].join('\n')
    )
    const b: GoModule = { dir: join(root, 'b'), rel: 'b', path: 'example.com/b' }
    // b's go.mod as discovery's walk scanned it (no file on disk)
    const known = new Map([
      [
        b.dir,
        {
          requires: [
            { path: 'example.com/BigCorp/Lib/v2', version: 'v2.1.0' },
            { path: 'example.com/old', version: 'v2.0.0+incompatible' },
            { path: 'example.com/local', version: 'v1.0.0' },
            { path: 'example.com/swapped', version: 'v1.0.0' }
          ],
          replaces: ['example.com/swapped']
        }
      ]
    ])
    expect(proxiedRequirements([a, b], 'corp.example', known)).toEqual([
      { path: 'example.com/BigCorp/Lib/v2', version: 'v2.1.0' },
      { path: 'example.com/old', version: 'v2.0.0+incompatible' },
      // replaced in a only: b's go asks the proxy for it
      { path: 'example.com/local', version: 'v1.0.0' }
    ])
    expect(proxiedRequirements([a], 'corp.example,example.com/BigCorp')).toEqual([])
  })
})

describe('missingDownloads', () => {
  test('lists exactly the .mod and .zip files go has not put in its download cache, at go’s escaped paths', async () => {
    const upper = {
      path: 'example.com/BigCorp/Lib/v2',
      version: 'v2.1.0',
      gomod: 'module example.com/BigCorp/Lib/v2\n'
    }
    const old = { path: 'example.com/Old', version: 'v2.0.0+incompatible', gomod: 'module example.com/Old\n' }
    const pseudo = { path: 'example.com/pseudo', version: 'v0.0.0-20240101000000-abcdefabcdef' }
    const proxy = onClose(await startFixtureProxy({ modules: [upper, old, pseudo] }))
    const env = makeGoEnv(proxy.url)
    onClose({ close: async () => env.cleanup() })
    const cwd = makeTempDir('gtg-needs-go-')
    // The whole module for one, only its .info/.mod for another (what go's module graph loading fetches).
    for (const args of [
      ['mod', 'download', `${upper.path}@${upper.version}`],
      ['list', '-m', `${old.path}@${old.version}`]
    ]) {
      const r = await runGo(args, { cwd, env: { ...env.env, GOFLAGS: '' } })
      if (r.code !== 0) throw new Error(`go ${args.join(' ')}: ${r.stderr}`)
    }
    const reqs = [upper, old, pseudo].map(({ path, version }) => ({ path, version }))
    expect(missingDownloads(reqs, env.env.GOMODCACHE)).toEqual([
      'example.com/!old/@v/v2.0.0+incompatible.zip',
      'example.com/pseudo/@v/v0.0.0-20240101000000-abcdefabcdef.mod',
      'example.com/pseudo/@v/v0.0.0-20240101000000-abcdefabcdef.zip'
    ])
    expect(missingDownloads(reqs, undefined)).toHaveLength(6)
  })
})
