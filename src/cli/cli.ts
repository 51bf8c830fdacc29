// Entry point of the command line (`go-tidy-guard`, dist/cli.js): check, fix, doctor and relay, built on the
// action's stages. Exit codes: 0 tidy, 1 drift, 2 failure of tidy or the network, 3 bad usage (see cli/help.ts).
import '../v8-flags.js'
import { redact, setRunnerMasks } from '../lib/redact.js'
import { cancelGo } from '../go/watch.js'
import { parseCli, UsageError, type CliArgs } from './args.js'
import { HELP } from './help.js'
import { makeTerm, type Term } from './term.js'
import { runCheck } from './check.js'
import { runDoctor } from './doctor.js'
import { runRelay } from './relay.js'
import { errorMessage } from '../lib/errors.js'

// Outside Actions a `::add-mask::` line would print the secret it masks; redaction itself stays on. A CLI run inside
// a GitHub Actions step still registers secrets with the runner, which hides those lines and masks the values.
setRunnerMasks(process.env.GITHUB_ACTIONS === 'true')

async function main(argv: string[]): Promise<number> {
  const term = makeTerm()
  let args: CliArgs
  try {
    args = parseCli(argv)
  } catch (e) {
    return usage(term, e)
  }
  if (args.help) {
    term.out(HELP)
    return 0
  }
  try {
    switch (args.command) {
      case 'check':
      case 'fix':
        stopGoOnSignals()
        return await runCheck(args, args.command, term)
      case 'doctor':
        return await runDoctor(args, term)
      case 'relay':
        return await runRelay(args, term)
    }
  } catch (e) {
    if (e instanceof UsageError) return usage(term, e)
    term.err(`go-tidy-guard: ${redact(errorMessage(e))}`)
    return 2
  }
}

function usage(term: Term, e: unknown): number {
  term.err(`go-tidy-guard: ${errorMessage(e)}`)
  term.err('Run `go-tidy-guard --help` for the commands, flags and exit codes.')
  return 3
}

// Ctrl-C: go is stopped (check never leaves the user's files half-written); a hard exit bounds the rest.
function stopGoOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cancelGo(signal)
      setTimeout(() => process.exit(130), 5000).unref()
    })
  }
}

process.exitCode = await main(process.argv.slice(2))
// Nothing may keep the process alive once the command is done (an idle keep-alive socket, a stalled probe).
process.exit()
