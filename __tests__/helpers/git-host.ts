// A private git host for go on loopback: HTTPS with a certificate from a test CA, `?go-get=1` answered with a
// go-import meta tag, git smart HTTP served by the real `git http-backend` (CGI) behind Basic auth, over a bare
// repository holding a Go module with tags. It listens on 127.0.0.1; go reaches it by a test host name (such
// as git.corp.test) through the egress proxy of egress-proxy.ts, because go never proxies loopback hosts.
import { execFileSync, spawn } from 'node:child_process'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { makeTempDir } from './gotest-env.js'

export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend'

export interface GitHostOptions {
  /** Server certificate (issueCert(ca, [hostname])). */
  tls: { cert: string; key: string }
  /** Name go uses for the host. Default git.corp.test. */
  hostname?: string
  /** Repository name; the module path is `<hostname>/<repo>`. Default `private`. */
  repo?: string
  /** Require Basic auth for git traffic (go-get=1 stays open, as on GitHub). */
  auth?: { user: string; pass: string }
  /** Module files besides go.mod. Default: one package file. */
  files?: Record<string, string>
  /** Tags on the single commit. Default ['v1.0.0']. */
  tags?: string[]
}

export interface GitHostLogEntry {
  method: string
  path: string
  query: string
  status: number
  /** The (first) Authorization header as received. */
  authorization?: string
  /** How many Authorization headers the request carried (git sends every `http.extraHeader` it collected). */
  authorizations: number
}

export interface GitHost {
  hostname: string
  /** The 127.0.0.1 port (map `hostname` to it in the egress proxy). */
  port: number
  modulePath: string
  /** `https://<hostname>/<repo>.git` as announced in the go-import tag. */
  repoUrl: string
  /** The package name of the module's root package. */
  packageName: string
  log: GitHostLogEntry[]
  close(): Promise<void>
}

/** A hermetic environment for the git CLI (no user or system config). */
function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.com',
    GIT_COMMITTER_NAME: 'Fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.com',
    GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z'
  }
}

/** Creates `<root>/<repo>.git`, a bare repository with one commit of a Go module, tagged. */
function makeBareRepo(root: string, home: string, modulePath: string, repo: string, o: GitHostOptions): string {
  const env = gitEnv(home)
  const work = join(root, '_work')
  const pkg = repo.replace(/[^a-z0-9]/gi, '') || 'private'
  const files: Record<string, string> = {
    'go.mod': `module ${modulePath}\n\ngo 1.21\n`,
    ...(o.files ?? {
      [`${pkg}.go`]: `package ${pkg}\n\n// Name says where this package came from.\nfunc Name() string { return "${modulePath}" }\n`
    })
  }
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(work, name)), { recursive: true })
    writeFileSync(join(work, name), data)
  }
  const git = (args: string[], cwd = work): void => void execFileSync('git', args, { cwd, env, stdio: 'pipe' })
  git(['init', '-q', '-b', 'main'])
  git(['add', '-A'])
  git(['commit', '-q', '-m', 'fixture module'])
  for (const tag of o.tags ?? ['v1.0.0']) git(['tag', tag])
  git(['clone', '-q', '--bare', work, join(root, `${repo}.git`)], root)
  return pkg
}

function goImportPage(modulePath: string, repoUrl: string): string {
  return `<!DOCTYPE html>\n<html><head><meta name="go-import" content="${modulePath} git ${repoUrl}"></head><body></body></html>\n`
}

export async function startGitHost(o: GitHostOptions): Promise<GitHost> {
  const hostname = o.hostname ?? 'git.corp.test'
  const repo = o.repo ?? 'private'
  const modulePath = `${hostname}/${repo}`
  const repoUrl = `https://${hostname}/${repo}.git`
  const dir = makeTempDir('gtg-githost-')
  const root = join(dir, 'repos')
  const home = join(dir, 'home')
  mkdirSync(root, { recursive: true })
  mkdirSync(home, { recursive: true })
  const packageName = makeBareRepo(root, home, modulePath, repo, o)
  const expected = o.auth ? 'basic ' + Buffer.from(`${o.auth.user}:${o.auth.pass}`).toString('base64') : undefined
  const log: GitHostLogEntry[] = []

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const u = new URL(req.url ?? '/', `https://${hostname}`)
    // req.headers keeps only the first Authorization; headersDistinct has every one.
    const authorizations = req.headersDistinct.authorization ?? []
    const e: GitHostLogEntry = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.search,
      status: 0,
      authorizations: authorizations.length
    }
    if (req.headers.authorization) e.authorization = req.headers.authorization
    log.push(e)
    const reply = (status: number, headers: Record<string, string>, body: string | Buffer): void => {
      e.status = status
      res.writeHead(status, headers).end(body)
    }
    // As GitHub answers a request with two (say, actions/checkout's extraheader and another).
    if (authorizations.length > 1)
      return reply(400, { 'Content-Type': 'text/plain' }, 'Duplicate header: "Authorization"\n')
    if (u.searchParams.get('go-get') === '1') {
      if (u.pathname === `/${repo}` || u.pathname.startsWith(`/${repo}/`)) {
        return reply(200, { 'Content-Type': 'text/html; charset=utf-8' }, goImportPage(modulePath, repoUrl))
      }
      return reply(404, { 'Content-Type': 'text/plain' }, 'not found\n')
    }
    // The auth scheme is case-insensitive (git's extraheader sends "basic").
    const given = req.headers.authorization?.replace(/^basic /i, 'basic ')
    if (expected && given !== expected) {
      return reply(
        401,
        { 'WWW-Authenticate': 'Basic realm="git.corp"', 'Content-Type': 'text/plain' },
        'unauthorized\n'
      )
    }
    runBackend(req, res, e, { root, home, user: o.auth?.user ?? '', path: u.pathname, query: u.search.slice(1) })
  }

  const server: Server = createServer({ cert: o.tls.cert, key: o.tls.key }, handle)
  const sockets = new Set<Socket>()
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('tlsClientError', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    hostname,
    port: (server.address() as AddressInfo).port,
    modulePath,
    repoUrl,
    packageName,
    log,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

interface CgiRequest {
  root: string
  home: string
  user: string
  path: string
  query: string
}

/** Runs git http-backend as a CGI script for one request; the reply is small enough to buffer. */
function runBackend(req: IncomingMessage, res: ServerResponse, e: GitHostLogEntry, c: CgiRequest): void {
  const env: Record<string, string> = {
    ...gitEnv(c.home),
    GIT_PROJECT_ROOT: c.root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: c.path,
    QUERY_STRING: c.query,
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_USER: c.user,
    CONTENT_TYPE: req.headers['content-type'] ?? ''
  }
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length']
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding']
  if (req.headers['git-protocol']) env.HTTP_GIT_PROTOCOL = String(req.headers['git-protocol'])
  const child = spawn(GIT_HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  const out: Buffer[] = []
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.resume()
  child.stdin.on('error', () => undefined)
  req.pipe(child.stdin)
  child.on('error', () => {
    e.status = 500
    res.writeHead(500).end('git http-backend failed to start\n')
  })
  child.on('close', () => {
    const all = Buffer.concat(out)
    let split = all.indexOf('\r\n\r\n')
    let sepLen = 4
    if (split < 0) {
      split = all.indexOf('\n\n')
      sepLen = 2
    }
    if (split < 0) {
      e.status = 500
      return void res.writeHead(500).end('git http-backend: no CGI headers\n')
    }
    const headers: Record<string, string> = {}
    let status = 200
    for (const line of all.subarray(0, split).toString('latin1').split(/\r?\n/)) {
      const m = /^([^:]+):\s*(.*)$/.exec(line)
      if (!m) continue
      if (m[1].toLowerCase() === 'status') status = parseInt(m[2], 10) || 200
      else headers[m[1]] = m[2]
    }
    const body = all.subarray(split + sepLen)
    e.status = status
    res.writeHead(status, { ...headers, 'Content-Length': String(body.length) }).end(body)
  })
}
