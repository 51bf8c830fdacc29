// Issue 10, points 2 and 4: redaction is linear-time over hostile text, and hides URL credentials by URL structure
// (the last `@` before the host), in every form go accepts, registering them as secrets before anything prints them.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { addSecret, redact, redactUrl, resetSecrets } from '../src/lib/redact.js'
import { parseProxyList, ProxyListError } from '../src/config/proxylist.js'
import { egressProxySummary } from '../src/net/egress.js'
import { InputError, readInputs } from '../src/config/inputs.js'
import { parseWorkflowCommands } from './helpers/runner-commands.js'
import { stdoutOf } from './helpers/stdout.js'

const masksOf = (fn: () => void): string[] => parseWorkflowCommands(stdoutOf(fn)).masks

beforeEach(resetSecrets)
afterEach(resetSecrets)

describe('redact takes linear time on hostile text', () => {
  const MB = 1 << 20
  // Each shape made the old patterns backtrack: long scheme-like runs, `://` with no `@`, endless userinfo.
  const shapes: Array<[string, string]> = [
    ['a run of letters and digits (an import path of a pull request)', 'example.com/' + 'a1'.repeat(MB / 2)],
    ['letters, then `://` at the very end', 'a'.repeat(MB) + '://'],
    ['`x://` repeated', 'x://'.repeat(MB / 4)],
    ['`a://b` with `/` between, no `@`', 'a://b/'.repeat(MB / 6)],
    ['one URL with a megabyte of userinfo and many `@`', 'https://' + 'u:p@'.repeat(MB / 4) + 'host'],
    ['`/@v/` protocol paths repeated', 'https://h' + '/@v/'.repeat(MB / 4)],
    ['`:` and `/` runs', ':/'.repeat(MB / 2)]
  ]
  test.each(shapes)('%s: well under a second', (_name, text) => {
    addSecret('registered-secret')
    const started = performance.now()
    const out = redact(text)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(out.length).toBeLessThanOrEqual(text.length)
  })

  test('a megabyte of text with URLs between the noise is still redacted', () => {
    const noise = 'z'.repeat(64 * 1024)
    const text = Array.from({ length: 16 }, (_, i) => `${noise} https://ci:pw${i}x@h${i}.invalid/p`).join('\n')
    const out = redact(text)
    expect(out).not.toMatch(/pw\d+x/)
    expect(out.match(/https:\/\/\*\*\*@h\d+\.invalid\/p/g)).toHaveLength(16)
  })
})

describe('credentials by URL structure', () => {
  const PASS = 'AbC/dEf+gH1'
  test.each([
    [
      'a password with an unencoded `/`',
      `https://ci:${PASS}@proxy.invalid/base`,
      'https://***@proxy.invalid/base',
      [`ci:${PASS}`, PASS]
    ],
    [
      'a password with `#` and `?`',
      'https://ci:Ab#C?d=e@proxy.invalid',
      'https://***@proxy.invalid',
      ['ci:Ab#C?d=e', 'Ab#C?d=e']
    ],
    ['a password with `@`', 'http://ci:p@ss@proxy.invalid:8080', 'http://***@proxy.invalid:8080', ['ci:p@ss', 'p@ss']],
    [
      'an egress proxy without a scheme',
      'ci:Pr0xyPw@egress.invalid:3128',
      '***@egress.invalid:3128',
      ['ci:Pr0xyPw', 'Pr0xyPw']
    ],
    [
      'module proxy paths keep their `@`',
      'https://u:secretpw@h.invalid/example.com/m/@v/list',
      'https://***@h.invalid/example.com/m/@v/list',
      ['u:secretpw', 'secretpw']
    ]
  ])('redactUrl: %s', (_name, url, shown, secrets) => {
    let out = ''
    const masks = masksOf(() => (out = redactUrl(url)))
    expect(out).toBe(shown)
    for (const s of secrets) expect(masks).toContain(s)
  })

  test.each([
    ['no userinfo', 'https://proxy.invalid/example.com/m/@v/v1.0.0.zip'],
    ['a file URL', 'file:///srv/mods@2/x'],
    ['a bare keyword', 'direct']
  ])('redactUrl leaves %s alone', (_name, url) => {
    expect(masksOf(() => expect(redactUrl(url)).toBe(url))).toEqual([])
  })

  test('free text: userinfo up to the last `@` before the host, `/@v/` kept, several URLs, nothing registered', () => {
    const text = `reading https://ci:${PASS}@h.invalid/example.com/m/@v/list: 403; also "http://a:b#c@x.invalid",https://u:v/w@y.invalid|off`
    expect(redact(text)).toBe(
      'reading https://***@h.invalid/example.com/m/@v/list: 403; also "http://***@x.invalid",https://***@y.invalid|off'
    )
    expect(redact('mailto me@corp.invalid, see https://h.invalid/a and b@c')).toBe(
      'mailto me@corp.invalid, see https://h.invalid/a and b@c'
    )
  })
})

describe('credentials never reach a message before they are secrets', () => {
  const PASS = 'AbC/dEf+gH1'
  test.each([
    [`https://ci:${PASS}@proxy.invalid`, PASS, 'not a valid URL'], // go refuses it too: the authority ends at the `/`
    [`ci:${PASS}@proxy.invalid`, PASS, 'not a valid URL'],
    ['https://ci:Ab#Cd+E@proxy.invalid', 'Ab#Cd+E', 'not a valid URL'],
    ['ftp://ci:Secr3tPw@proxy.invalid', 'Secr3tPw', 'uses ftp:'],
    ['ci:Secr3tPw@localhost', 'Secr3tPw', 'is not a proxy']
  ])('parseProxyList(%j): the error hides the password, which is registered', (goproxy, pass, said) => {
    let error: unknown
    const masks = masksOf(() => {
      try {
        parseProxyList(goproxy)
      } catch (e) {
        error = e
      }
    })
    expect(error).toBeInstanceOf(ProxyListError)
    const message = (error as Error).message
    expect(message).toContain(said)
    expect(message).toContain('***@')
    expect(message).not.toContain(pass)
    expect(masks).toContain(pass)
  })

  test('the goproxy input error and its stack (main prints it in debug) hide the password', () => {
    let error: unknown
    const masks = masksOf(() => {
      try {
        readInputs(
          (n) => (n === 'goproxy' ? `https://ci:${PASS}@proxy.invalid,direct` : n === 'working-directory' ? '.' : ''),
          process.cwd()
        )
      } catch (e) {
        error = e
      }
    })
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(/^goproxy: "https:\/\/\*\*\*@proxy\.invalid" is not a valid URL/)
    expect(String((error as Error).stack)).not.toContain(PASS)
    expect(masks).toContain(PASS)
  })

  test('egress proxies: the summary hides credentials of every form go accepts, and registers all of them', () => {
    const env = {
      HTTPS_PROXY: 'ci:HttpsPw1@egress.invalid:3128',
      http_proxy: 'http://ci:Ht%2FtpPw2@other.invalid:8080',
      NO_PROXY: 'corp.invalid'
    }
    let shown: string | undefined
    const masks = masksOf(() => (shown = egressProxySummary(env)))
    expect(shown).toBe('***@egress.invalid:3128 (NO_PROXY: corp.invalid)')
    expect(masks).toEqual(expect.arrayContaining(['HttpsPw1', 'Ht%2FtpPw2', 'Ht/tpPw2']))
  })
})
