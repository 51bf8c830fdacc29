// Things a test file starts (servers, environments) registered once and closed together in afterAll.
const closers: Array<() => Promise<void> | void> = []

/** Registers something to close in `closeAll`; returns it. */
export function onClose<T extends { close(): Promise<void> | void }>(thing: T): T {
  closers.push(() => thing.close())
  return thing
}

/** Closes everything registered, newest first. */
export async function closeAll(): Promise<void> {
  for (const c of closers.splice(0).reverse()) await c()
}
