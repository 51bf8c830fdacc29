// Reports fit GitHub's limits whatever the repository: a step summary under 1 MiB with drift in hundreds of modules,
// identical failures told once, tidy modules folded, and the failure line bounded.
import { describe, expect, test } from '@jest/globals'
import { failureMessage } from '../src/report/report.js'
import { renderSummary, SUMMARY_LIMIT } from '../src/report/summary.js'
import type { ClassifiedError, TidyResult } from '../src/types.js'

const mod = (rel: string, over: Partial<TidyResult> = {}): TidyResult => ({
  module: { dir: `/ws/${rel}`, rel, path: `example.com/${rel}` },
  status: 'tidy',
  diff: '',
  changedFiles: [],
  annotations: [],
  durationMs: 1200,
  attempts: 1,
  ...over
})

/** A diff of about 80 KB, as real modules with a large go.sum produce. */
function bigDiff(rel: string): string {
  const lines = Array.from({ length: 1200 }, (_, i) => `-example.com/dep${i} v1.0.${i} h1:${'A'.repeat(44)}=`)
  return `--- a/${rel}/go.sum\n+++ b/${rel}/go.sum\n@@ -1,1200 +0,0 @@\n${lines.join('\n')}\n`
}

describe('the job summary stays under 1 MiB', () => {
  test('drift in 300 modules with 80 KB diffs each: capped per module and in total, and says where the rest is', () => {
    const mods = Array.from({ length: 300 }, (_, i) => {
      const rel = `svc/m${i}`
      return mod(rel, { status: 'drift', diff: bigDiff(rel), changedFiles: [`${rel}/go.sum`] })
    })
    const md = renderSummary({ mode: 'check', modules: mods })
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_LIMIT)
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024)
    expect(md).toContain('more bytes of this diff in the `diff-file` output')
    expect(md).toMatch(/The diffs of \d+ more drifted modules are left out here: see the `diff-file` output\./)
    // Every module is still in the table.
    expect(mods.every((m) => md.includes(`| example.com/${m.module.rel} | ${m.module.rel} | ❌ drift |`))).toBe(true)
  })

  test('113 modules failing the same way: the error is told once, naming how many modules it hit', () => {
    const error: ClassifiedError = {
      class: 'network',
      transient: true,
      message: 'dial tcp: lookup proxy.invalid: no such host',
      hint: 'Check the DNS.',
      output: 'go: downloading x\n'.repeat(40)
    }
    const mods = Array.from({ length: 113 }, (_, i) => mod(`m${i}`, { status: 'error', error }))
    const md = renderSummary({ mode: 'check', modules: mods })
    expect(md.split('lookup proxy.invalid').length - 1).toBe(1)
    expect(md).toContain('**113 modules** (m0, m1, m2')
    expect(md).toContain('and 93 more), the same: network error')
    expect(Buffer.byteLength(md)).toBeLessThan(40 * 1024)
  })

  test('tidy modules are folded into one details block, after the drifted and failed ones', () => {
    const mods = [
      mod('a'),
      mod('b', { status: 'drift', diff: '--- a/b/go.mod\n+++ b/b/go.mod\n', changedFiles: ['b/go.mod'] }),
      mod('c')
    ]
    const md = renderSummary({ mode: 'check', modules: mods })
    const folded = md.indexOf('<details><summary>✅ 2 modules are tidy</summary>')
    expect(folded).toBeGreaterThan(md.indexOf('| example.com/b | b | ❌ drift |'))
    expect(md.indexOf('| example.com/a | a | ✅ tidy |')).toBeGreaterThan(folded)
  })

  test('a summary that would still be too large is cut, saying so', () => {
    const error = (i: number): ClassifiedError => ({
      class: 'other',
      transient: false,
      message: `failure ${i} ` + 'x'.repeat(9000),
      hint: 'h'
    })
    const mods = Array.from({ length: 200 }, (_, i) => mod(`m${i}`, { status: 'error', error: error(i) }))
    const md = renderSummary({ mode: 'check', modules: mods })
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT)
    expect(md).toContain("The summary was cut here to stay within GitHub's 1 MiB limit.")
  })
})

test('the failure line names at most 20 modules', () => {
  const mods = Array.from({ length: 300 }, (_, i) => mod(`m${i}`, { status: 'drift', diff: 'x', changedFiles: [] }))
  const line = failureMessage({ mode: 'check', modules: mods })!
  expect(line).toContain('m19, and 280 more')
  expect(line.length).toBeLessThan(400)
})
