// Fixture modules with the shapes real-world modules have, generated here (no real module's code): upper-case
// path elements and versions, a gopkg.in-like `.v3` path, a `/vN` major suffix, a `+incompatible` version of a
// module without a go.mod, both kinds of pseudo-version, a module that is only a go.mod, and a retracted version.
import { escapeModulePath, type FixtureModule } from './modzip.js'

const pkg = (name: string, path: string): Record<string, string> => ({
  [`${name}.go`]: `// Package ${name} is a fixture module.\npackage ${name}\n\n// Name identifies the fixture.\nconst Name = "${path}"\n`
})

/** Upper case in the path (`example.com/!big!corp/!lib`) and, in its prerelease, in a version (`v1.1.0-!r!c.1`). */
export const bigCorp: FixtureModule = {
  path: 'example.com/BigCorp/Lib',
  version: 'v1.0.0',
  files: pkg('lib', 'example.com/BigCorp/Lib')
}
export const bigCorpRc: FixtureModule = { ...bigCorp, version: 'v1.1.0-RC.1', time: '2024-03-01T00:00:00Z' }

/** A gopkg.in-like path: the major version after a dot in the last element (v0/v1 outside gopkg.in). */
export const yamlV3: FixtureModule = {
  path: 'example.com/yaml.v3',
  version: 'v1.0.0',
  files: pkg('yaml', 'example.com/yaml.v3')
}

/** A `/vN` major-version suffix under an upper-case element. */
export const toolsV2: FixtureModule = {
  path: 'example.com/Tools/v2',
  version: 'v2.1.0',
  gomod: 'module example.com/Tools/v2\n\ngo 1.21\n\nrequire example.com/gomodonly v1.0.0\n',
  files: pkg('tools', 'example.com/Tools/v2')
}

/** Major 2 of a module that never had a go.mod: `+incompatible`, and the proxy synthesizes its `.mod`. */
export const legacy: FixtureModule = {
  path: 'example.com/Legacy',
  version: 'v2.0.0+incompatible',
  legacy: true,
  files: pkg('legacy', 'example.com/Legacy')
}

/** Untagged commits: `v0.0.0-<time>-<rev>`, and `vX.Y.(Z+1)-0.<time>-<rev>` after the tag vX.Y.Z. */
export const pseudo: FixtureModule = {
  path: 'example.com/pseudo',
  version: 'v0.0.0-20240101000000-abcdef123456',
  files: pkg('pseudo', 'example.com/pseudo')
}
export const taggedBase: FixtureModule = {
  path: 'example.com/Tagged',
  version: 'v1.2.3',
  files: pkg('tagged', 'example.com/Tagged')
}
export const taggedPseudo: FixtureModule = {
  ...taggedBase,
  version: 'v1.2.4-0.20240102030405-0123456789ab',
  time: '2024-01-02T03:04:05Z'
}

/** Nothing but a go.mod (no package): only its go.mod hash ends up in go.sum of a module that needs it. */
export const goModOnly: FixtureModule = { path: 'example.com/gomodonly', version: 'v1.0.0', files: {} }

/** v1.0.1 is retracted by the latest version's go.mod; requiring it must still work. */
export const retracted: FixtureModule = {
  path: 'example.com/retract',
  version: 'v1.0.1',
  files: pkg('retract', 'example.com/retract')
}
export const RETRACT_RATIONALE = 'published by mistake'
const retractOthers: FixtureModule[] = [
  { ...retracted, version: 'v1.0.0', time: '2023-12-01T00:00:00Z' },
  {
    ...retracted,
    version: 'v1.1.0',
    time: '2024-02-01T00:00:00Z',
    gomod: `module example.com/retract\n\ngo 1.21\n\nretract v1.0.1 // ${RETRACT_RATIONALE}\n`
  }
]

/** One version of each shape: what a module under test requires. */
export const SHAPES: FixtureModule[] = [
  bigCorp,
  bigCorpRc,
  yamlV3,
  toolsV2,
  legacy,
  pseudo,
  taggedPseudo,
  goModOnly,
  retracted
]

/** Every fixture version (SHAPES and the versions around them) for the fixture proxy. */
export const REAL_SHAPES: FixtureModule[] = [...SHAPES, taggedBase, ...retractOthers]

/** Import paths of the SHAPES that have a package (all but the go.mod-only module). */
export const SHAPE_IMPORTS: string[] = [...new Set(SHAPES.filter((m) => m !== goModOnly).map((m) => m.path))]

/** `go mod download` arguments for these modules. */
export const downloadArgs = (mods: FixtureModule[]): string[] => mods.map((m) => `${m.path}@${m.version}`)

/**
 * The files go keeps under GOMODCACHE/cache/download for downloaded versions, in go's escaped layout:
 * `<escaped path>/@v/<escaped version>.info|.mod|.zip`, and each module's `@v/list`.
 */
export function cacheLayout(mods: FixtureModule[]): string[] {
  const files = new Set<string>()
  for (const m of mods) {
    const dir = `${escapeModulePath(m.path)}/@v/`
    for (const ext of ['info', 'mod', 'zip']) files.add(`${dir}${escapeModulePath(m.version)}.${ext}`)
    files.add(`${dir}list`)
  }
  return [...files].sort()
}
