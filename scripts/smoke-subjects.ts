// `npm run smoke`: the real modules it checks (pinned to versions the real proxy serves) and the small app modules
// it generates for each: a tidy one written by the real go, and a drifted copy. No real module's code is stored here.
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeModule } from '../__tests__/helpers/gotest-env.js'
import { goOrThrow, type Verdict } from './smoke-world.js'

export interface Subject {
  /** Short name, also the app directories' prefix. */
  slug: string
  module: string
  version: string
  /** The package main.go imports. */
  pkg: string
  /** The path/version shape this subject covers. */
  shape: string
  /** How the drifted app differs from the tidy one. */
  drift: 'go.sum line removed' | 'unused require added'
}

// Pinned to versions checked with `go list -m -versions` / `go mod download -json` against the real proxy; each
// module zip is under 0.4 MB, all of them with their dependencies a few MB per module cache.
export const SUBJECTS: Subject[] = [
  s('toml', 'github.com/BurntSushi/toml', 'v1.4.0', '', 'upper-case path', 'go.sum line removed'),
  s('sqlmock', 'github.com/DATA-DOG/go-sqlmock', 'v1.5.2', '', 'upper-case path, hyphens', 'unused require added'),
  s('semver', 'github.com/Masterminds/semver/v3', 'v3.3.1', '', 'upper-case path, /vN', 'go.sum line removed'),
  s('ewma', 'github.com/VividCortex/ewma', 'v1.2.0', '', 'upper-case path', 'unused require added'),
  s('yaml', 'gopkg.in/yaml.v3', 'v3.0.1', '', 'gopkg.in path', 'go.sum line removed'),
  s('jwt', 'github.com/golang-jwt/jwt', 'v3.2.2+incompatible', '', '+incompatible', 'unused require added'),
  s(
    'xsync',
    'golang.org/x/sync',
    'v0.0.0-20220722155255-886fb9371eb4',
    'golang.org/x/sync/errgroup',
    'pseudo-version',
    'go.sum line removed'
  ),
  s('cobra', 'github.com/spf13/cobra', 'v1.8.1', '', 'popular, transitive deps', 'unused require added'),
  s('uuid', 'github.com/google/uuid', 'v1.6.0', '', 'popular', 'go.sum line removed'),
  s('xxhash', 'github.com/cespare/xxhash/v2', 'v2.3.0', '', 'popular, /vN', 'unused require added')
]

function s(
  slug: string,
  module: string,
  version: string,
  pkg: string,
  shape: string,
  drift: Subject['drift']
): Subject {
  return { slug, module, version, pkg: pkg || module, shape, drift }
}

export interface App {
  subject: Subject
  variant: 'tidy' | 'drifted'
  /** Directory relative to the workspace, '/'-separated: what the action's outputs name. */
  rel: string
  /** What bare go must say about it, or the generated app does not test what it claims to. */
  expected: Verdict
}

/**
 * Writes `apps/<slug>-tidy` and `apps/<slug>-drifted` for each subject under `root`, letting the real go write go.mod
 * and go.sum (`go mod tidy` with the real GOPROXY/GOSUMDB in `env`), and returns them in table order.
 */
export async function generateApps(root: string, subjects: Subject[], env: Record<string, string>): Promise<App[]> {
  const apps: App[] = []
  for (const subject of subjects) {
    const tidy = `apps/${subject.slug}-tidy`
    const drifted = `apps/${subject.slug}-drifted`
    await writeTidyApp(join(root, tidy), subject, env)
    cpSync(join(root, tidy), join(root, drifted), { recursive: true })
    await makeDrift(join(root, drifted), subject, env)
    apps.push(
      { subject, variant: 'tidy', rel: tidy, expected: 'tidy' },
      { subject, variant: 'drifted', rel: drifted, expected: 'drift' }
    )
  }
  return apps
}

async function writeTidyApp(dir: string, subject: Subject, env: Record<string, string>): Promise<void> {
  writeModule(dir, {
    path: `example.com/smoke/${subject.slug}`,
    goVersion: '1.21',
    requires: { [subject.module]: subject.version },
    imports: [subject.pkg]
  })
  await goOrThrow(['mod', 'tidy'], dir, env)
  const gomod = readFileSync(join(dir, 'go.mod'), 'utf8')
  if (!gomod.includes(`${subject.module} ${subject.version}`)) {
    throw new Error(`${subject.module}: go mod tidy did not keep the pinned ${subject.version}:\n${gomod}`)
  }
}

/** The drift a developer typically leaves behind; go mod edit only rewrites go.mod (no network). */
async function makeDrift(dir: string, subject: Subject, env: Record<string, string>): Promise<void> {
  if (subject.drift === 'go.sum line removed') {
    const sumFile = join(dir, 'go.sum')
    const lines = readFileSync(sumFile, 'utf8').split('\n')
    const zipLine = `${subject.module} ${subject.version} h1:`
    const kept = lines.filter((l) => !l.startsWith(zipLine))
    if (kept.length === lines.length) throw new Error(`${subject.module}: go.sum has no line starting ${zipLine}`)
    writeFileSync(sumFile, kept.join('\n'))
    return
  }
  const other = SUBJECTS.find((o) => o.slug === (subject.slug === 'uuid' ? 'ewma' : 'uuid'))!
  await goOrThrow(['mod', 'edit', `-require=${other.module}@${other.version}`], dir, env)
}
