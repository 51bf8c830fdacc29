// Escaping for the job summary (GitHub-flavoured Markdown with some HTML). Module paths, directory names, go's and
// a proxy's messages come from a pull request or a server: each value from outside goes through `md` (Markdown
// text, table cells) or `html` (inside an HTML element such as <summary>, where Markdown is not parsed), or is
// shown as code with `code` / `codeBlock`. Every one redacts first: escaping changes how a secret is spelled.
import { redact } from './redact.js'

// Characters that could start HTML, an entity, a link or image, emphasis, math, a code span or a table cell, or undo
// an escape: written as numeric character references, which render as the character itself and start nothing.
const SPECIAL = /[&<>`|\\*_[\]~$]/g
const entity = (c: string): string => `&#${c.charCodeAt(0)};`
const oneLine = (s: string): string => s.replace(/\r\n?|\n/g, ' ')

/** Text from outside inside an HTML element (<summary>, <b>): every special character escaped, on one line. */
export function html(s: string): string {
  return oneLine(redact(s)).replace(SPECIAL, entity)
}

/**
 * Text from outside on a Markdown line or in a table cell, on one line. Code spans in it (our hints write input
 * names as `name`) stay code spans, whose content Markdown shows literally; everything else is escaped, so no
 * backslash or backtick is left outside them to change where a span starts. Pipes inside a span are escaped by
 * the table that holds it.
 */
export function md(s: string): string {
  const text = oneLine(redact(s))
  let out = ''
  let i = 0
  while (i < text.length) {
    const tick = text.indexOf('`', i)
    if (tick < 0) break
    const run = backtickRun(text, tick)
    const close = closingRun(text, tick + run, run)
    out += text.slice(i, tick).replace(SPECIAL, entity)
    if (close < 0) {
      out += entity('`').repeat(run) // no closing run: Markdown shows these backticks as they are
      i = tick + run
    } else {
      out += text.slice(tick, close + run)
      i = close + run
    }
  }
  return out + text.slice(i).replace(SPECIAL, entity)
}

/** `s` as an inline code span, whatever backticks it holds. */
export function code(s: string): string {
  const fence = '`'.repeat(longestBacktickRun(s) + 1)
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : ''
  return md(fence + pad + s + pad + fence)
}

/** `s` as a fenced code block (redacted), with a fence longer than any backtick run in it, so it cannot close early. */
export function codeBlock(s: string, info = ''): string[] {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(s) + 1))
  return [fence + info, redact(s), fence]
}

function backtickRun(s: string, at: number): number {
  let n = 0
  while (s.charCodeAt(at + n) === 96) n++
  return n
}

/** Where the next run of exactly `n` backticks from `from` starts (CommonMark's code span rule), or -1. */
function closingRun(s: string, from: number, n: number): number {
  for (let i = s.indexOf('`', from); i >= 0;) {
    const run = backtickRun(s, i)
    if (run === n) return i
    i = s.indexOf('`', i + run)
  }
  return -1
}

function longestBacktickRun(s: string): number {
  let longest = 0
  for (let i = s.indexOf('`'); i >= 0;) {
    const run = backtickRun(s, i)
    longest = Math.max(longest, run)
    i = s.indexOf('`', i + run)
  }
  return longest
}
