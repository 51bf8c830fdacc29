// The monorepo cases' fixtures: dependency modules (lower- and upper-case paths) that a fixture proxy serves, and
// repositories of many modules importing them, authored tidy by go itself: one `go mod tidy` per module, once per
// bench run, in parallel, into a template that every measured run copies. The authoring GOMODCACHE is then full:
// it is the warm cache of the warm cases.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { usableCpus } from '../src/lib/cpus.js'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from '../__tests__/helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, writeModule, type GoEnv } from '../__tests__/helpers/gotest-env.js'
import { packageName, type FixtureModule } from '../__tests__/helpers/modzip.js'
import { goLoop } from './bench-mono-loop.js'

const V1 = 'v1.0.0'

/** A dependency module: its path, version and requirements; its package imports every requirement. */
function depModule(path: string, version: string, requires: Array<[string, string]>): FixtureModule {
  const name = packageName(path)
  const imports = requires.map(([p]) => `import _ "${p}"\n`).join('')
  const req = requires.length ? `\nrequire (\n${requires.map(([p, v]) => `\t${p} ${v}\n`).join('')})\n` : ''
  return {
    path,
    version,
    gomod: `module ${path}\n\ngo 1.21\n${req}`,
    files: { [`${name}.go`]: `package ${name}\n\n${imports}\nfunc Version() string { return "${path}@${version}" }\n` }
  }
}

// ---- The shared libraries of the monorepo: 36 modules, 37 versions, every fourth with an upper-case path.
const LIBS = 36
const TOP = 24
const APP_IMPORTS = 5

export const lib = (i: number): string => {
  const n = String(i).padStart(2, '0')
  return i % 4 === 3 ? `example.com/MonoKit/Lib${n}` : `example.com/mono/lib${n}`
}

/** lib00..23 each require two of lib24..35; lib24..29 require one of lib30..35; lib29 wants lib35 v1.1.0. */
function libRequires(i: number): Array<[string, string]> {
  if (i < TOP) return [0, 7].map((k) => [lib(TOP + ((i * 5 + k) % (LIBS - TOP))), V1])
  if (i < 30) return [[lib(i + 6), i === 29 ? 'v1.1.0' : V1]]
  return []
}

export function libModules(): FixtureModule[] {
  const mods = Array.from({ length: LIBS }, (_, i) => depModule(lib(i), V1, libRequires(i)))
  mods.push(depModule(lib(LIBS - 1), 'v1.1.0', []))
  return mods
}

/** App i imports five of lib00..23 (a spread that differs from one app to the next). */
function appImports(i: number): string[] {
  return Array.from({ length: APP_IMPORTS }, (_, k) => lib((i * 7 + k * 5) % TOP))
}

// ---- The chain of the flaky case: c00 requires c01, … c59; module k of the repository imports c_k.
export const CHAIN = 60
const chainLib = (k: number): string => {
  const n = String(k).padStart(2, '0')
  return k % 5 === 4 ? `example.com/Chain/C${n}` : `example.com/chain/c${n}`
}

export function chainModules(): FixtureModule[] {
  return Array.from({ length: CHAIN }, (_, k) =>
    depModule(chainLib(k), V1, k + 1 < CHAIN ? [[chainLib(k + 1), V1]] : [])
  )
}

/** One module of a repository as first written (go.mod requiring its imports, no go.sum), before go tidies it. */
interface ModuleSeed {
  dir: string
  path: string
  imports: string[]
}

export function monoSeeds(count: number): ModuleSeed[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(3, '0')
    const dir = `services/g${Math.floor(i / 50)}/svc${n}`
    return { dir, path: `example.com/monorepo/services/svc${n}`, imports: appImports(i) }
  })
}

export function chainSeeds(): ModuleSeed[] {
  return Array.from({ length: CHAIN }, (_, k) => {
    const n = String(k).padStart(2, '0')
    return { dir: `chain/m${n}`, path: `example.com/chainrepo/m${n}`, imports: [chainLib(k)] }
  })
}

export interface MonoRepo {
  /** Module directories relative to the repository root, in discovery order. */
  dirs: string[]
  /** The tidy repository (go.mod + go.sum by go): copy it, never run in it. */
  template: string
  /** A proxy serving every dependency (its zips were built while authoring). */
  proxy: FixtureProxy
  /** The module cache go filled while authoring: every dependency, as a warm run finds it. */
  warm: GoEnv
  /** A fresh copy of the tidy repository. */
  newWorkspace(): string
  close(): Promise<void>
}

/** Serves `modules`, lays out the seeds and has go tidy each module once, one per usable CPU at a time. */
export async function authorRepo(modules: FixtureModule[], seeds: ModuleSeed[], capMs: number): Promise<MonoRepo> {
  const proxy = await startFixtureProxy({ modules })
  const template = join(makeTempDir('gtg-bench-mono-'), 'repo')
  for (const s of seeds) {
    const requires = Object.fromEntries(s.imports.map((p) => [p, V1]))
    writeModule(join(template, s.dir), { path: s.path, requires, imports: s.imports })
  }
  const warm = makeGoEnv(proxy.url)
  const dirs = seeds.map((s) => s.dir).sort()
  try {
    const r = await goLoop(template, dirs, {
      args: ['mod', 'tidy'],
      env: warm.env,
      parallel: usableCpus(),
      capMs
    })
    if (r.firstError) throw new Error(`bench monorepo fixture: go mod tidy failed in ${r.firstError}`)
  } catch (e) {
    warm.cleanup()
    await proxy.close()
    throw e
  }
  return {
    dirs,
    template,
    proxy,
    warm,
    newWorkspace() {
      const ws = makeTempDir('gtg-bench-mono-ws-')
      cpSync(template, ws, { recursive: true })
      return ws
    },
    async close() {
      warm.cleanup()
      await proxy.close()
    }
  }
}

/**
 * Drift in every module, as a forgotten `go mod tidy` leaves it: go.sum deleted and the `// indirect` requirements
 * dropped from go.mod, so tidy would add both back (a few KB of diff per module).
 */
export function driftEverywhere(workspace: string, dirs: string[]): void {
  for (const dir of dirs) {
    const gomod = join(workspace, dir, 'go.mod')
    const text = readFileSync(gomod, 'utf8')
    writeFileSync(
      gomod,
      text
        .split('\n')
        .filter((l) => !l.includes('// indirect'))
        .join('\n')
    )
    rmSync(join(workspace, dir, 'go.sum'), { force: true })
  }
}
