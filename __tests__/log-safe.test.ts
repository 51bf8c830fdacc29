// Issue 10, point 1: nothing from outside acts as a workflow command. What the step prints is parsed with the
// runner emulation's parser, which honours `::stop-commands::` as the runner does.
import { beforeEach, describe, expect, test } from '@jest/globals'
import * as core from '@actions/core'
import { logUntrusted } from '../src/lib/log-safe.js'
import { reportAnnotations, reportLog } from '../src/report/report.js'
import { addSecret, resetSecrets } from '../src/lib/redact.js'
import type { RunResult, TidyResult } from '../src/types.js'
import { parseWorkflowCommands } from './helpers/runner-commands.js'
import { stdoutOf } from './helpers/stdout.js'

// Every command an attacker would want, as go echoes a path (tab-indented) or a proxy's body arrives (bare lines).
const HOSTILE = [
  'go: example.com/app imports',
  '\t::error file=main.go,line=1,title=FAKE::injected: malformed import path',
  '::add-mask::go.mod',
  '::save-state name=netrc-file::/etc/passwd',
  '::set-output name=drift::false',
  '::stop-commands::x',
  '::x::',
  '::warning title=AFTER::after a stop and resume',
  '  ::group::fake group',
  '::debug::fake debug'
].join('\n')

const nothingRan = (out: string): void => {
  const c = parseWorkflowCommands(out)
  expect(c.annotations).toEqual([])
  expect(c.masks).toEqual([])
  expect(c.state).toEqual({})
  expect(c.outputs).toEqual({})
  expect(c.debug).toEqual([])
}

beforeEach(resetSecrets)

describe('logUntrusted', () => {
  test('shows every line, and the runner executes none of them', () => {
    const out = stdoutOf(() => logUntrusted(HOSTILE))
    nothingRan(out)
    for (const line of HOSTILE.split('\n')) expect(out).toContain(line)
  })

  test('the block ends: commands of ours after it run again', () => {
    const out = stdoutOf(() => {
      logUntrusted(HOSTILE)
      core.warning('ours', { title: 'after the block' })
    })
    expect(parseWorkflowCommands(out).annotations).toEqual([
      { level: 'warning', title: 'after the block', message: 'ours' }
    ])
  })

  test('a fresh unguessable token for every block, never one the text holds', () => {
    const tokens = [1, 2, 3].map(() => /^::stop-commands::(\w+)$/m.exec(stdoutOf(() => logUntrusted('x')))![1])
    expect(new Set(tokens).size).toBe(3)
    for (const t of tokens) expect(t).toMatch(/^[a-p]{32}$/)
  })

  test('redacts registered secrets', () => {
    const out = stdoutOf(() => {
      addSecret('s3cret-token')
      logUntrusted('fetch with s3cret-token failed')
    })
    expect(out).toContain('fetch with *** failed')
  })
})

const failed = (rel: string, output: string): TidyResult => ({
  module: { dir: `/ws/${rel}`, rel, path: 'example.com/app' },
  status: 'error',
  diff: '',
  changedFiles: [],
  annotations: [{ file: 'go.mod', startLine: 1, title: 'T::x,y', message: HOSTILE }],
  durationMs: 1,
  attempts: 1,
  error: { class: 'other', transient: false, message: HOSTILE, hint: HOSTILE, output }
})

describe('reporting', () => {
  // A directory name from the repository in the group title and the annotation title, go's output in the log.
  const rel = 'svc\n::error title=FAKE::from a directory name'
  const r: RunResult = {
    mode: 'check',
    modules: [failed(rel, HOSTILE)],
    security: [{ title: '::error::t', message: HOSTILE }]
  }

  test("go's output in the log: shown inside its group, executing nothing", () => {
    const out = stdoutOf(() => reportLog(r))
    const c = parseWorkflowCommands(out)
    expect(c.groups).toEqual([`go output for ${rel}`])
    expect(c.annotations).toEqual([])
    expect(c.masks).toEqual([])
    expect(c.state).toEqual({})
    expect(out).toContain('\t::error file=main.go,line=1,title=FAKE::injected')
  })

  // @actions/core escapes messages and properties: verified here with the runner's parser, not assumed.
  test('annotations: hostile messages and titles arrive whole, as one annotation each', () => {
    const c = parseWorkflowCommands(stdoutOf(() => reportAnnotations(r)))
    expect(c.masks).toEqual([])
    expect(c.state).toEqual({})
    expect(c.annotations.map((a) => [a.level, a.title, a.message])).toEqual([
      ['error', 'T::x,y', HOSTILE],
      ['error', `go mod tidy failed in ${rel} (other)`, `${HOSTILE}\n${HOSTILE}`],
      ['warning', '::error::t', HOSTILE]
    ])
  })

  test('debug lines and failures (core.debug, core.setFailed) are one escaped command each', () => {
    const exitCode = process.exitCode
    const c = parseWorkflowCommands(
      stdoutOf(() => {
        core.debug(HOSTILE)
        core.setFailed(HOSTILE)
      })
    )
    process.exitCode = exitCode
    expect(c.debug).toEqual([HOSTILE])
    expect(c.annotations).toEqual([{ level: 'error', message: HOSTILE }])
    expect(c.masks).toEqual([])
  })
})
