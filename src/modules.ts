// Finds the modules to check: the `modules` input, else go.work's `use` directories, else go.mod in
// working-directory, else every go.mod below it. go reads go.work; a go.mod's module path comes from gomod.ts.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { GoModule, GoToolchain } from './types.js'
import { runGo } from './go.js'
import { scanGoMod } from './gomod.js'

export class ModulesError extends Error {}

export interface DiscoverOptions {
  go: Pick<GoToolchain, 'bin'>
  env: Record<string, string>
  workspace: string
  workingDirectory: string
  patterns: string[]
}

export async function discoverModules(o: DiscoverOptions): Promise<GoModule[]> {
  const dirs = o.patterns.length > 0 ? await fromPatterns(o) : await autoDirs(o)
  if (dirs.length === 0) {
    throw new ModulesError(
      `no go.mod found in or below working-directory "${rel(o.workspace, o.workingDirectory)}"; set working-directory or modules`
    )
  }
  const unique = [...new Set(dirs.map((d) => path.resolve(d)))].sort()
  return Promise.all(unique.map((dir) => readModule(o, dir)))
}

async function fromPatterns(o: DiscoverOptions): Promise<string[]> {
  const glob = await import('@actions/glob') // only needed for the modules input
  const out: string[] = []
  for (const pattern of o.patterns) {
    const globber = await glob.create(path.join(o.workingDirectory, pattern), {
      matchDirectories: true,
      implicitDescendants: false,
      followSymbolicLinks: false
    })
    const found = (await globber.glob()).filter((d) => fs.existsSync(path.join(d, 'go.mod')))
    if (found.length === 0) {
      throw new ModulesError(
        `modules: "${pattern}" matches no directory with a go.mod; give module directories or globs relative to working-directory`
      )
    }
    out.push(...found)
  }
  return out
}

async function autoDirs(o: DiscoverOptions): Promise<string[]> {
  const wd = o.workingDirectory
  if (fs.existsSync(path.join(wd, 'go.work'))) {
    const r = await runGo(o.go, ['work', 'edit', '-json'], { cwd: wd, env: o.env })
    if (r.exitCode !== 0) throw new ModulesError(`go.work in "${rel(o.workspace, wd)}": ${firstLine(r.stderr)}`)
    const work = JSON.parse(r.stdout) as { Use?: { DiskPath: string }[] }
    return (work.Use ?? []).map((u) => path.resolve(wd, u.DiskPath))
  }
  if (fs.existsSync(path.join(wd, 'go.mod'))) return [wd]
  return walk(wd)
}

const SKIP = new Set(['vendor', 'testdata', 'node_modules'])

function walk(dir: string): string[] {
  const out: string[] = []
  const entries = fs.readdirSync(dir, { withFileTypes: true })
  if (entries.some((e) => e.isFile() && e.name === 'go.mod')) out.push(dir)
  for (const e of entries) {
    if (!e.isDirectory() || SKIP.has(e.name) || e.name.startsWith('.')) continue
    out.push(...walk(path.join(dir, e.name)))
  }
  return out
}

async function readModule(o: DiscoverOptions, dir: string): Promise<GoModule> {
  const file = path.join(dir, 'go.mod')
  const text = await fs.promises.readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new ModulesError(`${rel(o.workspace, dir)}/go.mod: ${e.code === 'ENOENT' ? 'no such file' : e.message}`)
  })
  return { dir, rel: rel(o.workspace, dir), path: scanGoMod(text).modulePath ?? '' }
}

/** Path of `p` relative to the workspace, '/'-separated, '.' for the workspace itself. */
export function rel(workspace: string, p: string): string {
  return path.relative(workspace, p).split(path.sep).join('/') || '.'
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}
