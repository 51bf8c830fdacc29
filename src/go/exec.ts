// Runs the go command. Output is captured, never streamed: reporting decides what the user sees.
// node's execFile starts go within the call. (@actions/exec first awaits a stat of the binary, and in that turn of
// the event loop preflight's pending work ran first: a warm-cache tidy started about 15 ms late.)
import { execFile } from 'node:child_process'
import type { GoToolchain } from '../types.js'

export interface GoRun {
  exitCode: number
  stdout: string
  stderr: string
}

export function runGo(
  go: Pick<GoToolchain, 'bin'>,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {}
): Promise<GoRun> {
  return new Promise((resolve, reject) => {
    const options = { cwd: opts.cwd, env: opts.env, encoding: 'utf8' as const, maxBuffer: Infinity, windowsHide: true }
    execFile(go.bin, args, options, (err, stdout, stderr) => {
      // A number is go's exit status; a string code (ENOENT, EACCES) means go never started.
      if (err && typeof err.code === 'string') return reject(new Error(`cannot run ${go.bin}: ${err.message}`))
      const exitCode = !err ? 0 : typeof err.code === 'number' ? err.code : 1 // killed by a signal
      resolve({ exitCode, stdout, stderr: err?.signal ? `${stderr}\ngo was killed by ${err.signal}` : stderr })
    })
  })
}
