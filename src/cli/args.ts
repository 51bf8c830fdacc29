// The command line's arguments (node:util parseArgs): a sub-command, an optional directory, and the action's inputs
// as flags of the same names. The flags feed readInputs (config/inputs.ts) through its getter, so every value gets the
// action's validation and error messages. Defaults are action.yml's (a test holds them equal).
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { readInputs, type Inputs } from '../config/inputs.js'
import { InputError } from '../lib/input-error.js'

export const COMMANDS = ['check', 'fix', 'doctor', 'relay'] as const
export type Command = (typeof COMMANDS)[number]

/** Action inputs that are flags, with action.yml's defaults. */
export const INPUT_DEFAULTS: Record<string, string> = {
  modules: '',
  goproxy: '',
  goprivate: '',
  gonoproxy: '',
  gonosumdb: '',
  gosumdb: '',
  preflight: 'true',
  'preflight-timeout': '5',
  'stall-timeout': '60',
  concurrency: '',
  shard: '',
  retries: '3',
  relay: 'true',
  'tidy-args': '',
  token: '',
  'private-hosts': '',
  netrc: '',
  'ca-certificates': ''
}

/** Action inputs the command line sets itself: the directory argument, the sub-command, no cache service, no later steps. */
export const FIXED_INPUTS: Record<string, string> = { 'working-directory': '.', cache: 'false', 'export-env': 'false' }

/** Inputs that may be given more than once; their values join with newlines, as the action's multi-line inputs. */
const REPEATABLE = new Set(['modules', 'netrc', 'ca-certificates'])

export type Format = 'github' | 'gitlab' | 'plain'

export interface CliArgs {
  command: Command
  dir?: string
  /** Input values as given (flags only). */
  inputs: Record<string, string>
  json: boolean
  format?: Format
  reportFile?: string
  listen?: string
  help: boolean
}

/** Bad usage: exit code 3. */
export class UsageError extends Error {}

const options: ParseArgsConfig['options'] = {
  ...Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((n) => [n, { type: 'string', multiple: REPEATABLE.has(n) }])),
  json: { type: 'boolean' },
  format: { type: 'string' },
  'report-file': { type: 'string' },
  listen: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
}

export function parseCli(argv: string[]): CliArgs {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (e) {
    throw new UsageError((e as Error).message)
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>
  const [command, dir, ...extra] = parsed.positionals
  if (v.help && !command) return { command: 'check', inputs: {}, json: false, help: true }
  if (!(COMMANDS as readonly string[]).includes(command ?? '')) {
    throw new UsageError(
      command
        ? `unknown command "${command}"; use one of: ${COMMANDS.join(', ')}`
        : `a command is needed: ${COMMANDS.join(', ')}`
    )
  }
  if (extra.length > 0 || (dir !== undefined && (command === 'doctor' || command === 'relay'))) {
    throw new UsageError(`unexpected argument "${extra[0] ?? dir}"`)
  }
  const inputs: Record<string, string> = {}
  for (const name of Object.keys(INPUT_DEFAULTS)) {
    const value = v[name]
    if (value !== undefined) inputs[name] = Array.isArray(value) ? value.join('\n') : String(value)
  }
  const format = v.format as string | undefined
  if (format !== undefined && !['github', 'gitlab', 'plain'].includes(format)) {
    throw new UsageError(`--format: "${format}" is not accepted; use one of: github, gitlab, plain`)
  }
  if (v.json === true && format === 'github')
    throw new UsageError('--json and --format github both write to stdout; give one of them')
  if (v.listen !== undefined && command !== 'relay') throw new UsageError('--listen is only for the relay command')
  return {
    command: command as Command,
    dir,
    inputs,
    json: v.json === true,
    format: format as Format | undefined,
    reportFile: v['report-file'] as string | undefined,
    listen: v.listen as string | undefined,
    help: v.help === true
  }
}

/** The getter readInputs takes: a flag, else the fixed value, else action.yml's default. */
export function inputGetter(args: CliArgs, mode: 'check' | 'fix'): (name: string) => string {
  return (name) => {
    if (name === 'mode') return mode
    if (name in args.inputs) return args.inputs[name]
    if (name in FIXED_INPUTS) return FIXED_INPUTS[name]
    if (name in INPUT_DEFAULTS) return INPUT_DEFAULTS[name]
    throw new InputError(`${name}: not an input of the command line`)
  }
}

/** The format when --format is not given: the CI system's own, else plain. */
export function defaultFormat(env: NodeJS.ProcessEnv): Format {
  if (env.GITHUB_ACTIONS === 'true') return 'github'
  if (env.GITLAB_CI) return 'gitlab'
  return 'plain'
}

/** The inputs from the flags, validated as the action validates them; a bad one is a usage error naming the flag. */
export function readFlags(args: CliArgs, mode: 'check' | 'fix' = 'check', dir: string = process.cwd()): Inputs {
  try {
    return readInputs(inputGetter(args, mode), dir)
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(`--${e.message}`)
    throw e
  }
}
