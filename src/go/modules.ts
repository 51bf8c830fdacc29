// Finds the modules to check: every module below working-directory (go.work's `use` directories and every go.mod,
// skipping what go skips: testdata, vendor, directories named `.*` or `_*`, and those a go.mod's `ignore` directive
// leaves out), narrowed by the `modules` input when given. go reads go.work; module paths come from go/gomod.ts.
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { GoModule, GoToolchain } from '../types.js'
import { runGo } from './exec.js'
import { scanGoMod, type GoModScan } from './gomod.js'
import type { GoModNeeds } from './needs.js'
import { moduleOutsideWorkspace } from '../lib/paths.js'

export class ModulesError extends Error {}

export interface DiscoverOptions {
  go: Pick<GoToolchain, 'bin'>
  env: Record<string, string>
  workspace: string
  workingDirectory: string
  patterns: string[]
  /** This job's part (K of N, 1-based) of the modules selected, for a matrix of jobs. */
  shard?: { index: number; count: number }
}

export interface Discovery {
  /** The modules to check, by directory. */
  modules: GoModule[]
  /** How many modules there are below working-directory (go.work members included), before `modules` narrows them. */
  found: number
  /** Each checked module's go.mod requirements and replaced paths, by directory, as the walk read them. */
  goMods: Map<string, GoModNeeds>
}

/** The go.mod directories below a directory and their scans (see walkModuleTree), or why the walk failed. */
export type ModuleTree = { dirs: string[]; scans: Map<string, GoModScan> } | { error: unknown }

/**
 * Walks working-directory for go.mod files (synchronously; never throws). The pipeline walks while `go env` runs in
 * its own process, so the walk adds no time of its own to a step.
 */
export function walkModuleTree(workingDirectory: string): ModuleTree {
  const scans = new Map<string, GoModScan>()
  try {
    return { dirs: walk(workingDirectory, [], scans), scans }
  } catch (error) {
    return { error }
  }
}

export async function discoverModules(o: DiscoverOptions, tree?: ModuleTree): Promise<Discovery> {
  const walked = tree ?? walkModuleTree(o.workingDirectory)
  if ('error' in walked) throw walked.error
  // go.mod files the walk already read and scanned: each is scanned once.
  const { scans } = walked
  const all = unique(await withWorkspace(o, walked.dirs))
  const dirs = o.patterns.length > 0 ? unique(await fromPatterns(o, new Set(all))) : all
  if (dirs.length === 0) {
    throw new ModulesError(
      `no go.mod found in or below working-directory "${rel(o.workspace, o.workingDirectory)}"; set working-directory or modules`
    )
  }
  for (const dir of dirs) {
    // The walk follows no symlink, so what it found is inside working-directory (itself checked): only the files are.
    const why = moduleOutsideWorkspace(o.workspace, dir, scans.has(dir))
    const input = o.patterns.length > 0 ? 'modules' : 'working-directory'
    if (why) throw new ModulesError(`${input}: the module in "${rel(o.workspace, dir)}" cannot be checked: ${why}`)
  }
  const mine = o.shard ? dirs.filter((d) => inShard(rel(o.workspace, d), o.shard!)) : dirs
  const modules = await Promise.all(mine.map((dir) => readModule(o, dir, scans.get(dir))))
  const goMods = new Map(mine.flatMap((dir) => (scans.has(dir) ? [[dir, scans.get(dir)!] as const] : [])))
  return { modules, found: new Set([...all, ...dirs]).size, goMods }
}

/**
 * Whether a module directory belongs to shard K of N: FNV-1a of its workspace-relative path, so every job of a
 * matrix computes the same split, whatever order or machine, and a module keeps its shard as others come and go.
 */
export function inShard(relDir: string, shard: { index: number; count: number }): boolean {
  let h = 0x811c9dc5
  for (const byte of Buffer.from(relDir, 'utf8')) h = Math.imul(h ^ byte, 0x01000193) >>> 0
  return h % shard.count === shard.index - 1
}

function unique(dirs: string[]): string[] {
  return [...new Set(dirs.map((d) => path.resolve(d)))].sort()
}

/**
 * The module directories the patterns match. A `**` does not reach into what discovery skips (testdata, vendor, `.*`,
 * `_*`, ignore directives: `discovered` is discovery's set) unless the pattern names such a directory itself.
 */
async function fromPatterns(o: DiscoverOptions, discovered: ReadonlySet<string>): Promise<string[]> {
  const glob = await import('@actions/glob') // only needed for the modules input
  const out: string[] = []
  for (const pattern of o.patterns) {
    const globber = await glob.create(path.join(o.workingDirectory, pattern), {
      matchDirectories: true,
      implicitDescendants: false,
      followSymbolicLinks: false
    })
    const found = (await globber.glob())
      .filter((d) => fs.existsSync(path.join(d, 'go.mod')))
      .filter(
        (d) =>
          !pattern.includes('**') ||
          discovered.has(path.resolve(d)) ||
          named(pattern, path.relative(o.workingDirectory, d))
      )
    if (found.length === 0) {
      throw new ModulesError(
        `modules: "${pattern}" matches no directory with a go.mod; give module directories or globs relative to working-directory`
      )
    }
    out.push(...found)
  }
  return out
}

/** The walk's directories plus go.work's `use` directories (go reads go.work). */
async function withWorkspace(o: DiscoverOptions, walked: string[]): Promise<string[]> {
  const wd = o.workingDirectory
  const dirs = [...walked]
  if (fs.existsSync(path.join(wd, 'go.work'))) {
    const r = await runGo(o.go, ['work', 'edit', '-json'], { cwd: wd, env: o.env })
    if (r.exitCode !== 0) throw new ModulesError(`go.work in "${rel(o.workspace, wd)}": ${firstLine(r.stderr)}`)
    const work = JSON.parse(r.stdout) as { Use?: { DiskPath: string }[] }
    dirs.push(...(work.Use ?? []).map((u) => path.resolve(wd, u.DiskPath)))
  }
  return dirs
}

// What go itself never treats as part of a module tree (plus node_modules, which holds no Go modules of the repo).
const SKIP = new Set(['vendor', 'testdata', 'node_modules'])
const skipped = (name: string): boolean => SKIP.has(name) || name.startsWith('.') || name.startsWith('_')

/** On the way to relDir lie directories discovery skips by name, and the pattern names each of them itself. */
function named(pattern: string, relDir: string): boolean {
  const elems = new Set(pattern.split('/'))
  const segs = relDir.split(path.sep)
  return segs.some(skipped) && segs.every((seg) => !skipped(seg) || elems.has(seg))
}

/** A module root and its go.mod's `ignore` directives (go's search.IgnorePatterns). */
interface Ignores {
  root: string
  /** `./x`: `/x/` at the module root, as a prefix of the directory relative to it. */
  relative: string[]
  /** `x`: `/x/` anywhere in it. */
  any: string[]
}

function walk(dir: string, ignores: Ignores[], scans: Map<string, GoModScan>): string[] {
  const out: string[] = []
  const entries = fs.readdirSync(dir, { withFileTypes: true })
  if (entries.some((e) => (e.isFile() || e.isSymbolicLink()) && e.name === 'go.mod')) {
    out.push(dir)
    const scan = scanFile(dir)
    if (scan) scans.set(dir, scan)
    ignores = [...ignores, ignoresOf(dir, scan?.ignores ?? [])]
  }
  for (const e of entries) {
    if (!e.isDirectory() || skipped(e.name)) continue
    const sub = path.join(dir, e.name)
    if (ignores.some((i) => ignored(i, sub))) continue
    out.push(...walk(sub, ignores, scans))
  }
  return out
}

/** The scan of dir/go.mod, or undefined when it cannot be read here (readModule then says why). */
function scanFile(dir: string): GoModScan | undefined {
  try {
    return scanGoMod(fs.readFileSync(path.join(dir, 'go.mod'), 'utf8'))
  } catch {
    return undefined
  }
}

function ignoresOf(root: string, list: string[]): Ignores {
  const slashed = (p: string): string => `/${p.replace(/^\/+|\/+$/g, '')}/`
  return {
    root,
    relative: list.filter((p) => p.startsWith('./')).map((p) => slashed(p.slice(2))),
    any: list.filter((p) => !p.startsWith('./')).map(slashed)
  }
}

function ignored(i: Ignores, dir: string): boolean {
  const r = `/${path.relative(i.root, dir).split(path.sep).join('/')}/`
  return i.relative.some((p) => r.startsWith(p)) || i.any.some((p) => r.includes(p))
}

async function readModule(o: DiscoverOptions, dir: string, scanned: GoModScan | undefined): Promise<GoModule> {
  const scan =
    scanned ??
    scanGoMod(
      await fs.promises.readFile(path.join(dir, 'go.mod'), 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new ModulesError(`${rel(o.workspace, dir)}/go.mod: ${e.code === 'ENOENT' ? 'no such file' : e.message}`)
      })
    )
  return { dir, rel: rel(o.workspace, dir), path: scan.modulePath ?? '' }
}

/** Path of `p` relative to the workspace, '/'-separated, '.' for the workspace itself. */
export function rel(workspace: string, p: string): string {
  return path.relative(workspace, p).split(path.sep).join('/') || '.'
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}
