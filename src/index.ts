// Entry point of the main step (runs.main in action.yml).
import './v8-flags.js'
import { cancelGo } from './go/watch.js'
import { run } from './main.js'

// A cancelled job: the runner signals this process, not go. go is stopped with it (check mode never writes the
// user's files, whatever the moment), and the step still reports what it has; a hard exit bounds the rest.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cancelGo(signal)
    setTimeout(() => process.exit(1), 5000).unref()
  })
}

await run()
// A cache service that accepted a connection and never answered would keep the process alive after the
// (timed-out) restore; the step is over once run() returns, with process.exitCode set by core.setFailed.
process.exit()
