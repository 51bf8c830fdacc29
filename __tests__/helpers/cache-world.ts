// One "repository" for the in-process cache tests: a loopback cache service, a fixture proxy, a go environment
// whose GOMODCACHE is the runner's module cache, and an app module in the workspace. Main and post run as steps.
// Paths stay the same between "runs" (a fresh runner has the same HOME and workspace); `freshModCache` empties
// the module cache.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { restoreModuleCache } from '../../src/cache/restore.js'
import { runPost } from '../../src/cache/save.js'
import type { CacheBounds } from '../../src/cache/call.js'
import { recordStepPassed } from '../../src/cache/state.js'
import type { CacheReport, GoModule, RunResult } from '../../src/types.js'
import { reportAnnotations, reportOutputs } from '../../src/report/report.js'
import { startCacheService, type CacheService } from './cache-service.js'
import { beginStep, captured } from './cache-steps.js'
import { startFixtureProxy, type FixtureProxy } from './fixture-proxy.js'
import { makeGoEnv, removeTree, runGo, type GoEnv } from './gotest-env.js'
import type { FixtureModule } from './modzip.js'
import type { RunnerAnnotation } from './runner.js'

export interface StepVars {
  mode?: 'true' | 'false' | 'restore-only'
  event?: string
  /** false: none of the cache service variables (a runner without the service). */
  service?: boolean
  /** Shorter bounds for a stalling cache service. */
  bounds?: Partial<CacheBounds>
  /** main passed (default), so post may save; false: main failed, drifted or was cancelled. */
  passed?: boolean
  extra?: Record<string, string | undefined>
}

export interface CacheWorld {
  svc: CacheService
  proxy: FixtureProxy
  goenv: GoEnv
  workspace: string
  gomodcache: string
  appDir: string
  app: GoModule
  tidy(opts?: { offline?: boolean }): Promise<void>
  freshModCache(): void
  mainStep(v?: StepVars): Promise<{
    report: CacheReport
    annotations: RunnerAnnotation[]
    outputs: Record<string, string>
    state: Record<string, string>
  }>
  postStep(
    state: Record<string, string>,
    v?: StepVars
  ): Promise<{
    report: Awaited<ReturnType<typeof runPost>>
    annotations: RunnerAnnotation[]
    summary: string
    stdout: string
  }>
  close(): Promise<void>
}

export async function makeCacheWorld(modules: FixtureModule[]): Promise<CacheWorld> {
  const svc = await startCacheService()
  const proxy = await startFixtureProxy({ modules })
  const goenv = makeGoEnv(proxy.url)
  const workspace = join(goenv.dir, 'workspace')
  const appDir = join(workspace, 'app')
  const gomodcache = goenv.env.GOMODCACHE
  const app: GoModule = { dir: appDir, rel: 'app', path: 'example.com/app' }
  const stepVars = (v: StepVars): Record<string, string | undefined> => ({
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: v.event ?? 'push',
    ...(v.service === false ? {} : svc.env()),
    ...v.extra
  })
  return {
    svc,
    proxy,
    goenv,
    workspace,
    gomodcache,
    appDir,
    app,
    async tidy(opts = {}) {
      const env = opts.offline ? { ...goenv.env, GOPROXY: 'off' } : goenv.env
      const r = await runGo(['mod', 'tidy'], { cwd: appDir, env })
      if (r.code !== 0) throw new Error(`go mod tidy failed: ${r.stderr}`)
    },
    freshModCache() {
      removeTree(gomodcache)
      mkdirSync(gomodcache, { recursive: true })
    },
    async mainStep(v = {}) {
      const step = beginStep(stepVars(v))
      // As main does: the stage returns its report, reporting turns it into annotations and the cache-hit output,
      // and a step that passed records it for post.
      const run = await captured(async () => {
        const cache = await restoreModuleCache({
          mode: v.mode ?? 'true',
          gomodcache,
          goVersion: '1.26.8',
          modules: [app],
          bounds: v.bounds
        })
        const result: RunResult = { mode: 'check', modules: [], cache }
        reportOutputs(result)
        reportAnnotations(result)
        if (v.passed !== false) recordStepPassed()
        return cache
      })
      return { report: run.value, annotations: run.commands.annotations, outputs: step.outputs(), state: step.state() }
    },
    async postStep(state, v = {}) {
      const step = beginStep(stepVars(v), state)
      const run = await captured(() => runPost())
      return { report: run.value, annotations: run.commands.annotations, summary: step.summary(), stdout: run.stdout }
    },
    async close() {
      await svc.close()
      await proxy.close()
      goenv.cleanup()
    }
  }
}

export const warnings = (annotations: RunnerAnnotation[]): string[] =>
  annotations.filter((a) => a.level === 'warning' || a.level === 'error').map((a) => a.message)
