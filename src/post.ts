// Entry point of the post step (runs.post in action.yml, `post-if: always()`): deletes the credentials files, and saves the
// module cache when main passed (cache/save.ts). Caching is fail-soft, so this step never fails: every problem is
// a warning.
import './v8-flags.js'
import * as core from '@actions/core'
import { errorMessage } from './lib/errors.js'
import { runPost } from './cache/save.js'
import { cleanMessage } from './cache/state.js'
import { removeCredentialFile } from './access/credential-file.js'
import { CREDENTIAL_STATE } from './access/credential-file.js'

// A failed upload can surface as an uncaught exception from inside @actions/cache's dependencies (an aborted
// stream); it must not fail the step.
process.on('uncaughtException', (e) => core.warning(`module cache: ${cleanMessage(errorMessage(e))}`))

// The netrc file written for the `netrc` input lives until here when later steps got NETRC exported; post runs
// even after a failed or cancelled main, so it is never left behind.
for (const [state, what] of Object.entries(CREDENTIAL_STATE)) {
  await removeCredentialFile(core.getState(state)).catch((e: unknown) =>
    core.warning(`could not delete the ${what}: ${cleanMessage(String(e))}`)
  )
}
const report = await runPost()
// A cache service that never answered leaves a socket open that would keep the step alive until the job's timeout.
if (report?.timedOut) process.stdout.write('', () => process.exit(0))
