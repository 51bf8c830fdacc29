// The benchmark's fixture: a graph of a few dozen modules (some requiring others, one with two versions so
// MVS has work, one zip of several MB) and an app module that imports them, authored tidy once by go itself.
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxy } from '../__tests__/helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir, runGo, writeModule } from '../__tests__/helpers/gotest-env.js'
import { makeLargeModule, type FixtureModule } from '../__tests__/helpers/modzip.js'

export const APP_PATH = 'example.com/benchapp'
export const LARGE_PATH = 'example.com/bench/assets'
const LIBS = 32
const DIRECT = 8

const lib = (i: number): string => `example.com/bench/lib${String(i).padStart(2, '0')}`

/** lib00..07 are imported by the app; each pulls three of lib08..31; lib08..19 pull one of lib20..31. */
function depsOf(i: number): Array<[string, string]> {
  if (i < DIRECT) {
    return [0, 1, 2].map((k) => {
      const j = DIRECT + ((i * 3 + k) % (LIBS - DIRECT))
      return [lib(j), 'v1.0.0']
    })
  }
  // lib19 wants lib31 v1.1.0 while lib07 wants v1.0.0: go must walk both .mod files and pick the newer.
  if (i < 20) return [[lib(i + 12), i === 19 ? 'v1.1.0' : 'v1.0.0']]
  return []
}

function libModule(i: number, version: string): FixtureModule {
  const path = lib(i)
  const name = path.slice(path.lastIndexOf('/') + 1)
  const deps = depsOf(i)
  const imports = deps.map(([p]) => `import _ "${p}"\n`).join('')
  const require = deps.length ? `\nrequire (\n${deps.map(([p, v]) => `\t${p} ${v}\n`).join('')})\n` : ''
  return {
    path,
    version,
    gomod: `module ${path}\n\ngo 1.21\n${require}`,
    files: { [`${name}.go`]: `package ${name}\n\n${imports}\nfunc Version() string { return "${path}@${version}" }\n` }
  }
}

/** Every module version the fixture proxies serve (34 versions; the large zip is `largeMb` MiB). */
export function benchModules(largeMb: number): FixtureModule[] {
  const mods: FixtureModule[] = []
  for (let i = 0; i < LIBS; i++) mods.push(libModule(i, 'v1.0.0'))
  mods.push(libModule(LIBS - 1, 'v1.1.0'))
  mods.push(makeLargeModule(LARGE_PATH, 'v1.0.0', largeMb))
  return mods
}

export interface BenchFixture {
  modules: FixtureModule[]
  /** The one healthy proxy every case shares (its zips are built once). */
  healthy: FixtureProxy
  /** A tidy app module (go.mod + go.sum written by go): copy it, never run in it. */
  appTemplate: string
  /** A fresh workspace holding a copy of the tidy app. */
  newWorkspace(): string
  close(): Promise<void>
}

export async function startBenchFixture(largeMb: number): Promise<BenchFixture> {
  const modules = benchModules(largeMb)
  const healthy = await startFixtureProxy({ modules })
  const appTemplate = join(makeTempDir('gtg-bench-app-'), 'app')
  writeModule(appTemplate, {
    path: APP_PATH,
    requires: Object.fromEntries([
      ...Array.from({ length: DIRECT }, (_, i) => [lib(i), 'v1.0.0']),
      [LARGE_PATH, 'v1.0.0']
    ]),
    imports: [...Array.from({ length: DIRECT }, (_, i) => lib(i)), LARGE_PATH]
  })
  // Authoring the go.sum also builds every zip of the healthy proxy once, outside any measurement.
  const author = makeGoEnv(healthy.url)
  try {
    const r = await runGo(['mod', 'tidy'], { cwd: appTemplate, env: author.env, timeoutMs: 120_000 })
    if (r.code !== 0) throw new Error(`bench fixture: go mod tidy failed:\n${r.stderr}`)
  } finally {
    author.cleanup()
  }
  return {
    modules,
    healthy,
    appTemplate,
    newWorkspace() {
      const ws = makeTempDir('gtg-bench-ws-')
      cpSync(appTemplate, ws, { recursive: true })
      return ws
    },
    close: () => healthy.close()
  }
}
