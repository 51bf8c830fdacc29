// Emulates GitHub's runner executing one JavaScript action step (main or post) from the action's bundle, as a
// child process: INPUT_* from action.yml defaults plus overrides, the file-command files, the runner variables,
// then the outputs/env/state/path/summary and the `::` workflow commands parsed back, as the runner would.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeTempDir, runProcess } from './gotest-env.js'
import { maskText, parseKeyValueFile, parseWorkflowCommands, type RunnerAnnotation } from './runner-commands.js'

// Importers keep using runner.js for the command parsing as well.
export {
  maskText,
  parseKeyValueFile,
  parseWorkflowCommands,
  type RunnerAnnotation,
  type WorkflowCommands
} from './runner-commands.js'

/** The repository root: the nearest directory above this file holding action.yml (works from .build/ too). */
export const REPO_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'action.yml')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
})()

export interface ActionMetadata {
  /** Declared inputs and their defaults (undefined when no default). */
  inputs: Record<string, string | undefined>
  outputs: string[]
  using: string
  main: string
  post?: string
  /** Each input's and output's description, by name (block scalars keep YAML's line breaks). */
  descriptions: { inputs: Record<string, string>; outputs: Record<string, string> }
}

/** Reads the subset of action.yml the runner needs (inputs/defaults, outputs, runs). */
export function readActionYml(actionDir: string = REPO_ROOT): ActionMetadata {
  const text = readFileSync(join(actionDir, 'action.yml'), 'utf8')
  const meta: ActionMetadata = {
    inputs: {},
    outputs: [],
    using: '',
    main: '',
    descriptions: { inputs: {}, outputs: {} }
  }
  let section = ''
  let current = ''
  let desc: { into: Record<string, string>; name: string; header: string; lines: string[] } | undefined
  for (const raw of text.split(/\r?\n/)) {
    // A description's continuation lines: indented deeper than its key, or blank.
    if (desc && /^(\s*$| {6})/.test(raw)) {
      desc.lines.push(raw)
      continue
    }
    if (desc) desc.into[desc.name] = scalarText(desc.header, desc.lines)
    desc = undefined
    if (/^\s*(#|$)/.test(raw)) continue
    const top = /^([A-Za-z_][\w-]*):(.*)$/.exec(raw)
    if (top) {
      section = top[1]
      current = ''
      continue
    }
    const key = /^ {2}([A-Za-z_][\w-]*):\s*(.*)$/.exec(raw)
    if (key) {
      current = key[1]
      if (section === 'inputs') meta.inputs[current] = undefined
      if (section === 'outputs') meta.outputs.push(current)
      if (section === 'runs' && ['using', 'main', 'post'].includes(current)) {
        ;(meta as unknown as Record<string, string>)[current] = yamlScalar(key[2])
      }
      continue
    }
    const sub = /^ {4}default:\s*(.*)$/.exec(raw)
    if (sub && section === 'inputs' && current) meta.inputs[current] = yamlScalar(sub[1])
    const d = /^ {4}description:\s*(.*)$/.exec(raw)
    if (d && (section === 'inputs' || section === 'outputs') && current) {
      desc = { into: meta.descriptions[section], name: current, header: d[1], lines: [] }
    }
  }
  if (desc) desc.into[desc.name] = scalarText(desc.header, desc.lines)
  if (!meta.main) throw new Error(`${join(actionDir, 'action.yml')}: no runs.main`)
  return meta
}

/** A one-line YAML scalar: plain, 'single' ('' escapes a quote) or "double" (basic escapes). */
function yamlScalar(v: string): string {
  const s = v.trim()
  if (s.startsWith("'")) return s.slice(1, s.lastIndexOf("'")).replace(/''/g, "'")
  if (s.startsWith('"')) return JSON.parse(s.slice(0, s.lastIndexOf('"') + 1)) as string
  return s.replace(/\s+#.*$/, '')
}

/**
 * A scalar that may span lines: a block scalar (`>` folds lines, `|` keeps them; `-` drops the final line break)
 * or a flow scalar (plain or quoted) whose continuation lines fold into spaces.
 */
function scalarText(header: string, lines: string[]): string {
  const block = /^([>|])([+-]?)\s*(#.*)?$/.exec(header.trim())
  if (!block)
    return yamlScalar(
      [header, ...lines]
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .join(' ')
    )
  const first = lines.find((l) => l.trim() !== '') ?? ''
  const indent = first.length - first.trimStart().length
  const body = lines
    .map((l) => l.slice(indent).trimEnd())
    .join('\n')
    .replace(/\n+$/, '')
  const text = block[1] === '|' ? body : body.replace(/([^\n])\n(?=[^\n])/g, '$1 ').replace(/\n\n/g, '\n')
  return block[2] === '-' || text === '' ? text : text + '\n'
}

export interface RunActionOptions {
  entry?: 'main' | 'post'
  /** Input overrides by their action.yml name (e.g. `working-directory`). */
  inputs?: Record<string, string>
  /** The job environment (e.g. makeGoEnv().env). Nothing else from the test process is passed except PATH. */
  env?: Record<string, string | undefined>
  /** GITHUB_WORKSPACE and the step's cwd. Default: a fresh makeWorkspace(). */
  workspace?: string
  /** Saved state from the main step, passed to post as STATE_<name>. */
  state?: Record<string, string>
  runnerTemp?: string
  toolCache?: string
  eventName?: string
  /** Kill the step after this long. Default 120 s. */
  timeoutMs?: number
  /** Directory holding action.yml and the bundle. Default: the repository root. */
  actionDir?: string
}

export interface ActionRun {
  /** Process exit code; null when killed (timeout). */
  exitCode: number | null
  /** The runner fails the step on any non-zero exit. */
  failed: boolean
  timedOut: boolean
  stdout: string
  stderr: string
  /** stdout as the runner's log shows it: `::add-mask::` values replaced by `***`. */
  maskedStdout: string
  outputs: Record<string, string>
  env: Record<string, string>
  state: Record<string, string>
  path: string[]
  summary: string
  annotations: RunnerAnnotation[]
  masks: string[]
  debug: string[]
  groups: string[]
  /** Inputs given that action.yml does not declare (the runner warns about these). */
  unexpectedInputs: string[]
  workspace: string
  runnerTemp: string
}

/** A fresh, empty workspace directory. */
export function makeWorkspace(): string {
  return makeTempDir('gtg-ws-')
}

/** The runner's name for an input's variable: spaces to `_`, upper-cased, hyphens kept. */
export function inputEnvName(name: string): string {
  return 'INPUT_' + name.replace(/ /g, '_').toUpperCase()
}

/** Runs one step of the action and parses what the runner would. Never throws for a failing step. */
export async function runAction(opts: RunActionOptions = {}): Promise<ActionRun> {
  const actionDir = resolve(opts.actionDir ?? REPO_ROOT)
  const meta = readActionYml(actionDir)
  const entry = opts.entry ?? 'main'
  const script = entry === 'main' ? meta.main : meta.post
  if (!script) throw new Error(`action.yml in ${actionDir} has no runs.${entry}`)
  const workspace = opts.workspace ?? makeWorkspace()
  const runnerTemp = opts.runnerTemp ?? makeTempDir('gtg-runner-temp-')
  const toolCache = opts.toolCache ?? makeTempDir('gtg-toolcache-')
  const files = makeFileCommandFiles()
  const env = stepEnv(opts, meta, { workspace, runnerTemp, toolCache, files })
  const proc = await runProcess(process.execPath, [join(actionDir, script)], {
    cwd: workspace,
    env,
    timeoutMs: opts.timeoutMs ?? 120_000
  })
  const parsed = parseWorkflowCommands(proc.stdout)
  const outputs = { ...parsed.outputs, ...parseKeyValueFile(files.GITHUB_OUTPUT) }
  return {
    exitCode: proc.code,
    failed: proc.code !== 0,
    timedOut: proc.timedOut,
    stdout: proc.stdout,
    stderr: proc.stderr,
    maskedStdout: maskText(proc.stdout, parsed.masks),
    outputs,
    env: parseKeyValueFile(files.GITHUB_ENV),
    state: { ...parsed.state, ...parseKeyValueFile(files.GITHUB_STATE) },
    path: readFileSync(files.GITHUB_PATH, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l !== ''),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    annotations: parsed.annotations,
    masks: parsed.masks,
    debug: parsed.debug,
    groups: parsed.groups,
    unexpectedInputs: Object.keys(opts.inputs ?? {}).filter((k) => !(k in meta.inputs)),
    workspace,
    runnerTemp
  }
}

type FileCommands = Record<
  'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY' | 'GITHUB_PATH',
  string
>

function makeFileCommandFiles(): FileCommands {
  const dir = makeTempDir('gtg-filecmd-')
  const files = {} as FileCommands
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY', 'GITHUB_PATH'] as const) {
    files[name] = join(dir, name.toLowerCase())
    writeFileSync(files[name], '')
  }
  return files
}

function stepEnv(
  opts: RunActionOptions,
  meta: ActionMetadata,
  ctx: { workspace: string; runnerTemp: string; toolCache: string; files: FileCommands }
): Record<string, string> {
  const eventPath = join(ctx.runnerTemp, '_github_workflow', 'event.json')
  mkdirSync(dirname(eventPath), { recursive: true })
  writeFileSync(eventPath, '{}\n')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: ctx.workspace,
    GITHUB_EVENT_NAME: opts.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SERVER_URL: 'https://github.invalid',
    GITHUB_API_URL: 'https://api.github.invalid',
    GITHUB_REPOSITORY: 'example/repo',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0000000000000000000000000000000000000000',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'test',
    GITHUB_ACTION: 'go-tidy-guard',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_TEMP: ctx.runnerTemp,
    RUNNER_TOOL_CACHE: ctx.toolCache,
    ...ctx.files
  }
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  const inputs: Record<string, string | undefined> = { ...meta.inputs, ...opts.inputs }
  for (const [name, value] of Object.entries(inputs)) if (value !== undefined) env[inputEnvName(name)] = value
  for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value
  return env
}
