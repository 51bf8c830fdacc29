// Preflight against proxies that answer as real mirrors do: it asks each proxy for a module the run needs (at go's
// escaped path), judges a proxy by whether it speaks the protocol (not found and allow-list refusals included),
// and probes cut short because tidy finished are "not finished", never timeouts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { orderHealthyFirst, startPreflight, type PreflightOptions } from '../src/preflight/preflight.js'
import { proxiedRequirements } from '../src/go/needs.js'
import { parseProxyList } from '../src/config/proxylist.js'
import { renderSummary } from '../src/report/summary.js'
import type { GoModule, ProxyEntry } from '../src/types.js'
import { startFixtureProxy, type FixtureProxy } from './helpers/fixture-proxy.js'
import { startBlackhole, startServer, type Started } from './helpers/preflight-servers.js'
import { makeTempDir } from './helpers/gotest-env.js'

const BIG = { path: 'example.com/BigCorp/Lib', version: 'v1.2.0' }
const list = (...urls: string[]): ProxyEntry[] => parseProxyList(urls.join(','))
const run = (o: Partial<PreflightOptions> & { proxies: ProxyEntry[] }) =>
  startPreflight({ gosumdb: 'off', timeoutMs: 3000, env: {}, ...o })

let full: FixtureProxy, allowList: FixtureProxy, allowList400: FixtureProxy, portal: Started, hole: Started
beforeAll(async () => {
  full = await startFixtureProxy({ modules: [BIG] })
  // Enterprise allow-list mirrors: only example.com/approved is served; everything else is refused with a text body.
  allowList = await startFixtureProxy({ modules: [BIG], filter: { allow: ['example.com/approved'] } })
  allowList400 = await startFixtureProxy({ modules: [BIG], filter: { allow: ['example.com/approved'], status: 400 } })
  portal = await startServer((_req, res) => {
    res.setHeader('content-type', 'text/html')
    res.end('<html><body>Please log in to the guest network</body></html>')
  })
  hole = await startBlackhole()
})
afterAll(async () => {
  await Promise.all([full, allowList, allowList400, portal, hole].map((s) => s.close()))
})

describe('a proxy is asked for a module the run needs', () => {
  test('at the version go.mod names, at go escaped path, and a served .info is ok', async () => {
    const [r] = await run({ proxies: list(full.url), probeModule: BIG }).results
    expect(r.verdict).toBe('ok')
    expect(full.log.map((e) => e.path)).toContain('/example.com/!big!corp/!lib/@v/v1.2.0.info')
    // go sends `!` percent-encoded: so does preflight, byte for byte.
    expect(r.detail).toBe('HTTP 200 for GET /example.com/%21big%21corp/%21lib/@v/v1.2.0.info')
  })

  test('a filtering mirror that refuses the module (403 or 400 with a text body) is healthy, and the hint says why', async () => {
    const results = await run({ proxies: list(allowList.url, allowList400.url), probeModule: BIG }).results
    expect(results.map((r) => r.verdict)).toEqual(['ok', 'ok'])
    expect(results[0].hint).toContain(
      'policy refuses example.com/BigCorp/Lib@v1.2.0 (HTTP 403: "this module version is not available")'
    )
    expect(results[0].hint).toContain('`goprivate`')
    expect(results[1].hint).toContain('(HTTP 400: "module host not permitted")')
  })

  test('with no module known, the made-up probe refused by an allow-list is still a healthy proxy', async () => {
    const [r] = await run({ proxies: list(allowList.url) }).results
    expect(r.verdict).toBe('ok')
    expect(allowList.log.at(-1)?.status).toBe(403)
  })

  test('a 403 to a request that carried credentials is about them', async () => {
    const withCreds = `http://ci:secret-Qx7@127.0.0.1:${allowList.port}`
    const [r] = await run({ proxies: list(withCreds), probeModule: BIG }).results
    expect(r.verdict).toBe('auth')
  })

  test('a mirror that redirects downloads to its storage (a 302) is healthy: go and the relay follow it', async () => {
    const redirecting = await startServer((_req, res) => {
      res.statusCode = 302
      res.setHeader('location', `${full.url}/example.com/!big!corp/!lib/@v/v1.2.0.info`)
      res.end()
    })
    const [r] = await run({ proxies: list(`http://127.0.0.1:${redirecting.port}`), probeModule: BIG }).results
    await redirecting.close()
    expect(r.verdict).toBe('ok')
    expect(r.hint).toContain('with a redirect (HTTP 302 to')
  })

  test('a 200 that is not a module proxy answer (a captive portal) is not ok', async () => {
    const [r] = await run({ proxies: list(`http://127.0.0.1:${portal.port}`), probeModule: BIG }).results
    expect(r.verdict).toBe('http-200')
    expect(r.hint).toContain('not with a module proxy')
  })
})

describe('probes cut short when tidy is done', () => {
  test('are "unfinished" with a neutral hint, shown neutrally, and rank as unknown', async () => {
    const proxies = list(`http://127.0.0.1:${hole.port}`, full.url)
    const pre = run({ proxies, probeModule: BIG, timeoutMs: 30_000 })
    await pre.firstOk
    const started = Date.now()
    const results = await pre.finish()
    expect(Date.now() - started).toBeLessThan(1000)
    expect(results.map((r) => r.verdict)).toEqual(['unfinished', 'ok'])
    expect(results[0].hint).not.toMatch(/firewall|timeout/i)
    const summary = renderSummary({ mode: 'check', modules: [], preflight: results })
    expect(summary).toContain('⏸️ not finished')
    expect(summary).not.toContain('❌')
    // An unfinished probe says nothing: such a proxy ranks with the unknown ones, before failed ones.
    const failed = { ...results[0], endpoint: 'https://x.invalid', verdict: 'dns' as const }
    const order = orderHealthyFirst(list('https://x.invalid', proxies[0].url, full.url), [failed, ...results])
    expect(order.map((e) => e.url)).toEqual([full.url, proxies[0].url, 'https://x.invalid'])
  })

  test('a probe that runs into the deadline is still a timeout', async () => {
    const [r] = await run({ proxies: list(`http://127.0.0.1:${hole.port}`), timeoutMs: 300 }).results
    expect(r.verdict).toBe('timeout')
  })
})

describe('the probe module (the first requirement go fetches through a proxy)', () => {
  const mod = (dir: string, gomod: string): GoModule => {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'go.mod'), gomod)
    return { dir, rel: dir, path: 'example.com/app' }
  }

  test('the first requirement go fetches through a proxy, skipping GONOPROXY paths', () => {
    const root = makeTempDir('gtg-probe-target-')
    const a = mod(join(root, 'a'), 'module example.com/a\n\ngo 1.21\n')
    const b = mod(
      join(root, 'b'),
      'module example.com/b\n\ngo 1.21\n\nrequire (\n\tcorp.example/private/x v1.0.0\n\texample.com/BigCorp/Lib v1.2.0 // indirect\n)\n'
    )
    expect(proxiedRequirements([a, b], 'corp.example/private')[0]).toEqual(BIG)
    expect(proxiedRequirements([a, b], '')[0]).toEqual({ path: 'corp.example/private/x', version: 'v1.0.0' })
    expect(proxiedRequirements([a], '')[0]).toBeUndefined()
  })
})
