// The command line's flags (issue 13): the same names, defaults and validation as the action's inputs.
import { describe, expect, test } from '@jest/globals'
import { FIXED_INPUTS, INPUT_DEFAULTS, inputGetter, parseCli, UsageError } from '../src/cli/args.js'
import { parseListen } from '../src/cli/relay.js'
import { directHosts } from '../src/cli/doctor.js'
import { readInputs, InputError } from '../src/config/inputs.js'
import { readActionYml } from './helpers/runner.js'

describe('flags are the action inputs', () => {
  test("every action input is a flag with action.yml's default, or set by the command line itself", () => {
    const meta = readActionYml()
    const fixedOrCommand = new Set([...Object.keys(FIXED_INPUTS), 'mode'])
    for (const [name, def] of Object.entries(meta.inputs)) {
      if (fixedOrCommand.has(name)) continue
      expect([name, INPUT_DEFAULTS[name]]).toEqual([name, def ?? ''])
    }
    expect(Object.keys(INPUT_DEFAULTS).every((n) => n in meta.inputs)).toBe(true)
  })

  test('flags feed readInputs, with its validation and messages', () => {
    const args = parseCli([
      'check',
      '--goproxy',
      'https://a.invalid|direct',
      '--retries',
      '2',
      '--modules',
      'a',
      '--modules',
      'b/*'
    ])
    const inputs = readInputs(inputGetter(args, 'check'), process.cwd())
    expect(inputs.retries).toBe(2)
    expect(inputs.modules).toEqual(['a', 'b/*'])
    expect(inputs.goproxy?.map((p) => p.kind)).toEqual(['url', 'direct'])
    expect(inputs.cache).toBe('false')
    expect(inputs.exportEnv).toBe(false)
    const bad = parseCli(['fix', '--concurrency', '65'])
    expect(() => readInputs(inputGetter(bad, 'fix'), process.cwd())).toThrow(InputError)
  })

  test('bad usage', () => {
    expect(() => parseCli([])).toThrow(UsageError)
    expect(() => parseCli(['lint'])).toThrow('unknown command "lint"')
    expect(() => parseCli(['check', '--nope'])).toThrow(UsageError)
    expect(() => parseCli(['check', '--format', 'xml'])).toThrow('use one of: github, gitlab, plain')
    expect(() => parseCli(['check', '--json', '--format', 'github'])).toThrow(UsageError)
    expect(() => parseCli(['doctor', 'somewhere'])).toThrow('unexpected argument')
    expect(() => parseCli(['check', '--listen', '127.0.0.1:1'])).toThrow('only for the relay')
  })
})

test('relay --listen: loopback only', () => {
  expect(parseListen(undefined)).toEqual({ host: '127.0.0.1', port: 0 })
  expect(parseListen('127.0.0.1:7000')).toEqual({ host: '127.0.0.1', port: 7000 })
  expect(parseListen('localhost:7000')).toEqual({ host: '127.0.0.1', port: 7000 })
  expect(parseListen('7000')).toEqual({ host: '127.0.0.1', port: 7000 })
  for (const bad of ['0.0.0.0:7000', '192.168.1.2:80', ':7000x', '127.0.0.1:70000', '[::]:80'])
    expect(() => parseListen(bad)).toThrow(UsageError)
})

test("doctor probes the hosts GONOPROXY sends go to directly; wildcards and dotless names can't be probed", () => {
  expect(
    directHosts('git.corp.invalid/team,*.corp.invalid,git.corp.invalid/other,localpkg,Code.Example.invalid')
  ).toEqual([
    { pattern: 'git.corp.invalid/team', host: 'git.corp.invalid' },
    { pattern: 'Code.Example.invalid', host: 'code.example.invalid' }
  ])
})
