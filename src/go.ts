// Runs the go command. Output is captured, never streamed: reporting decides what the user sees.
import * as exec from '@actions/exec'
import type { GoToolchain } from './types.js'

export interface GoRun {
  exitCode: number
  stdout: string
  stderr: string
}

export async function runGo(
  go: Pick<GoToolchain, 'bin'>,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {}
): Promise<GoRun> {
  const r = await exec.getExecOutput(go.bin, args, {
    cwd: opts.cwd,
    env: opts.env,
    silent: true,
    ignoreReturnCode: true
  })
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }
}
