// The life of a credentials file the action writes (the netrc file, the git config with the token). From the moment it
// exists until it is deleted or handed over to later steps, it is deleted however main ends: in main's `finally`,
// which a cancelled job also reaches (index.ts stops go on SIGINT/SIGTERM and lets the step finish), and at exit
// (index.ts's hard exit after a signal, process.exit, an uncaught exception). A file handed over (NETRC exported)
// lives until the post step, which runs `always()` and deletes it.
import * as core from '@actions/core'
import { promises as fsp, rmSync } from 'node:fs'

const guarded = new Set<string>()

/** Deletes `file` when the process ends, unless it is deleted or handed over first. Returns `file`. */
export function guardCredentialFile(file: string): string {
  if (guarded.size === 0) process.on('exit', removeGuardedCredentialFiles)
  guarded.add(file)
  return file
}

/** Later steps read the file (NETRC was exported): it outlives this step; post deletes it. */
export function handOverCredentialFile(file: string | undefined): void {
  if (file && guarded.delete(file) && guarded.size === 0) process.removeListener('exit', removeGuardedCredentialFiles)
}

/** Deletes every file not handed over. Never throws: a file it cannot delete is a warning (post tries again). */
export function removeGuardedCredentialFiles(): void {
  for (const file of guarded) {
    try {
      rmSync(file, { force: true })
    } catch (e) {
      core.warning(`could not delete a credentials file: ${(e as NodeJS.ErrnoException).code ?? 'error'}`)
    }
  }
  guarded.clear()
  process.removeListener('exit', removeGuardedCredentialFiles)
}

/** The names under which main hands the credential files' paths to post (core.saveState), with what each file is. */
export const CREDENTIAL_STATE = {
  'netrc-file': 'netrc file',
  'git-config-file': "token's git config file"
} as const

export type CredentialStateKey = keyof typeof CREDENTIAL_STATE

/** Deletes a credentials file written by the access stage; missing files are fine (post may run twice). */
export async function removeCredentialFile(file: string | undefined): Promise<void> {
  if (!file) return
  await fsp.rm(file, { force: true })
  handOverCredentialFile(file) // nothing left to delete at exit
}
