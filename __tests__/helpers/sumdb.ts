// A real, signed checksum database on loopback (sumdb-server/main.go), for tests that let go verify modules against
// a checksum database through the relay. It is built from the toolchain's own copy of golang.org/x/mod
// (GOROOT/src/cmd/vendor, which every Go distribution ships), offline: GOPROXY=off and a directory replace.
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { makeGoEnv, makeTempDir, runGo } from './gotest-env.js'

export interface Sumdb {
  /** The database's name, as in GOSUMDB. */
  name: string
  /** The verifier key: GOSUMDB=<key> makes go trust this database (name+hash+key). */
  key: string
  /** Base URL of a proxy-style server: it answers /sumdb/<name>/supported, lookup, latest and tiles. */
  url: string
  /** Requests received so far, as "GET /sumdb/<name>/lookup/...". */
  requests: string[]
  close(): Promise<void>
}

const SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'sumdb-server', 'main.go')
let built: Promise<string> | undefined

/** Builds the server once per test process; resolves to the binary's path. */
function buildServer(): Promise<string> {
  built ??= (async () => {
    const env = makeGoEnv('off')
    const { GOROOT: goroot, GOVERSION: version } = JSON.parse(
      (await runGo(['env', '-json', 'GOROOT', 'GOVERSION'], { cwd: env.dir, env: env.env })).stdout
    ) as Record<'GOROOT' | 'GOVERSION', string>
    const goLine = /^go(\d+\.\d+)/.exec(version)?.[1] ?? '1.22'
    const dir = makeTempDir('gtg-sumdb-build-')
    cpSync(join(goroot, 'src', 'cmd', 'vendor', 'golang.org', 'x', 'mod'), join(dir, 'xmod'), { recursive: true })
    writeFileSync(join(dir, 'xmod', 'go.mod'), `module golang.org/x/mod\n\ngo ${goLine}\n`)
    mkdirSync(join(dir, 'server'))
    cpSync(SOURCE, join(dir, 'server', 'main.go'))
    writeFileSync(
      join(dir, 'server', 'go.mod'),
      `module example.com/sumdbserver\n\ngo ${goLine}\n\nrequire golang.org/x/mod v0.0.0\n\nreplace golang.org/x/mod => ../xmod\n`
    )
    const bin = join(dir, 'sumdb-server')
    const r = await runGo(['build', '-o', bin, '.'], { cwd: join(dir, 'server'), env: env.env, timeoutMs: 120_000 })
    if (r.code !== 0) throw new Error(`building the test checksum database failed:\n${r.stderr}`)
    return bin
  })()
  return built
}

/**
 * Starts a checksum database named `name` that vouches for `goSumLines` (go.sum lines: path version hash).
 * `corrupt`: every signed tree it sends has a signature that no longer verifies.
 */
export async function startSumdb(name: string, goSumLines: string[], opts: { corrupt?: boolean } = {}): Promise<Sumdb> {
  const bin = await buildServer()
  const dir = makeTempDir('gtg-sumdb-')
  const file = join(dir, 'go.sum')
  writeFileSync(file, goSumLines.join('\n') + '\n')
  const child = spawn(bin, [name, file, ...(opts.corrupt ? ['corrupt'] : [])], { stdio: ['pipe', 'pipe', 'inherit'] })
  const requests: string[] = []
  const lines = createInterface({ input: child.stdout })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`sumdb-server exited (${code}) before it was ready`)))
  })
  lines.on('line', (l) => requests.push(l))
  const { url, key } = JSON.parse(first) as { url: string; key: string }
  return {
    name,
    key,
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.stdin.end()
      })
  }
}
