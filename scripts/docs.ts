// `npm run docs`: writes the README's input and output tables from action.yml, between the marker comments
// `<!-- inputs:start … -->` / `<!-- inputs:end -->` (and the same for outputs). action.yml's descriptions are the
// README's text, so they are edited there, never in the README.
// `npm run docs -- --check` writes nothing and exits 1, showing the difference, when README.md is not what this
// script would write (.ci/run runs it).
import { createTwoFilesPatch } from 'diff'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readActionYml, REPO_ROOT, type ActionMetadata } from '../__tests__/helpers/runner.js'

/** A Markdown table cell: one line, and a `|` (even inside a code span) escaped so that it ends no cell. */
function cell(text: string): string {
  return text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
}

/** A default as the README shows it: a code span, or "empty". */
function defaultCell(value: string | undefined): string {
  if (value === undefined) return 'none (required)'
  if (value === '') return 'empty'
  const ticks = value.includes('`') ? '``' : '`'
  return cell(`${ticks}${value.startsWith('`') ? ' ' : ''}${value}${value.endsWith('`') ? ' ' : ''}${ticks}`)
}

function description(meta: ActionMetadata, kind: 'inputs' | 'outputs', name: string): string {
  const text = meta.descriptions[kind][name]
  if (!text?.trim()) throw new Error(`action.yml: ${kind}.${name} has no description; the README's table needs one`)
  return cell(text)
}

function inputsTable(meta: ActionMetadata): string {
  const rows = Object.entries(meta.inputs).map(
    ([name, dflt]) => `| \`${name}\` | ${defaultCell(dflt)} | ${description(meta, 'inputs', name)} |`
  )
  return ['| input | default | meaning |', '|---|---|---|', ...rows].join('\n')
}

function outputsTable(meta: ActionMetadata): string {
  const rows = meta.outputs.map((name) => `| \`${name}\` | ${description(meta, 'outputs', name)} |`)
  return ['| output | meaning |', '|---|---|', ...rows].join('\n')
}

/** `readme` with the text between `<!-- NAME:start … -->` and `<!-- NAME:end -->` replaced by `table`. */
function replaceBetweenMarkers(readme: string, name: string, table: string): string {
  const start = new RegExp(`<!-- ${name}:start\\b[^>]*-->\\n`, 'g')
  const end = `<!-- ${name}:end -->`
  const starts = [...readme.matchAll(start)]
  if (starts.length !== 1) {
    throw new Error(`README.md: expected one "<!-- ${name}:start -->" marker line, found ${starts.length}`)
  }
  const from = starts[0].index + starts[0][0].length
  const to = readme.indexOf(end, from)
  if (to < 0 || readme.indexOf(end, to + end.length) >= 0) {
    throw new Error(`README.md: expected one "${end}" marker after "<!-- ${name}:start -->"`)
  }
  return readme.slice(0, from) + table + '\n' + readme.slice(to)
}

/** The README as this script writes it. */
function renderReadme(readme: string, meta: ActionMetadata): string {
  const withInputs = replaceBetweenMarkers(readme, 'inputs', inputsTable(meta))
  return replaceBetweenMarkers(withInputs, 'outputs', outputsTable(meta))
}

function main(): number {
  const args = process.argv.slice(2)
  const unknown = args.filter((a) => a !== '--check')
  if (unknown.length) throw new Error(`docs: unknown argument ${unknown.join(' ')}; the only one is --check`)
  const file = join(REPO_ROOT, 'README.md')
  const current = readFileSync(file, 'utf8')
  const wanted = renderReadme(current, readActionYml(REPO_ROOT))
  if (args.includes('--check')) {
    if (current === wanted) {
      console.log('README.md: the input and output tables match action.yml')
      return 0
    }
    console.error(
      createTwoFilesPatch('README.md', 'README.md (from action.yml)', current, wanted, '', '', { context: 1 })
    )
    console.error(
      "error: README.md's input/output tables differ from action.yml (above: README.md as it is, then as generated);\n" +
        'edit the descriptions and defaults in action.yml, then run `npm run docs`'
    )
    return 1
  }
  if (current === wanted) console.log('README.md: already up to date')
  else {
    writeFileSync(file, wanted)
    console.log('README.md: input and output tables written from action.yml')
  }
  return 0
}

try {
  process.exitCode = main()
} catch (e) {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
}
