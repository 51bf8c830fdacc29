// go's module path and version escaping (golang.org/x/mod/module) and cmd/go's pathEscape, case by case.
import { describe, expect, it } from '@jest/globals'
import {
  checkModulePath,
  checkVersion,
  escapePath,
  escapeVersion,
  pathEscape,
  unescapePath,
  unescapeVersion
} from '../src/lib/modpath.js'

describe('module paths', () => {
  it.each([
    ['github.com/BurntSushi/toml', 'github.com/!burnt!sushi/toml'],
    ['github.com/DATA-DOG/go-sqlmock', 'github.com/!d!a!t!a-!d!o!g/go-sqlmock'],
    ['example.com/Tools/v2', 'example.com/!tools/v2'],
    ['example.com/yaml.v3', 'example.com/yaml.v3'],
    ['gopkg.in/yaml.v3', 'gopkg.in/yaml.v3'],
    ['gopkg.in/check.v1', 'gopkg.in/check.v1'],
    ['gopkg.in/foo.v0', 'gopkg.in/foo.v0'],
    ['gopkg.in/foo.v2-unstable', 'gopkg.in/foo.v2-unstable'],
    ['example.com/a_b~c/d-e.f', 'example.com/a_b~c/d-e.f'],
    ['127.0.0.1/x', '127.0.0.1/x']
  ])('%s <-> %s', (path, escaped) => {
    expect(checkModulePath(path)).toBeUndefined()
    expect(escapePath(path)).toBe(escaped)
    expect(unescapePath(escaped)).toBe(path)
  })

  it.each([
    ['', 'empty string'],
    ['-example.com/x', 'leading dash'],
    ['example.com//x', 'double slash'],
    ['example.com/x/', 'trailing slash'],
    ['/example.com', 'empty path element'],
    ['example.com/../x', 'invalid path element ".."'],
    ['example.com/./x', 'invalid path element "."'],
    ['example.com/.x', 'leading dot in path element'],
    ['example.com/x.', 'trailing dot in path element'],
    ['example.com/a b', 'invalid char " "'],
    ['example.com/a+b', 'invalid char "+"'],
    ['example.com/a!b', 'invalid char "!"'],
    ['example.com/a%21b', 'invalid char "%"'],
    ['example.com/é', 'invalid char "é"'],
    ['example.com/a\u0000', 'invalid char "\\u0000"'],
    ['localhost/x', 'missing dot in first path element'],
    ['Example.com/x', 'invalid char "E" in first path element'],
    ['exa_mple.com/x', 'invalid char "_" in first path element'],
    ['example.com/x/v1', 'invalid version'],
    ['example.com/x/v0', 'invalid version'],
    ['example.com/x/v02', 'invalid version'],
    ['example.com/x/v2.0', 'invalid version'],
    ['gopkg.in/yaml', 'invalid version'],
    ['gopkg.in/yaml.v03', 'invalid version'],
    ['example.com/con', '"con" disallowed as path element component on Windows'],
    ['example.com/LPT1.txt', '"LPT1" disallowed as path element component on Windows'],
    ['example.com/abc~12', 'trailing tilde and digits in path element']
  ])('refuses %j: %s', (path, why) => {
    expect(checkModulePath(path)).toBe(why)
    expect(escapePath(path)).toBeUndefined()
  })

  it.each([
    ['example.com/Foo', 'upper case in escaped form'],
    ['example.com/!', 'trailing !'],
    ['example.com/!!foo', '! not followed by a lower-case letter'],
    ['example.com/!1foo', '! followed by a digit'],
    ['example.com/!Foo', '! followed by upper case'],
    ['example.com/%21foo', 'still percent-encoded'],
    ['example.com/!e\u0301', 'non-ASCII'],
    ['example.com/!x/v1', 'valid escaping of an invalid path']
  ])('unescapePath refuses %j (%s)', (escaped) => {
    expect(unescapePath(escaped)).toBeUndefined()
  })
})

describe('versions', () => {
  it.each([
    ['v1.2.3', 'v1.2.3'],
    ['v2.0.0+incompatible', 'v2.0.0+incompatible'],
    ['v0.0.0-20240101000000-abcdef123456', 'v0.0.0-20240101000000-abcdef123456'],
    ['v1.2.4-0.20240101000000-abcdef123456', 'v1.2.4-0.20240101000000-abcdef123456'],
    ['v1.0.0-RC1', 'v1.0.0-!r!c1'],
    ['master', 'master'],
    ['Feature_X', '!feature_!x'],
    ['release-1.x', 'release-1.x'],
    ['my branch', 'my branch'],
    ['a#b$c%d&e(f)g,h=i@j[k]l^m{n}o~p', 'a#b$c%d&e(f)g,h=i@j[k]l^m{n}o~p'],
    ['-leading-dash', '-leading-dash'],
    ['.leading-dot', '.leading-dot'],
    ['abc~12', 'abc~12']
  ])('%j <-> %j', (v, escaped) => {
    expect(checkVersion(v)).toBeUndefined()
    expect(escapeVersion(v)).toBe(escaped)
    expect(unescapeVersion(escaped)).toBe(v)
  })

  it.each([
    '',
    '.',
    '..',
    'v1.0.',
    'a/b',
    'a:b',
    'a*b',
    'a?b',
    'a"b',
    "a'b",
    'a<b',
    'a|b',
    'a\\b',
    'a`b',
    'a\tb',
    'a!b',
    'nul',
    'COM3.x'
  ])('refuses %j', (v) => {
    expect(checkVersion(v)).toBeDefined()
    expect(escapeVersion(v)).toBeUndefined()
  })

  it('checks letters outside ASCII as go does, but never puts them in a URL', () => {
    expect(checkVersion('vé')).toBeUndefined()
    expect(escapeVersion('vé')).toBeUndefined()
    expect(unescapeVersion('vé')).toBeUndefined()
  })

  it.each(['V1.0.0', 'v1.0.0-!', 'v1.0.0-!1', '..', 'a/b'])('unescapeVersion refuses %j', (escaped) => {
    expect(unescapeVersion(escaped)).toBeUndefined()
  })
})

describe('pathEscape (cmd/go: url.PathEscape with %2F back to /)', () => {
  it.each([
    ['example.com/!burnt!sushi/toml', 'example.com/%21burnt%21sushi/toml'],
    ['@v/v1.0.0-!r!c1.info', '@v/v1.0.0-%21r%21c1.info'],
    ['@v/v2.0.0+incompatible.zip', '@v/v2.0.0+incompatible.zip'],
    ['a b#c%d,e;f(g)h[i]j^k{l}m', 'a%20b%23c%25d%2Ce%3Bf%28g%29h%5Bi%5Dj%5Ek%7Bl%7Dm'],
    ['$&+:=@~_.-', '$&+:=@~_.-'],
    ['é?\u0000', '%C3%A9%3F%00']
  ])('%j -> %j', (s, want) => {
    expect(pathEscape(s)).toBe(want)
  })

  // Linear, so these finish at once; a backtracking pattern would run into jest's timeout.
  it('handles long hostile inputs', () => {
    const long = '!'.repeat(200_000) + 'A'
    expect(unescapePath(long)).toBeUndefined()
    expect(unescapeVersion('!a'.repeat(100_000) + '!')).toBeUndefined()
    expect(checkModulePath('example.com/' + 'a/'.repeat(100_000) + 'v1')).toBe('invalid version')
    expect(pathEscape('!'.repeat(100_000))).toHaveLength(300_000)
  })
})
