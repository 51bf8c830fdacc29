// The stages of one run, in order (see DEVELOPERS.md, "Architecture"), shared by the action (main.ts) and the
// command line (cli/cli.ts). It returns the RunResult and never reports: each front end reports in its own way.
// What differs between them comes in as hooks: saving state and exporting variables exist only in Actions.
import * as os from 'node:os'
import type { GoModule, RunResult, TidyResult } from './types.js'
import type { Inputs } from './config/inputs.js'
import { checkTidyGoVersions, findGo, stringEnv } from './go/toolchain.js'
import { effectiveSettings, type Settings } from './config/settings.js'
import { discoverModules, rel, walkModuleTree } from './go/modules.js'
import { missingDownloads, proxiedRequirements } from './go/needs.js'
import { formatProxyList } from './config/proxylist.js'
import { prepareAccess, proxyCredentialHosts, type Access } from './access/access.js'
import { startNetwork, PreflightFailed, type Network } from './net/network.js'
import { readTimings, tidyModules, writeTimings } from './tidy/tidy.js'
import { restoreModuleCache } from './cache/restore.js'
import { securityReview } from './config/review.js'
import { removeGuardedCredentialFiles, type CredentialStateKey } from './access/credential-file.js'
import { egressProxySummary } from './net/egress.js'
import { redact } from './lib/redact.js'
import { errorMessage } from './lib/errors.js'

export interface PipelineHooks {
  /** Where credential files (netrc, git config, CA bundle) are written. Default: RUNNER_TEMP, else the OS temp dir. */
  tempDir?: string
  /** Actions: keep a credential file's path for the post step. */
  saveState?(name: CredentialStateKey, file: string): void
  /** Actions: give later steps the settings (called after tidy when export-env is on). */
  exportEnv?(settings: Settings, goproxy: string, access: Access): void
  /** Modules discovered (before tidy starts). */
  onModules?(modules: GoModule[]): void
  onModuleStart?(module: GoModule): void
  onModuleDone?(result: TidyResult): void
  /** The stack of an error that ended the run early (Actions: core.debug). */
  debug?(text: string): void
}

export interface PipelineRun {
  result: RunResult
  /** The error that ended the run early (also in result.fatal), for front ends that tell kinds apart. */
  error?: unknown
}

/** Runs every stage. Never throws: an early end is `result.fatal` (and `error`). */
export async function runPipeline(getInputs: () => Inputs, hooks: PipelineHooks = {}): Promise<PipelineRun> {
  const result: RunResult = { mode: 'check', modules: [] }
  const state: { network?: Network } = {}
  let error: unknown
  try {
    await stages(getInputs, hooks, result, state)
  } catch (e) {
    error = e
    result.fatal = errorMessage(e)
    hooks.debug?.(redact(String((e as Error)?.stack ?? e)))
  } finally {
    if (state.network) {
      result.preflight = await state.network.finishPreflight()
      result.relay = state.network.stats()
      result.readAhead = state.network.readAhead()
      await state.network.close()
    }
    // The netrc file goes now unless it was handed over with NETRC (post, run always(), removes that one).
    removeGuardedCredentialFiles()
  }
  return { result, error }
}

async function stages(
  getInputs: () => Inputs,
  hooks: PipelineHooks,
  result: RunResult,
  state: { network?: Network }
): Promise<void> {
  const inputs = getInputs()
  result.mode = inputs.mode
  const goFound = findGo()
  // go env runs in its own process meanwhile: the (synchronous) walk for go.mod files costs the step no time.
  const tree = walkModuleTree(inputs.workingDirectory)
  const go = await goFound
  result.goVersion = go.version
  checkTidyGoVersions(inputs.tidyArgs, go.version)
  const settings = effectiveSettings(inputs, go.env)
  result.goproxy = formatProxyList(settings.proxies, undefined, true)
  result.egressProxy = egressProxySummary(process.env)
  const access = await prepareAccess(
    inputs,
    hooks.tempDir || process.env.RUNNER_TEMP || os.tmpdir(),
    stringEnv(process.env)
  )
  if (access.netrcFile) hooks.saveState?.('netrc-file', access.netrcFile)
  if (access.gitConfigFile) hooks.saveState?.('git-config-file', access.gitConfigFile)
  const netrcHosts = access.netrc.map((e) => e.machine)
  result.security = securityReview({
    ...settings,
    GOINSECURE: go.env.GOINSECURE ?? '',
    GOFLAGS: go.env.GOFLAGS ?? '',
    netrcHosts
  })
  const env = { ...goEnv(settings), ...access.env }
  const { workspace, workingDirectory, shard } = inputs
  const { modules, found, goMods } = await discoverModules(
    {
      go,
      env,
      workspace,
      workingDirectory,
      patterns: inputs.modules,
      shard
    },
    tree
  )
  result.discovery = {
    found,
    checked: modules.length,
    workingDirectory: rel(workspace, workingDirectory),
    shard: shard && `${shard.index}/${shard.count}`
  }
  hooks.onModules?.(modules)
  const wanted = proxiedRequirements(modules, settings.GONOPROXY, goMods)
  const [cache, net] = await Promise.all([
    restoreModuleCache({ mode: inputs.cache, gomodcache: go.env.GOMODCACHE, goVersion: go.version, modules }),
    startNetwork(inputs, settings, access, { probeModule: wanted[0] }).catch((e: unknown) => {
      if (e instanceof PreflightFailed) result.preflight = e.results
      throw e
    })
  ])
  state.network = net
  result.cache = cache
  // What a cold (or partly restored) module cache lacks: the relay fetches it while the first go processes start.
  net.prefetch(missingDownloads(wanted, go.env.GOMODCACHE))
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
    onStart: hooks.onModuleStart,
    onDone: hooks.onModuleDone,
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
  if (inputs.exportEnv) hooks.exportEnv?.(settings, net.exportGoproxy(), access)
}

/**
 * The environment of go (and of the git it runs): this process's, without the step's inputs (the runner's `INPUT_*`
 * variables are the action's, and hold its token and netrc), with the run's settings.
 */
export function goEnv(s: Settings, processEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env = stringEnv(processEnv)
  for (const name of Object.keys(env)) if (name.startsWith('INPUT_')) delete env[name]
  return {
    ...env,
    GOPROXY: s.GOPROXY,
    GOPRIVATE: s.GOPRIVATE,
    GONOPROXY: s.GONOPROXY,
    GONOSUMDB: s.GONOSUMDB,
    GOSUMDB: s.GOSUMDB
  }
}
