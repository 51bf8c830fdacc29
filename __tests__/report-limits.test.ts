// Annotations and outputs fit GitHub's limits whatever the repository: 10 annotations of each level per step (the
// cache note counted with the others), and the outputs of one job under 1 MB.
import { afterEach, expect, test } from '@jest/globals'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { reportAnnotations, reportOutputs } from '../src/report/report.js'
import type { RunResult, TidyResult } from '../src/types.js'
import { makeTempDir } from './helpers/gotest-env.js'
import { parseWorkflowCommands } from './helpers/runner-commands.js'
import { stdoutOf } from './helpers/stdout.js'

const fixed = (rel: string): TidyResult => ({
  module: { dir: `/ws/${rel}`, rel, path: `example.com/${rel}` },
  status: 'fixed',
  diff: `--- a/${rel}/go.mod\n+++ b/${rel}/go.mod\n`,
  changedFiles: [`${rel}/go.mod`, `${rel}/go.sum`],
  annotations: ['go.mod', 'go.sum'].map((f) => ({
    file: `${rel}/${f}`,
    startLine: 1,
    title: `${f} was tidied`,
    message: 'm'
  })),
  durationMs: 1,
  attempts: 1
})

const saved = process.env.GITHUB_OUTPUT
afterEach(() => {
  process.env.GITHUB_OUTPUT = saved
})

test('fix mode with 12 tidied modules and a cache note: 10 notices, the tenth saying how many more', () => {
  const r: RunResult = {
    mode: 'fix',
    modules: Array.from({ length: 12 }, (_, i) => fixed(`m${i}`)),
    cache: { restore: 'skipped', note: 'GOMODCACHE was filled by an earlier step' }
  }
  const notices = parseWorkflowCommands(stdoutOf(() => reportAnnotations(r))).annotations.filter(
    (a) => a.level === 'notice'
  )
  expect(notices).toHaveLength(10)
  expect(notices[0].title).toBe('Module cache')
  expect(notices[9].message).toMatch(/^16 more like these/)
})

test('400 drifted modules with long directories: every output together stays under 1 MB, and the cut is said', () => {
  const out = join(makeTempDir('gtg-out-'), 'output')
  writeFileSync(out, '')
  process.env.GITHUB_OUTPUT = out
  const deep = 'd'.repeat(1600)
  const r: RunResult = { mode: 'fix', modules: Array.from({ length: 400 }, (_, i) => fixed(`${deep}/m${i}`)) }
  let notes: string[] = []
  stdoutOf(() => (notes = reportOutputs(r)))
  expect(statSync(out).size).toBeLessThan(1_000_000)
  expect(readFileSync(out, 'utf8')).toContain('changed-files<<')
  expect(notes).toEqual([
    expect.stringMatching(/^changed-files lists \d+ files; \d+ more are in the job summary and diff-file\.$/),
    expect.stringMatching(/^modules lists \d+ module directories; \d+ more are in the job summary\.$/)
  ])
  const warnings = parseWorkflowCommands(stdoutOf(() => reportAnnotations(r, notes))).annotations.filter(
    (a) => a.level === 'warning'
  )
  expect(warnings.map((w) => w.title)).toEqual(['Outputs', 'Outputs'])
})
