// Entry point of the main step (runs.main in action.yml).
import './v8-flags.js'
import { run } from './main.js'

await run()
// A cache service that accepted a connection and never answered would keep the process alive after the
// (timed-out) restore; the step is over once run() returns, with process.exitCode set by core.setFailed.
process.exit()
