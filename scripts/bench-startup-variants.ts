// The bundles `npm run bench:startup` compares: the action as committed (every start-up tweak in), and one bundle
// per tweak with that tweak taken out. Each is built in its own copy of the repository under a scratch folder,
// from `git archive` of a commit, patched there; this repository's rollup.config.js and src/ are never touched.
// A patch that no longer finds its text throws, naming the tweak: the bench must not measure a tweak it missed.
import { execFileSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'

export interface Variant {
  /** The tweak taken out, as the table's first column names it ('' for the bundle with every tweak). */
  removed: string
  /** Directory holding action.yml and the variant's dist/. */
  dir: string
}

interface Tweak {
  removed: string
  /** Rewrites the copy so that the bundle is built without the tweak. */
  patch(root: string): void
}

/** Replaces `from` (text or pattern) in `file`, which must hold it exactly once. */
function replaceOnce(file: string, from: string | RegExp, to: string, tweak: string): void {
  const text = readFileSync(file, 'utf8')
  const count =
    typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from, 'g')) ?? []).length
  if (count !== 1)
    throw new Error(`bench:startup: "${tweak}": expected ${from} once in ${file}, found it ${count} times`)
  writeFileSync(file, text.replace(from, to))
}

/** The one file under src/ that holds `needle` (src/ may be reorganised; the tweak is found by its text). */
function sourceHolding(root: string, needle: string): string {
  const found: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (name.endsWith('.ts') && readFileSync(p, 'utf8').includes(needle)) found.push(p)
    }
  }
  walk(join(root, 'src'))
  if (found.length !== 1)
    throw new Error(`bench:startup: expected one file under src/ with ${needle}, found ${found.length}`)
  return found[0]
}

const LIFTOFF = "setFlagsFromString('--liftoff-only')"

export const TWEAKS: Tweak[] = [
  {
    removed: 'undici subset (undici-subset.cjs)',
    patch: (root) => replaceOnce(join(root, 'rollup.config.js'), /\n\s*undiciSubset\(\),/, '', 'undici subset')
  },
  {
    removed: 'node:http through require()',
    patch: (root) => replaceOnce(join(root, 'rollup.config.js'), /\n\s*httpViaRequire\(\),/, '', 'http via require')
  },
  {
    removed: 'V8 flag --liftoff-only',
    patch: (root) => replaceOnce(sourceHolding(root, LIFTOFF), LIFTOFF, 'void setFlagsFromString', 'V8 flag')
  }
]

/** `git archive` of `ref` from `repo`, extracted into `dir`, with the repository's node_modules linked in. */
function extract(repo: string, ref: string, dir: string): void {
  mkdirSync(dir, { recursive: true })
  const tar = execFileSync('git', ['-C', repo, 'archive', '--format=tar', ref], { maxBuffer: 1 << 30 })
  execFileSync('tar', ['-x', '-C', dir], { input: tar })
  rmSync(join(dir, 'dist'), { recursive: true, force: true }) // the committed bundle: every variant builds its own
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir')
}

function bundle(dir: string, removed: string): void {
  const rollup = join(dir, 'node_modules', 'rollup', 'dist', 'bin', 'rollup')
  try {
    execFileSync(process.execPath, [rollup, '--config', 'rollup.config.js', '--silent'], { cwd: dir, stdio: 'pipe' })
  } catch (e) {
    const err = e as { stderr?: Buffer }
    throw new Error(`bench:startup: bundling "${removed || 'all tweaks'}" failed:\n${err.stderr?.toString() ?? e}`)
  }
  if (!existsSync(join(dir, 'dist', 'index.js'))) throw new Error(`bench:startup: no dist/index.js in ${dir}`)
}

/** Builds the bundle with every tweak and one per tweak removed, each in its own folder under `scratch`. */
export function buildVariants(repo: string, ref: string, scratch: string, progress: (t: string) => void): Variant[] {
  const base = join(scratch, 'all')
  extract(repo, ref, base)
  const variants: Variant[] = [{ removed: '', dir: base }]
  for (const [i, tweak] of TWEAKS.entries()) {
    const dir = join(scratch, `without-${i + 1}`)
    cpSync(base, dir, { recursive: true, verbatimSymlinks: true })
    tweak.patch(dir)
    variants.push({ removed: tweak.removed, dir })
  }
  for (const v of variants) {
    progress(`bundling ${v.removed ? `without ${v.removed}` : 'with all tweaks'}…`)
    bundle(v.dir, v.removed)
  }
  return variants
}
