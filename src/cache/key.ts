// Module cache keys and saved paths. Pure: no I/O, so main (restore) and post (save) agree by construction.
import { createHash } from 'node:crypto'
import { join } from 'node:path'

export const CACHE_KEY_PREFIX = 'go-tidy-guard'

export interface KeyFile {
  /** Workspace-relative, '/'-separated (e.g. `tools/go.sum`): absolute paths would tie keys to one checkout path. */
  path: string
  content: Buffer
}

/** Keys may not hold commas (the cache service splits on them); keep them to a tame character set. */
function keyPart(s: string): string {
  return s.replace(/[^A-Za-z0-9._+-]+/g, '_')
}

/**
 * `go-tidy-guard-<RUNNER_OS>-<RUNNER_ARCH>-go<version>-<sha256 of every checked module's go.mod and go.sum>`; the
 * restore key is the same without the hash, so any earlier cache of this toolchain and platform is a partial hit.
 */
export function cacheKeys(o: { os: string; arch: string; goVersion: string; files: KeyFile[] }): {
  key: string
  restoreKeys: string[]
} {
  const h = createHash('sha256')
  const files = [...o.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  for (const f of files) {
    // Name and length before the bytes, so moving text between files changes the hash.
    h.update(`${f.path}\0${f.content.length}\0`)
    h.update(f.content)
  }
  const prefix = `${CACHE_KEY_PREFIX}-${keyPart(o.os)}-${keyPart(o.arch)}-go${keyPart(o.goVersion)}-`
  return { key: prefix + h.digest('hex'), restoreKeys: [prefix] }
}

/**
 * The glob patterns given to @actions/cache. They are part of the cache "version", so they depend only on
 * GOMODCACHE. Everything in the module cache except `cache/vcs` (full VCS clones from direct fetches, large and
 * not needed once the module zip is in cache/download) and `cache/download/sumdb` (checksum-database tiles:
 * they grow without bound, go fetches the few it needs, and go.sum already covers every module tidy checks).
 * Exclusions must name whole top-level entries: tar adds an included directory with all its descendants.
 */
export function cachePaths(gomodcache: string): string[] {
  return [
    join(gomodcache, '*'),
    '!' + join(gomodcache, 'cache'),
    join(gomodcache, 'cache', 'download', '*'),
    '!' + join(gomodcache, 'cache', 'download', 'sumdb')
  ]
}

/** Pull-request events run untrusted changes against the base branch's cache scope: restore only. */
export function isPullRequestEvent(eventName: string | undefined): boolean {
  return eventName === 'pull_request' || eventName === 'pull_request_target'
}
