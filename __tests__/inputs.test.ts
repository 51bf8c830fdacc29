import { describe, expect, test } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, readInputs } from '../src/config/inputs.js'
import { formatProxyList, parseProxyList } from '../src/config/proxylist.js'
import { effectiveSettings } from '../src/config/settings.js'
import { redact } from '../src/lib/redact.js'
import { readActionYml } from './helpers/runner.js'

// The defaults the runner gives every input, read from action.yml itself (an input without one reads as '').
const defaults: Record<string, string> = Object.fromEntries(
  Object.entries(readActionYml().inputs).map(([name, value]) => [name, value ?? ''])
)
const ws = mkdtempSync(join(tmpdir(), 'gtg-inputs-'))
const read = (over: Record<string, string> = {}) => readInputs((n) => ({ ...defaults, ...over })[n] ?? '', ws)

describe('readInputs', () => {
  test('defaults', () => {
    const i = read()
    expect(i).toMatchObject({
      workingDirectory: ws,
      modules: [],
      preflight: 'true',
      preflightTimeoutMs: 5000,
      retries: 3,
      relay: true,
      cache: 'true',
      mode: 'check',
      tidyArgs: [],
      exportEnv: true
    })
    expect(i.goproxy).toBeUndefined()
    expect(i.goprivate).toBeUndefined()
    expect(i.stallTimeoutMs).toBe(60_000)
  })
  test('stall-timeout: 0 turns the watchdog off; anything but seconds is refused, naming the input', () => {
    expect(read({ 'stall-timeout': '0' }).stallTimeoutMs).toBe(0)
    expect(read({ 'stall-timeout': '1.5' }).stallTimeoutMs).toBe(1500)
    for (const bad of ['-1', 'soon', '']) expect(() => read({ 'stall-timeout': bad })).toThrow(/^stall-timeout: /)
  })
  test('valid values are normalised', () => {
    const i = read({
      'preflight-timeout': '2.5',
      retries: '0',
      mode: 'FIX',
      'tidy-args': '-e  -compat=1.21 -go=1.22.3',
      goprivate: 'a.example.com/x\n*.corp.example.com, b',
      modules: 'svc/*\n# comment\nlib'
    })
    expect(i.preflightTimeoutMs).toBe(2500)
    expect(i.retries).toBe(0)
    expect(i.mode).toBe('fix')
    expect(i.tidyArgs).toEqual(['-e', '-compat=1.21', '-go=1.22.3'])
    expect(i.goprivate).toBe('a.example.com/x,*.corp.example.com,b')
    expect(i.modules).toEqual(['svc/*', 'lib'])
  })
  test.each([
    ['retries', '-1'],
    ['retries', '2.5'],
    ['retries', 'three'],
    ['preflight-timeout', '-3'],
    ['preflight-timeout', 'abc'],
    ['mode', 'dry-run'],
    ['relay', 'on'],
    ['tidy-args', '-diff'],
    ['tidy-args', '-go=latest'],
    ['goproxy', 'proxy'],
    ['goproxy', 'gopher://x.invalid'],
    ['gosumdb', 'name+key ftp://x.invalid'],
    ['goprivate', 'https://x.invalid/a'],
    ['working-directory', 'missing'],
    ['modules', '/abs'],
    ['preflight-timeout', '0.0001'],
    ['tidy-args', '-go=1.21.07'],
    ['gosumdb', '::error::x'],
    ['gosumdb', 'sum.example.invalid+0123abcd'],
    ['gosumdb', 'sum.example.invalid https://x.invalid']
  ])('%s=%s throws an InputError naming the input', (name, value) => {
    expect(() => read({ [name]: value })).toThrow(InputError)
    expect(() => read({ [name]: value })).toThrow(new RegExp(`^${name}: `))
  })
  test('every form of gosumdb that go accepts passes', () => {
    for (const v of [
      'off',
      'sum.example.invalid',
      'sum.example.invalid:8443',
      'sum.example.invalid+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ba18I7/Ci8/RJmQ1',
      'sum.example.invalid+033de0ae+Ac4zctda0e5eza https://sum.example.invalid/db'
    ]) {
      expect(read({ gosumdb: v }).gosumdb).toBe(v)
    }
  })
  test('the token is masked', () => {
    read({ token: 'ghp_supersecret' })
    expect(redact('auth ghp_supersecret')).toBe('auth ***')
  })
})

describe('GOPROXY lists', () => {
  test('separators, keywords and implicit https', () => {
    const l = parseProxyList('https://a.invalid/p,b.invalid|direct')
    expect(l.map((e) => [e.kind, e.url, e.separator])).toEqual([
      ['url', 'https://a.invalid/p', ','],
      ['url', 'https://b.invalid', '|'],
      ['direct', '', '']
    ])
    expect(formatProxyList(l)).toBe('https://a.invalid/p,https://b.invalid|direct')
    expect(formatProxyList(l, '|')).toBe('https://a.invalid/p|https://b.invalid|direct')
  })
  test('newlines separate like commas; file URLs and absolute paths are proxies', () => {
    const l = parseProxyList('\nhttps://a.invalid\n/srv/goproxy\noff\n')
    expect(l.map((e) => e.url || e.kind)).toEqual(['https://a.invalid', 'file:///srv/goproxy', 'off'])
    expect(l.map((e) => e.separator)).toEqual([',', ',', ''])
  })
  test('credentials are redacted for display and registered as secrets', () => {
    const [e] = parseProxyList('https://user:s3cr3tpw@mirror.invalid/go')
    expect(e.url).toBe('https://user:s3cr3tpw@mirror.invalid/go')
    expect(e.display).toBe('https://***@mirror.invalid/go')
    expect(redact('fetch failed: s3cr3tpw')).toBe('fetch failed: ***')
  })
})

describe('effective settings', () => {
  const goEnv = {
    GOPROXY: 'https://env.invalid,direct',
    GOPRIVATE: '',
    GONOPROXY: '',
    GONOSUMDB: '',
    GOSUMDB: 'sum.example.invalid'
  }
  test('go env provides defaults', () => {
    const s = effectiveSettings({}, goEnv, {})
    expect(s).toMatchObject({ GOPROXY: 'https://env.invalid,direct', GOSUMDB: 'sum.example.invalid', GOPRIVATE: '' })
  })
  test('inputs win, and GOPRIVATE from an input flows into GONOPROXY/GONOSUMDB as go derives them', () => {
    const s = effectiveSettings(
      { goproxy: parseProxyList('https://in.invalid'), goprivate: 'corp.example.com', gosumdb: 'off' },
      goEnv,
      {}
    )
    expect(s).toMatchObject({
      GOPROXY: 'https://in.invalid',
      GOPRIVATE: 'corp.example.com',
      GONOPROXY: 'corp.example.com',
      GONOSUMDB: 'corp.example.com',
      GOSUMDB: 'off'
    })
  })
  test('an explicit GONOPROXY in the environment is kept', () => {
    const s = effectiveSettings(
      { goprivate: 'corp.example.com' },
      { ...goEnv, GONOPROXY: 'none.example.com' },
      { GONOPROXY: 'none.example.com' }
    )
    expect(s.GONOPROXY).toBe('none.example.com')
  })
})
