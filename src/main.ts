// The action's front end of the pipeline (pipeline.ts): inputs from the runner, state and exported variables for
// later steps, and reporting (annotations, outputs, job summary) from the one RunResult, even when the step fails.
import * as core from '@actions/core'
import { readInputs } from './config/inputs.js'
import type { Settings } from './config/settings.js'
import type { Access } from './access/access.js'
import { runPipeline } from './pipeline.js'
import { handOverCredentialFile } from './access/credential-file.js'
import { recordStepPassed } from './cache/state.js'
import { failureMessage, report } from './report/report.js'

export async function run(): Promise<void> {
  const { result } = await runPipeline(() => readInputs(), {
    saveState: (name, file) => core.saveState(name, file),
    exportEnv: (settings, goproxy, access) => {
      exportEnv(settings, goproxy, access.env)
      // Later steps read them (NETRC, the git config's include.path); post deletes them.
      handOverCredentialFile(access.netrcFile)
      handOverCredentialFile(access.gitConfigFile)
    },
    debug: (text) => core.debug(text)
  })
  await report(result)
  const failure = failureMessage(result)
  if (failure) core.setFailed(failure)
  else recordStepPassed() // post saves the module cache only then
}

function exportEnv(s: Settings, goproxy: string, extra: Access['env']): void {
  core.exportVariable('GOPROXY', goproxy)
  for (const name of ['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB'] as const) core.exportVariable(name, s[name])
  for (const [name, value] of Object.entries(extra)) core.exportVariable(name, value)
}
