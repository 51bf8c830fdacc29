// The runner's side of a step's output: the `::name k=v::message` workflow commands on stdout and the
// file-command files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, …), parsed as the runner parses them.
import { readFileSync } from 'node:fs'

/** Parses a file-command file: `name=value` lines and `name<<DELIM` … `DELIM` blocks; later wins. */
export function parseKeyValueFile(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = readFileSync(file, 'utf8').split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    const eq = line.indexOf('=')
    if (heredoc && (eq < 0 || line.indexOf('<<') < eq)) {
      const body: string[] = []
      let j = i + 1
      while (j < lines.length && lines[j] !== heredoc[2]) body.push(lines[j++])
      if (j >= lines.length) throw new Error(`${file}: unterminated ${heredoc[1]}<<${heredoc[2]}`)
      out[heredoc[1]] = body.join('\n')
      i = j
    } else if (eq > 0) {
      out[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`${file}: invalid line ${JSON.stringify(line)}`)
    }
  }
  return out
}

/** Replaces each mask by `***`, longest first, as the runner's log does. */
export function maskText(text: string, masks: string[]): string {
  let out = text
  for (const m of [...masks].sort((a, b) => b.length - a.length)) if (m) out = out.split(m).join('***')
  return out
}

export interface RunnerAnnotation {
  level: 'error' | 'warning' | 'notice'
  file?: string
  line?: number
  endLine?: number
  col?: number
  endColumn?: number
  title?: string
  message: string
}

export interface WorkflowCommands {
  annotations: RunnerAnnotation[]
  masks: string[]
  debug: string[]
  groups: string[]
  /** Legacy `::set-output` / `::save-state` commands. */
  outputs: Record<string, string>
  state: Record<string, string>
}

// The runner's own unescape order: %25 last, so "%250A" stays "%0A".
const DATA_ESCAPES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%']
]
const PROPERTY_ESCAPES: Array<[string, string]> = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%']
]

function unescape(s: string, table: Array<[string, string]>): string {
  return table.reduce((acc, [from, to]) => acc.split(from).join(to), s)
}

/** Parses the `::name k=v,k=v::message` commands on stdout, honouring `::stop-commands::`. */
export function parseWorkflowCommands(stdout: string): WorkflowCommands {
  const out: WorkflowCommands = { annotations: [], masks: [], debug: [], groups: [], outputs: {}, state: {} }
  let stopToken: string | undefined
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line.trimStart())
    if (!m) continue
    const [, name, rawProps, rawMessage] = m
    if (stopToken !== undefined) {
      if (name === stopToken) stopToken = undefined
      continue
    }
    const props: Record<string, string> = {}
    for (const pair of (rawProps ?? '').split(',')) {
      const eq = pair.indexOf('=')
      if (eq > 0) props[pair.slice(0, eq).trim()] = unescape(pair.slice(eq + 1), PROPERTY_ESCAPES)
    }
    const message = unescape(rawMessage, DATA_ESCAPES)
    if (name === 'error' || name === 'warning' || name === 'notice')
      out.annotations.push(annotation(name, props, message))
    else if (name === 'add-mask') out.masks.push(message)
    else if (name === 'debug') out.debug.push(message)
    else if (name === 'group') out.groups.push(message)
    else if (name === 'set-output' && props.name) out.outputs[props.name] = message
    else if (name === 'save-state' && props.name) out.state[props.name] = message
    else if (name === 'stop-commands') stopToken = message
  }
  return out
}

function annotation(level: RunnerAnnotation['level'], p: Record<string, string>, message: string): RunnerAnnotation {
  const num = (v: string | undefined): number | undefined =>
    v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined
  const a: RunnerAnnotation = { level, message }
  if (p.file !== undefined) a.file = p.file
  if (p.title !== undefined) a.title = p.title
  const fields: Array<[keyof RunnerAnnotation, string | undefined]> = [
    ['line', p.line],
    ['endLine', p.endLine],
    ['col', p.col],
    ['endColumn', p.endColumn]
  ]
  for (const [k, v] of fields) if (num(v) !== undefined) (a as unknown as Record<string, number>)[k] = num(v)!
  return a
}
