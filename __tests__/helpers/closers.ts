// Things a test file starts (servers, environments) registered once and closed together: in afterAll, or in
// afterEach for files whose tests each start their own.
const closers: Array<() => Promise<void> | void> = []

/** Registers something to close in `closeAll`; returns it. */
export function onClose<T extends { close(): Promise<void> | void }>(thing: T): T {
  closers.push(() => thing.close())
  return thing
}

/** Registers a clean-up step for `closeAll`. */
export function onCleanup(fn: () => Promise<void> | void): void {
  closers.push(fn)
}

/** Closes everything registered, newest first. */
export async function closeAll(): Promise<void> {
  for (const c of closers.splice(0).reverse()) await c()
}
