// The fixture proxy's filtering-mirror mode: module requests outside the allow list get the mirror's
// refusal (403 by default, or 400) with a text/plain body; allowed modules and non-module paths are as usual.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { makeGoEnv, runGo } from './helpers/gotest-env.js'
import { fetchOnce } from './helpers/relay-upstreams.js'
import type { FixtureModule } from './helpers/modzip.js'

const corp: FixtureModule = { path: 'example.com/corp/lib', version: 'v1.0.0' }
const corpish: FixtureModule = { path: 'example.com/corporate', version: 'v1.0.0' }
const upper: FixtureModule = { path: 'example.com/BigCorp/Lib', version: 'v1.0.0' }
const other: FixtureModule = { path: 'example.com/other', version: 'v1.0.0' }
const MODULES = [corp, corpish, upper, other]

describe('fixture proxy filter', () => {
  let deny403: FixtureProxy
  let deny400: FixtureProxy
  beforeAll(async () => {
    deny403 = await startFixtureProxy({
      modules: MODULES,
      filter: { allow: ['example.com/corp', /^example\.com\/BigCorp\//] }
    })
    deny400 = await startFixtureProxy({ modules: MODULES, filter: { allow: ['example.com/corp/'], status: 400 } })
  })
  afterAll(async () => {
    await deny403?.close()
    await deny400?.close()
  })

  test('allows by path prefix (whole elements) and by RegExp on the unescaped path; refuses the rest with 403', async () => {
    const get = (p: string) => fetchOnce(deny403.url + p)
    expect((await get('/example.com/corp/lib/@v/list')).status).toBe(200)
    expect((await get('/example.com/!big!corp/!lib/@v/v1.0.0.info')).status).toBe(200)
    for (const p of [
      '/example.com/corporate/@v/list',
      '/example.com/other/@latest',
      '/example.com/other/@v/v1.0.0.zip'
    ]) {
      const r = await get(p)
      expect([p, r.status, r.headers['content-type'], r.body.toString()]).toEqual([
        p,
        403,
        expect.stringMatching(/^text\/plain/),
        'this module version is not available\n'
      ])
    }
    // Not a module request: as without a filter.
    expect((await get('/sumdb/sum.example.invalid/supported')).status).toBe(404)
  })

  test('status 400 and its default body; a custom body', async () => {
    const r = await fetchOnce(deny400.url + '/example.com/corp/@v/list')
    expect([r.status, r.body.toString()]).toEqual([400, 'module host not permitted\n'])
    expect((await fetchOnce(deny400.url + '/example.com/corp/lib/@v/list')).status).toBe(200)
    const custom = await startFixtureProxy({ modules: MODULES, filter: { allow: [], body: 'blocked by policy\n' } })
    try {
      const c = await fetchOnce(custom.url + '/example.com/corp/lib/@v/list')
      expect([c.status, c.body.toString()]).toEqual([403, 'blocked by policy\n'])
    } finally {
      await custom.close()
    }
  })

  test('the real go reports the refusal of a filtered module and downloads an allowed one', async () => {
    const g = makeGoEnv(deny403.url)
    try {
      const ok = await runGo(['mod', 'download', '-json', `${upper.path}@${upper.version}`], { cwd: g.dir, env: g.env })
      expect(ok.code).toBe(0)
      const bad = await runGo(['mod', 'download', `${other.path}@${other.version}`], { cwd: g.dir, env: g.env })
      expect(bad.code).not.toBe(0)
      expect(bad.stderr).toMatch(/403 Forbidden/)
      expect(bad.stderr).toContain('this module version is not available')
    } finally {
      g.cleanup()
    }
  })
})
