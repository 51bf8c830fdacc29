// The one way text from outside (go's and git's output, a proxy's answer, anything from the repository) reaches
// the step log. The runner reads every log line, strips leading whitespace and executes a line starting with `::`
// as a workflow command (`::add-mask::`, `::error::`, `::save-state::`, ...); old `##[cmd]` commands anywhere in a
// line too. Inside a `::stop-commands::<token>` block the runner executes nothing until it sees `::<token>::`, so
// the block's token must be one the text cannot know: fresh and random for every block.
// Annotations, debug lines and group titles need no block: @actions/core writes them as one command whose message
// and properties it escapes (`%`, CR, LF; and `:` `,` in properties). log-safe.test.ts proves it with the runner's parser.
import * as core from '@actions/core'
import { randomBytes } from 'node:crypto'
import { redact } from './redact.js'

/** Prints `text` (redacted) so that no byte of it can act as a workflow command. */
export function logUntrusted(text: string): void {
  const safe = redact(text)
  let token = newToken()
  while (safe.toLowerCase().includes(token)) token = newToken() // the runner compares case-insensitively
  core.info(`::stop-commands::${token}`)
  core.info(safe)
  core.info(`::${token}::`)
}

/** 128 random bits as 32 letters a-p: a command name every parser accepts (some take letters and `-` only). */
function newToken(): string {
  return [...randomBytes(16)].map((b) => String.fromCharCode(97 + (b >> 4), 97 + (b & 15))).join('')
}
