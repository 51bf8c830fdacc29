// How go starts (src/go/launch.ts): through long-lived shells, a process sees exactly what a direct start gives it
// (argv, physical directory, environment, stdin), its output arrives byte for byte and line by line as written, its
// exit status and death by signal come back, kills reach it and its own children, failures to start are errors as
// they are for a direct start, shells are reused and end with close(), and what a shell cannot pass on exactly is
// started directly. The child is node running a small script: the launcher starts any program, and node reports
// what it was given.
import { afterAll, describe, expect, test } from '@jest/globals'
import { chmodSync, existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { directLauncher, Job, shellLauncher, shellQuote, type Launcher } from '../src/go/launch.js'
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
function lanes(shell?: string): Launcher {
  const l = shellLauncher(shell)
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

  // The script starts a child of its own (as go starts git), then says both pids.
  const PARENT_OF_SLEEPER = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'],
    { stdio: 'ignore' }); process.stderr.write(process.pid + ' ' + c.pid + '\\n'); setTimeout(() => {}, 30000)`
  const gone = async (pids: number[]): Promise<boolean> => {
    const deadline = Date.now() + 5000
    while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    return pids.every((p) => !existsSync(`/proc/${p}`))
  }

  test.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)(
    'a kill (%s) reaches the process and the children it started, as a terminal would send it',
    async (signal) => {
      const launcher = lanes()
      let pids: number[] = []
      const r = await run(
        launcher,
        PARENT_OF_SLEEPER,
        { onStderr: (s) => (pids = s.trim().split(' ').map(Number)) },
        (kill) => {
          const poll = setInterval(() => {
            if (pids.length < 2) return
            clearInterval(poll)
            kill(signal)
          }, 20)
        }
      )
      expect(r.signal).toBe(signal)
      expect(pids).toHaveLength(2)
      expect(await gone(pids)).toBe(true)
      expect((await run(launcher, 'process.stdout.write("next")')).stdout.toString()).toBe('next') // a new shell
    }
  )

  test('a kill sent before the process has started stops it all the same', async () => {
    const started = Date.now()
    const r = await run(lanes(), 'setTimeout(() => {}, 30000)', {}, (kill) => kill('SIGTERM'))
    expect(r.signal).toBe('SIGTERM')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('a shell killed from outside under a process takes it and its children along: reported as killed', async () => {
    let pids: number[] = []
    const started = Date.now()
    const script = PARENT_OF_SLEEPER + '; process.kill(process.ppid, "SIGKILL")'
    const r = await run(lanes(), script, { onStderr: (s) => (pids = s.trim().split(' ').map(Number)) })
    expect([r.code, r.signal]).toEqual([null, 'SIGKILL'])
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await gone(pids)).toBe(true)
  })

  test('what cannot be started fails as a direct start does: with an error, and the lane goes on', async () => {
    const launcher = lanes()
    const noDir = join(makeTempDir('gtg-launch-'), 'absent')
    await expect(run(launcher, 'process.stdout.write("ran")', { cwd: noDir })).rejects.toThrow(
      /cannot enter the directory .*absent/
    )
    await expect(run(directLauncher, 'process.stdout.write("ran")', { cwd: noDir })).rejects.toThrow(/ENOENT/)
    const noBin = {
      ...launcher,
      start: (_: string, argv: string[], o: Parameters<Launcher['start']>[2], h: Parameters<Launcher['start']>[3]) =>
        launcher.start('/nonexistent/go', argv, o, h)
    }
    await expect(run(noBin, '')).rejects.toThrow(/could not run it \(exit 127\)/)
    expect((await run(launcher, 'process.stdout.write("ran")')).stdout.toString()).toBe('ran')
  })

  test('a relative directory is taken from this process, not from the shell the last process left', async () => {
    const launcher = lanes()
    const root = makeTempDir('gtg-launch-')
    mkdirSync(join(root, 'sub', 'sub'), { recursive: true })
    const cwdOf = async (cwd: string): Promise<string> =>
      JSON.parse((await run(launcher, REPORT, { cwd })).stdout.toString()).cwd
    expect(await cwdOf(join(root, 'sub'))).toBe(realpathSync(join(root, 'sub')))
    const rel = join(root, 'sub').slice(process.cwd().length + 1)
    if (join(root, 'sub').startsWith(process.cwd() + '/'))
      expect(await cwdOf(rel)).toBe(realpathSync(join(root, 'sub')))
    expect(await cwdOf('.')).toBe(realpathSync(process.cwd()))
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
})

describe('started directly instead', () => {
  test('an environment variable whose name a shell would drop', async () => {
    const env = { PATH: process.env.PATH ?? '', 'A-B': '1' }
    const r = JSON.parse((await run(lanes(), REPORT, { env })).stdout.toString())
    expect(r.ppid).toBe(process.pid)
    expect(r.env['A-B']).toBe('1')
  })

  test('a variable the shell reads for itself (bash as sh reads SHELLOPTS)', async () => {
    const env = { PATH: process.env.PATH ?? '', SHELLOPTS: 'xtrace' }
    expect(JSON.parse((await run(lanes(), REPORT, { env })).stdout.toString()).ppid).toBe(process.pid)
  })

  test('an argument with a NUL: refused as a direct start refuses it', () => {
    const h = { stdout: () => {}, stderr: () => {}, exit: () => {}, error: () => {} }
    const o = { cwd: makeTempDir('gtg-launch-'), env: { PATH: '/usr/bin:/bin' } }
    expect(() => lanes().start(process.execPath, ['-e', '', 'a\0b'], o, h)).toThrow(/null bytes/)
  })

  test('no shell at the path', async () => {
    expect(shellLauncher('/nonexistent/sh')).toBe(directLauncher)
  })

  test('a shell that cannot be started: this process and every later one', async () => {
    const notExecutable = join(makeTempDir('gtg-launch-'), 'sh')
    writeFileSync(notExecutable, '#!/bin/sh\n')
    chmodSync(notExecutable, 0o644)
    const launcher = lanes(notExecutable)
    for (let i = 0; i < 2; i++) {
      const r = await run(launcher, REPORT)
      expect(JSON.parse(r.stdout.toString()).ppid).toBe(process.pid)
    }
  })
})

describe.each(['/bin/bash', '/bin/busybox'].filter((b) => existsSync(b)))('%s as the shell', (bin) => {
  test('gives the process what a direct start gives it, but for the variables that shell sets', async () => {
    const shell = join(makeTempDir('gtg-launch-'), 'sh') // invoked as sh, as /bin/sh would be
    symlinkSync(bin, shell)
    const env = { PATH: process.env.PATH ?? '', HOME: '/home/x', GOFLAGS: `-mod=mod '$x'` }
    const cwd = makeTempDir('gtg-launch-')
    const direct = JSON.parse((await run(directLauncher, REPORT, { env, cwd })).stdout.toString())
    const shellRun = JSON.parse((await run(lanes(shell), REPORT, { env, cwd })).stdout.toString())
    expect(shellRun.ppid).not.toBe(process.pid)
    const own = { PWD: undefined, SHLVL: undefined, _: undefined }
    expect({ ...shellRun.env, ...own }).toEqual({ ...direct.env, ...own })
    expect(shellRun.cwd).toBe(direct.cwd)
  })
})

test('stream parsing: markers found whatever the chunks, output exact, one end per process', () => {
  // A deterministic stream of random output around the markers, cut at random places (seeded, so reproducible).
  let seed = 42
  const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n
  const nonce = '0123456789abcdef0123456789abcdef'
  const alphabet = ['a', '\n', '0', '1', 'e', 'end', nonce.slice(0, 5), nonce.slice(0, 31), 'é', ' ', 'exit 0']
  for (let round = 0; round < 500; round++) {
    const text = (): string => Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join('')
    const out = text()
    const err = text()
    const outStream = `${out}${nonce}end\n`
    const errStream = `${err}${nonce}exit ${round % 3}\n`
    let stdout = Buffer.alloc(0)
    let stderr = ''
    const ends: Array<[number | null, NodeJS.Signals | null]> = []
    const h = {
      stdout: (b: Buffer) => (stdout = Buffer.concat([stdout, b])),
      stderr: (s: string) => (stderr += s),
      exit: (c: number | null, s: NodeJS.Signals | null) => ends.push([c, s]),
      error: () => ends.push([-1, null])
    }
    const job = new Job(
      nonce,
      { bin: 'go', argv: [], o: { cwd: '/', env: {} }, h },
      () => {},
      () => {}
    )
    const pieces = (s: string): string[] => {
      const cuts: string[] = []
      for (let i = 0; i < s.length;) {
        const n = 1 + rand(8)
        cuts.push(s.slice(i, i + n))
        i += n
      }
      return cuts
    }
    const o = pieces(outStream)
    const e = pieces(errStream)
    while (o.length || e.length) {
      if (o.length && (!e.length || rand(2))) job.out(Buffer.from(o.shift()!, 'utf8'))
      else job.err(e.shift()!)
    }
    expect(stdout.toString('utf8')).toBe(out)
    expect(stderr).toBe(err)
    expect(ends).toEqual([[round % 3, null]])
  }
})

test('shellQuote: a single-quoted word that a shell reads back as the exact text', async () => {
  const words = [`it's`, `''`, '$(id) `id` ${HOME} \\n', 'a\nb', '']
  const { execFileSync } = await import('node:child_process')
  const echoed = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`]).toString()
  expect(echoed.split('\0').slice(0, -1)).toEqual(words)
})
