// The job summary and the failure line are pure functions of the RunResult.
import { describe, expect, test } from '@jest/globals'
import { renderSummary } from '../src/report/summary.js'
import { failureMessage } from '../src/report/report.js'
import type { RunResult, TidyResult } from '../src/types.js'

const mod = (rel: string, over: Partial<TidyResult> = {}): TidyResult => ({
  module: { dir: `/ws/${rel}`, rel, path: `example.com/${rel}` },
  status: 'tidy',
  diff: '',
  changedFiles: [],
  annotations: [],
  durationMs: 1234,
  attempts: 1,
  ...over
})

const drifted = mod('svc', {
  status: 'drift',
  diff: '--- a/svc/go.mod\n+++ b/svc/go.mod\n@@ -1 +1 @@\n-require example.com/x v1.0.0\n+require example.com/x v1.1.0\n',
  changedFiles: ['svc/go.mod']
})

describe('renderSummary', () => {
  test('facts, a module table, the diff in a diff block, preflight and relay tables', () => {
    const r: RunResult = {
      mode: 'check',
      goVersion: '1.26.8',
      goproxy: 'https://***@mirror.invalid,direct',
      modules: [mod('lib'), drifted],
      preflight: [
        {
          endpoint: 'https://***@mirror.invalid',
          role: 'proxy',
          verdict: 'tls-untrusted',
          hint: 'Trust its CA with ca-certificates.',
          timings: { dns: 1, tcp: 2, tls: 3, total: 6 },
          certificate: { subject: 'CN=mirror', issuer: 'CN=Corp CA' }
        }
      ],
      relay: [
        {
          upstream: 'https://***@mirror.invalid',
          requests: 3,
          bytes: 2048,
          retries: 1,
          failures: 1,
          latencyMs: 12.4,
          tripped: true
        }
      ]
    }
    const md = renderSummary(r)
    expect(md).toContain('**Go** 1.26.8')
    expect(md).toContain('`https://***@mirror.invalid,direct`')
    expect(md).toMatch(/\| example\.com\/lib \| lib \| ✅ tidy \| 1\.2 s \| 1 \|/)
    expect(md).toMatch(/\| example\.com\/svc \| svc \| ❌ drift \|/)
    expect(md).toContain('```diff\n--- a/svc/go.mod')
    expect(md).toMatch(/❌ tls-untrusted \| 1 ms \| 2 ms \| 3 ms \| – \|.*issuer: CN=Corp CA/)
    expect(md).toMatch(/\| 3 \| 2048 \| 1 \| 0 \| 1 \| 12 ms \| ⛔ stopped/)
  })

  test('a demoted upstream says what happened: never answered, how many requests it left unanswered, or a stall', () => {
    const silent = {
      upstream: 'http://silent.invalid',
      requests: 3,
      bytes: 0,
      retries: 0,
      failures: 0,
      latencyMs: 0,
      answers: 0,
      unanswered: 3,
      tripped: false,
      demoted: true,
      demotedFor: 'silent' as const
    }
    const stalled = {
      ...silent,
      upstream: 'http://stall.invalid',
      answers: 2,
      latencyMs: 40,
      unanswered: 0,
      demotedFor: 'stalled' as const
    }
    const md = renderSummary({ mode: 'check', modules: [], relay: [silent, stalled] })
    expect(md).toContain(
      '| `http://silent.invalid` | 3 | 0 | 0 | 0 | 0 | – (never answered) | ⚠️ demoted: silent, 3 requests left unanswered |'
    )
    expect(md).toContain('| 40 ms | ⚠️ demoted: a body stalled mid-way |')
    expect(md).not.toContain('Fetched ahead')
  })

  test('what the relay fetched ahead of go follows the relay table', () => {
    const up = { upstream: 'http://p.invalid', requests: 3, bytes: 10, retries: 0, failures: 0, answers: 3 }
    const md = renderSummary({
      mode: 'check',
      modules: [],
      relay: [{ ...up, latencyMs: 5, unanswered: 0, tripped: false }],
      readAhead: { files: 37, bytes: 21_914, used: 36 }
    })
    expect(md).toMatch(
      /\| in use \|\n\nFetched ahead of go: 37 module files \(21\.4 KiB\); go asked for 36 of them\.\n/
    )
  })

  test('a table cell never breaks the table', () => {
    const md = renderSummary({ mode: 'check', modules: [mod('a|b')] })
    expect(md).toContain('| example.com/a&#124;b | a&#124;b | ✅ tidy |')
  })

  test('an error shows the class, the message, the hint and the output', () => {
    const failed = mod('app', {
      status: 'error',
      error: {
        class: 'auth',
        transient: false,
        message: 'go: reading x: 401 Unauthorized',
        hint: 'Set `token`.',
        output: 'line1\nline2'
      }
    })
    const md = renderSummary({ mode: 'check', modules: [failed] })
    expect(md).toContain('💥 error')
    expect(md).toContain('**app**: auth error')
    expect(md).toContain('💡 Set `token`.')
    expect(md).toContain('line1\nline2')
  })
})

describe('renderSummary: values from a pull request or a server are escaped (issue 10 point 9)', () => {
  const IMG = '<img src=x onerror=alert(1)>'
  const hostile = mod(`a\\|b${IMG}`, {
    module: { dir: '/ws/x', rel: `dir\\|${IMG}\n| fake | row |`, path: `example.com/${IMG}\\|**bold**` },
    status: 'drift',
    diff: '--- a/go.mod\n+++ b/go.mod\n@@ -1 +1 @@\n-x\n+```\n+</details><script>alert(1)</script>\n',
    changedFiles: [`${IMG}/go.mod`]
  })
  const failedMod = mod('e', {
    status: 'error',
    error: {
      class: 'other',
      transient: false,
      message: 'bad ```\n<b>x</b>',
      hint: `Set \`token\`; see ${IMG} [x](javascript:alert(1))`,
      output: '````\n<script>'
    }
  })
  const r: RunResult = {
    mode: 'check',
    goproxy: 'https://a.invalid|https://b.invalid',
    modules: [hostile, failedMod],
    preflight: [
      {
        endpoint: 'https://m.invalid/`x`|y',
        role: 'proxy',
        verdict: 'http-302',
        hint: `m.invalid redirects (HTTP 302 to ${IMG}|x): point the URL at the final location.`,
        timings: { total: 1 },
        certificate: { subject: `CN=${IMG}|`, issuer: 'CN=a\\|b' }
      }
    ],
    relay: [
      {
        upstream: 'https://r.invalid/`|`',
        requests: 1,
        bytes: 0,
        retries: 0,
        failures: 0,
        latencyMs: 1,
        tripped: false
      }
    ],
    security: [{ title: `t${IMG}`, message: `m${IMG}` }],
    fatal: `one\n<img src=y>\n# heading`
  }
  const out = renderSummary(r)
  // A table row's cell separators: pipes that no backslash escapes.
  const separators = (line: string): number => (line.match(/(?<!\\)\|/g) ?? []).length

  test('no HTML from outside survives, only ours (code blocks show theirs as text)', () => {
    const outsideCodeBlocks = out.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    expect(outsideCodeBlocks).not.toContain('alert(1)</')
    expect(outsideCodeBlocks).not.toMatch(/<(?!\/?(details|summary|b)\b|details open>)[a-z/!]/i)
    expect(out).toContain('&#60;img src=x onerror=alert(1)&#62;')
  })

  test('every table row keeps its columns, and a newline in a value starts no row', () => {
    const rows = out.split('\n').filter((l) => l.startsWith('|'))
    const widths = new Map([
      ['Module', 6],
      ['Endpoint', 9],
      ['Upstream', 9]
    ])
    let width = 0
    for (const row of rows) {
      const head = /^\| (\w+) \|/.exec(row)
      if (head && widths.has(head[1])) width = widths.get(head[1])!
      expect([row, separators(row)]).toEqual([row, width])
    }
    expect(rows).toHaveLength(4 + 3 + 3)
  })

  test('a `<summary>` holds escaped text; our own code spans in a hint stay code spans', () => {
    expect(out).toContain(
      '<details open><summary><b>dir&#92;&#124;&#60;img src=x onerror=alert(1)&#62; &#124; fake &#124; row &#124;</b>: &#60;img src=x onerror=alert(1)&#62;/go.mod</summary>'
    )
    expect(out).toContain('💡 Set `token`; see &#60;img')
    expect(out).toContain('&#91;x&#93;(javascript:alert(1))')
    expect(out).toContain('\n> &#60;img src=y&#62;\n> # heading')
  })

  test('code blocks cannot be closed by their content; code spans hold their backticks', () => {
    expect(out).toContain('````diff\n--- a/go.mod')
    expect(out).toContain('+</details><script>alert(1)</script>\n````')
    expect(out).toContain('`````\n````\n<script>\n`````')
    expect(out).toContain('**GOPROXY** `https://a.invalid|https://b.invalid`')
    expect(out).toContain('| ``https://m.invalid/`x`\\|y`` | proxy |')
  })
})

describe('failureMessage', () => {
  test('passes when tidy, or when fix mode fixed the files', () => {
    expect(failureMessage({ mode: 'check', modules: [mod('a')] })).toBeUndefined()
    expect(failureMessage({ mode: 'fix', modules: [mod('a', { status: 'fixed' })] })).toBeUndefined()
  })
  test('names the drifted modules in one line', () => {
    expect(failureMessage({ mode: 'check', modules: [mod('a'), drifted] })).toBe(
      'go.mod/go.sum are not tidy in: svc (run `go mod tidy`)'
    )
  })
  test('a go failure names the module and class first', () => {
    const failed = mod('app', {
      status: 'error',
      error: { class: 'network', transient: true, message: 'dial tcp: refused', hint: '' }
    })
    expect(failureMessage({ mode: 'check', modules: [failed, drifted] })).toBe(
      'go mod tidy failed for app (network): dial tcp: refused'
    )
  })
  test('a fatal error wins', () => {
    expect(failureMessage({ mode: 'check', modules: [], fatal: 'mode: "x" is not accepted' })).toBe(
      'mode: "x" is not accepted'
    )
  })
})
