/** What the code prints to stdout while `fn` runs (workflow commands, `::add-mask::` lines), without printing it. */
export function stdoutOf(fn: () => void): string {
  const original = process.stdout.write
  let out = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  }) as typeof process.stdout.write
  try {
    fn()
  } finally {
    process.stdout.write = original
  }
  return out
}
