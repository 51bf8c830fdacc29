// The command line's terminal: colour (picocolors) and a progress spinner (nanospinner) only on an interactive
// terminal. When stdout is not a TTY, or NO_COLOR is set, or TERM is dumb, nothing but plain text is written:
// no colour, no cursor movement, and text from outside (go's output, module paths) loses its control characters.
import pc from 'picocolors'
import { createSpinner } from 'nanospinner'

export type Colors = ReturnType<typeof pc.createColors>

export interface Term {
  /** Colour and cursor control allowed. */
  rich: boolean
  c: Colors
  out(line?: string): void
  err(line?: string): void
}

export function makeTerm(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): Term {
  const rich = stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
  return {
    rich,
    c: pc.createColors(rich),
    out: (line = '') => void stream.write(line + '\n'),
    err: (line = '') => void process.stderr.write(printable(line) + '\n')
  }
}

/** Text from outside, made safe to print: C0/C1 control characters (ESC included) removed, tabs and newlines kept. */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
}

/** Left-aligned columns; widths from the plain text, colour applied per cell afterwards. */
export function table(
  rows: string[][],
  paint: (row: number, col: number, cell: string) => string = (_r, _c, s) => s
): string[] {
  const widths: number[] = []
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map((r, ri) =>
    r
      .map((cell, ci) => paint(ri, ci, ci === r.length - 1 ? cell : cell.padEnd(widths[ci])))
      .join('  ')
      .trimEnd()
  )
}

export interface Progress {
  /** Prints a finished line above the live one. */
  line(text: string): void
  /** The live line's text (shown with a spinner on a terminal; nothing otherwise). */
  status(text: string): void
  stop(): void
}

/** A live status line with a spinner on an interactive terminal (not under CI); elsewhere only the finished lines. */
export function progress(term: Term, env: NodeJS.ProcessEnv = process.env): Progress {
  if (!term.rich || 'CI' in env) {
    return { line: (t) => term.out(t), status: () => {}, stop: () => {} }
  }
  // A terminal that reports no width (a bare pseudo-terminal) counts as 80 columns: nanospinner divides by it.
  const width = (): number => (process.stdout.columns > 0 ? process.stdout.columns : 80)
  const stream = {
    write: (s: string) => process.stdout.write(s),
    get columns() {
      return width()
    }
  } as unknown as NodeJS.WriteStream
  const spinner = createSpinner('', { stream })
  const fit = (t: string): string => (t.length > width() - 3 ? t.slice(0, width() - 4) + '…' : t)
  return {
    line(t) {
      const spinning = spinner.isSpinning()
      if (spinning) spinner.clear()
      term.out(t)
      if (spinning) spinner.render()
    },
    status(t) {
      if (spinner.isSpinning()) spinner.update({ text: fit(t) })
      else spinner.start({ text: fit(t) })
    },
    stop() {
      if (spinner.isSpinning()) spinner.clear().stop()
    }
  }
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
