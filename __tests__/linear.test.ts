// Text from a pull request (go's output echoing module paths, go.mod files) never makes a parser take more than
// linear time: a megabyte of each adversarial shape is read well within a second.
import { describe, expect, test } from '@jest/globals'
import { cleanMessage } from '../src/cache/state.js'
import { scanGoMod } from '../src/go/gomod.js'
import { classifyGoError } from '../src/tidy/classify.js'

const MB = 1024 * 1024
const quick = (fn: () => unknown): number => {
  const started = performance.now()
  fn()
  return performance.now() - started
}

describe('classifyGoError', () => {
  test.each([
    ['"verifying " repeated on one line', 'go: example.com/' + 'verifying module '.repeat(MB / 17)],
    ['"module" repeated, no "not found"', 'go: ' + 'module '.repeat(MB / 7)],
    ['"repository" then a long run', 'repository ' + 'a'.repeat(MB)]
  ])('%s', (_name, text) => {
    expect(quick(() => classifyGoError(text, 1))).toBeLessThan(1000)
  })

  test('the rules written without patterns still classify what go prints', () => {
    expect(classifyGoError('verifying example.com/x@v1.0.0/go.mod: checksum mismatch', 1).class).toBe('security')
    expect(classifyGoError('go: example.com/x@v1.0.0: verifying go.sum: bad line', 1).class).toBe('security')
    expect(classifyGoError('remote: Repository not found.', 1).class).toBe('not-found')
    expect(classifyGoError('go: module example.com/x: not found', 1).class).toBe('not-found')
    expect(classifyGoError('go: module example.com/x: not foundry', 1).class).not.toBe('not-found')
  })
})

describe('scanGoMod', () => {
  test.each([
    ['unclosed escaped quotes', 'require ' + '"\\"'.repeat(MB / 3)],
    ['unclosed backticks', 'require ' + '`a'.repeat(MB / 2)],
    ['one huge token', 'module ' + 'a'.repeat(MB)]
  ])('%s', (_name, line) => {
    expect(quick(() => scanGoMod(`${line}\n`))).toBeLessThan(1000)
  })
})

test('cleanMessage on a megabyte of URLs without a query', () => {
  expect(quick(() => cleanMessage('http://'.repeat(MB / 7)))).toBeLessThan(1000)
})
