// How go starts (src/go/launch.ts): through long-lived shells, a process sees exactly what a direct start gives it
// (argv, physical directory, environment, stdin), its output arrives byte for byte and line by line as written, its
// exit status and death by signal come back, kills reach it (SIGINT too), shells are reused and end with close(),
// and what a shell cannot pass on exactly is started directly. The child is node running a small script: the
// launcher starts any program, and node reports what it was given.
import { afterAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { directLauncher, shellLauncher, shellQuote, type Launcher } from '../src/go/launch.js'
import { makeTempDir } from './helpers/gotest-env.js'

interface Run {
  stdout: Buffer
  stderr: string
  chunks: string[]
  code: number | null
  signal: NodeJS.Signals | null
}

const shells: Launcher[] = []
afterAll(() => shells.forEach((l) => l.close()))
function lanes(): Launcher {
  const l = shellLauncher()
  shells.push(l)
  return l
}

/** Runs `script` under node through `launcher`, with `env`, in `cwd`; `onStart` gets the handle for kills. */
function run(
  launcher: Launcher,
  script: string,
  o: { cwd?: string; env?: Record<string, string>; args?: string[]; onStderr?: (s: string) => void } = {},
  onStart?: (kill: (s: NodeJS.Signals) => void) => void
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = []
    const chunks: string[] = []
    const h = launcher.start(
      process.execPath,
      ['-e', script, ...(o.args ?? [])],
      { cwd: o.cwd ?? makeTempDir('gtg-launch-'), env: o.env ?? { PATH: process.env.PATH ?? '' } },
      {
        stdout: (b) => out.push(b),
        stderr: (s) => {
          chunks.push(s)
          o.onStderr?.(s)
        },
        error: reject,
        exit: (code, signal) => resolve({ stdout: Buffer.concat(out), stderr: chunks.join(''), chunks, code, signal })
      }
    )
    onStart?.((s) => h.kill(s))
  })
}

const REPORT = `process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), cwd: process.cwd(), env: process.env,
  ppid: process.ppid, stdin: require('node:fs').fstatSync(0).isCharacterDevice() }))`

describe('a process started through a shell', () => {
  test('gets the argv, physical directory, environment and stdin a direct start gives it', async () => {
    // A directory whose name a shell would read as code if it were not quoted exactly, reached through a symlink.
    const root = makeTempDir('gtg-launch-')
    const dir = join(root, `a'b "c" $(touch pwned) \`touch pwned2\` ; x\ny ~ *`)
    mkdirSync(dir)
    const link = join(root, 'link')
    symlinkSync(dir, link)
    const env = { PATH: process.env.PATH ?? '', GOFLAGS: `-mod=mod '$HOME' "x"`, EMPTY: '', OLDPWD: '/old path' }
    const args = ['plain', `it's`, '$(id)', '', 'two\nlines', '*']
    const direct = JSON.parse((await run(directLauncher, REPORT, { cwd: link, env, args })).stdout.toString())
    const shell = JSON.parse((await run(lanes(), REPORT, { cwd: link, env, args })).stdout.toString())
    expect(shell.argv).toEqual(direct.argv)
    expect(shell.argv).toEqual(args)
    expect(shell.cwd).toBe(realpathSync(dir))
    expect(shell.cwd).toBe(direct.cwd)
    // PWD names the directory, as a shell's children see it; everything else is as given.
    expect({ ...shell.env, PWD: undefined }).toEqual({ ...direct.env, PWD: undefined })
    expect(shell.env.PWD).toBe(realpathSync(dir))
    expect(shell.stdin).toBe(true) // /dev/null, never the shell's own commands
    expect(shell.ppid).not.toBe(process.pid)
    expect(readdirSync(root).sort()).toEqual([dir.slice(root.length + 1), 'link'].sort())
  })

  test('an unset OLDPWD stays unset', async () => {
    const r = await run(lanes(), 'process.stdout.write(String(process.env.OLDPWD))', { env: { PATH: '/usr/bin:/bin' } })
    expect(r.stdout.toString()).toBe('undefined')
  })

  test('output arrives byte for byte: binary, large, without a final newline, with text like the markers', async () => {
    const script = `const all = Buffer.alloc(256 * 8192); for (let i = 0; i < all.length; i++) all[i] = i % 256
      process.stdout.write(all); process.stdout.write('0123456789abcdef0123456789abcdefend\\nno newline')
      process.stderr.write('0123456789abcdef0123456789abcdefexit 0\\n' + 'ab'.repeat(40000) + '\\nlast, no newline')`
    const r = await run(lanes(), script)
    const all = Buffer.alloc(256 * 8192)
    for (let i = 0; i < all.length; i++) all[i] = i % 256
    expect(r.stdout.equals(Buffer.concat([all, Buffer.from('0123456789abcdef0123456789abcdefend\nno newline')]))).toBe(
      true
    )
    expect(r.stderr).toBe('0123456789abcdef0123456789abcdefexit 0\n' + 'ab'.repeat(40000) + '\nlast, no newline')
    expect(r.code).toBe(0)
  })

  test('stderr lines reach the watchdog as they are written, before the process ends', async () => {
    let seen = ''
    const r = await run(
      lanes(),
      `process.stderr.write('# get http://127.0.0.1:1/example.com/@v/v1.0.0.mod\\n'); setTimeout(() => {}, 1500)`,
      { onStderr: (s) => (seen += s) },
      (kill) => {
        const poll = setInterval(() => {
          if (!seen.endsWith('.mod\n')) return
          clearInterval(poll)
          kill('SIGTERM')
        }, 20)
      }
    )
    expect(r.signal).toBe('SIGTERM') // killed once the line was there, not after the 1.5 s sleep
  })

  test('exit statuses and deaths by signal come back as a direct start reports them', async () => {
    for (const launcher of [directLauncher, lanes()]) {
      expect((await run(launcher, 'process.exit(3)')).code).toBe(3)
      const killed = await run(launcher, `process.kill(process.pid, 'SIGKILL')`)
      expect([killed.code, killed.signal]).toEqual([null, 'SIGKILL'])
    }
  })

  test.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    'a kill reaches it (%s), also when sent before the shell has said its pid',
    async (signal) => {
      const launcher = lanes()
      const started = Date.now()
      let pid = 0
      const r = await run(
        launcher,
        `process.stderr.write(process.pid + '\\n'); setTimeout(() => {}, 30000)`,
        {
          onStderr: (s) => (pid ||= Number(s.split('\n')[0]))
        },
        (kill) => kill(signal)
      )
      expect(Date.now() - started).toBeLessThan(10_000)
      // SIGINT is ignored by a shell's background job: it is sent as SIGTERM.
      expect(r.signal).toBe(signal === 'SIGINT' ? 'SIGTERM' : signal)
      expect(pid === 0 || !existsSync(`/proc/${pid}`)).toBe(true)
      const late = await run(launcher, 'process.stdout.write("next")')
      expect(late.stdout.toString()).toBe('next') // the lane goes on
    }
  )

  test('a directory that cannot be entered fails that run with the reason, and the lane goes on', async () => {
    const launcher = lanes()
    const r = await run(launcher, 'process.stdout.write("ran")', { cwd: join(makeTempDir('gtg-launch-'), 'absent') })
    expect(r.code).not.toBe(0)
    expect(r.stdout.toString()).toBe('')
    expect(r.stderr).toMatch(/absent/)
    expect((await run(launcher, 'process.stdout.write("ran")')).stdout.toString()).toBe('ran')
  })

  test('a shell runs one process at a time and is reused; close() ends the shells', async () => {
    const launcher = lanes()
    const ppid = async (): Promise<number> => JSON.parse((await run(launcher, REPORT)).stdout.toString()).ppid
    const first = await ppid()
    expect(await ppid()).toBe(first)
    const both = await Promise.all([ppid(), ppid()])
    expect(new Set(both).size).toBe(2)
    expect(both).toContain(first)
    launcher.close()
    const deadline = Date.now() + 5000
    while (both.some((p) => existsSync(`/proc/${p}`)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    expect(both.filter((p) => existsSync(`/proc/${p}`))).toEqual([])
    expect(await ppid()).toBe(process.pid) // after close: started directly
  })

  test('the shell dying under a process ends that run as killed', async () => {
    const r = await run(lanes(), `process.kill(process.ppid, 'SIGKILL'); setTimeout(() => {}, 2000)`)
    expect([r.code, r.signal]).toEqual([null, 'SIGKILL'])
  })
})

describe('started directly instead', () => {
  test('an environment variable whose name a shell would drop', async () => {
    const env = { PATH: process.env.PATH ?? '', 'A-B': '1' }
    const r = JSON.parse((await run(lanes(), REPORT, { env })).stdout.toString())
    expect(r.ppid).toBe(process.pid)
    expect(r.env['A-B']).toBe('1')
  })

  test('no shell at the path', async () => {
    expect(shellLauncher('/nonexistent/sh')).toBe(directLauncher)
  })
})

test('shellQuote: a single-quoted word that a shell reads back as the exact text', async () => {
  const words = [`it's`, `''`, '$(id) `id` ${HOME} \\n', 'a\nb', '']
  const r = await run(directLauncher, REPORT, { args: [] })
  expect(r.code).toBe(0)
  const { execFileSync } = await import('node:child_process')
  const echoed = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`]).toString()
  expect(echoed.split('\0').slice(0, -1)).toEqual(words)
})
