// Orchestrates the stages; see DEVELOPERS.md for the data flow. Every outcome lands in one RunResult,
// which reporting writes in `finally` so the summary exists even when the step fails.
import * as core from '@actions/core'
import * as os from 'node:os'
import type { RunResult } from './types.js'
import { readInputs, type Inputs } from './inputs.js'
import { checkTidyGoVersions, findGo, stringEnv } from './toolchain.js'
import { effectiveSettings, type Settings } from './settings.js'
import { discoverModules, rel } from './modules.js'
import { formatProxyList } from './proxylist.js'
import { prepareAccess, proxyCredentialHosts, type Access } from './access.js'
import { startNetwork, PreflightFailed, type Network } from './network.js'
import { readTimings, tidyModules, writeTimings } from './tidy-run.js'
import { pickProbeModule } from './preflight-target.js'
import { restoreModuleCache } from './cache-restore.js'
import { securityReview } from './security.js'
import { handOverCredentialFile, removeGuardedCredentialFiles } from './credential-file.js'
import { recordStepPassed } from './cache-state.js'
import { egressProxySummary } from './preflight-egress.js'
import { failureMessage, report } from './report.js'
import { redact } from './redact.js'

export async function run(): Promise<void> {
  const result: RunResult = { mode: 'check', modules: [] }
  let network: Network | undefined
  let access: Access | undefined
  let inputs: Inputs | undefined
  try {
    inputs = readInputs()
    result.mode = inputs.mode
    const go = await findGo()
    result.goVersion = go.version
    checkTidyGoVersions(inputs.tidyArgs, go.version)
    const settings = effectiveSettings(inputs, go.env)
    result.goproxy = formatProxyList(settings.proxies, undefined, true)
    result.egressProxy = egressProxySummary(process.env)
    access = await prepareAccess(inputs, process.env.RUNNER_TEMP || os.tmpdir(), stringEnv(process.env))
    if (access.netrcFile) core.saveState('netrc-file', access.netrcFile)
    if (access.gitConfigFile) core.saveState('git-config-file', access.gitConfigFile)
    const netrcHosts = access.netrc.map((e) => e.machine)
    result.security = securityReview({ ...settings, GOINSECURE: go.env.GOINSECURE ?? '', GOFLAGS: go.env.GOFLAGS ?? '', netrcHosts })
    const env = { ...goEnv(settings), ...access.env }
    const { workspace, workingDirectory, shard } = inputs
    const { modules, found } = await discoverModules({ go, env, workspace, workingDirectory, patterns: inputs.modules, shard })
    result.discovery = {
      found,
      checked: modules.length,
      workingDirectory: rel(workspace, workingDirectory),
      shard: shard && `${shard.index}/${shard.count}`
    }
    const [cache, net] = await Promise.all([
      restoreModuleCache({ mode: inputs.cache, gomodcache: go.env.GOMODCACHE, goVersion: go.version, modules }),
      startNetwork(inputs, settings, access, pickProbeModule(modules, settings.GONOPROXY)).catch((e: unknown) => {
        if (e instanceof PreflightFailed) result.preflight = e.results
        throw e
      })
    ])
    network = net
    result.cache = cache
    result.modules = await tidyModules(modules, {
      concurrency: inputs.concurrency,
      timings: readTimings(go.env.GOMODCACHE),
      go,
      env: { ...env, GOPROXY: net.goproxy },
      mode: inputs.mode,
      tidyArgs: inputs.tidyArgs,
      retries: inputs.retries,
      mayRetry: () => !net.allDown(),
      downReport: () => net.downReport(),
      stallMs: inputs.stallTimeoutMs,
      gomodcache: go.env.GOMODCACHE,
      auth: {
        tokenSet: inputs.token !== '',
        privateHosts: inputs.privateHosts,
        netrcHosts,
        relayUrl: net.relayUrl,
        proxyCredentialHosts: proxyCredentialHosts(settings.proxies, access.netrc)
      }
    })
    writeTimings(go.env.GOMODCACHE, result.modules)
    // After tidy, so that the healthy-first order has every verdict that arrived meanwhile.
    if (inputs.exportEnv) {
      exportEnv(settings, net.exportGoproxy(), access.env)
      // Later steps read them (NETRC, the git config's include.path); post deletes them.
      handOverCredentialFile(access.netrcFile)
      handOverCredentialFile(access.gitConfigFile)
    }
  } catch (e) {
    result.fatal = e instanceof Error ? e.message : String(e)
    core.debug(redact(String((e as Error)?.stack ?? e)))
  } finally {
    if (network) {
      result.preflight = await network.finishPreflight()
      result.relay = network.stats()
      await network.close()
    }
    // The netrc file goes now unless it was handed over with NETRC (post, run always(), removes that one).
    removeGuardedCredentialFiles()
    await report(result)
  }
  const failure = failureMessage(result)
  if (failure) core.setFailed(failure)
  else recordStepPassed() // post saves the module cache only then
}

function goEnv(s: Settings): Record<string, string> {
  return {
    ...stringEnv(process.env),
    GOPROXY: s.GOPROXY,
    GOPRIVATE: s.GOPRIVATE,
    GONOPROXY: s.GONOPROXY,
    GONOSUMDB: s.GONOSUMDB,
    GOSUMDB: s.GOSUMDB
  }
}

function exportEnv(s: Settings, goproxy: string, extra: Record<string, string>): void {
  core.exportVariable('GOPROXY', goproxy)
  for (const name of ['GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB'] as const) core.exportVariable(name, s[name])
  for (const [name, value] of Object.entries(extra)) core.exportVariable(name, value)
}
