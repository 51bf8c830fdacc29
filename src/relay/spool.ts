// Where the relay holds an upstream's body until it is complete. go gets headers and bytes only from a
// complete spool, so it never sees an answer that may still break, and never bytes of two upstreams spliced
// together (two proxies' zips of one version need not be byte-identical: go would report a checksum
// mismatch). Small bodies stay in memory; past MEMORY_LIMIT the spool moves to a temp file, so memory stays
// flat for big zips however slowly go reads.
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Bodies up to this size (.info, .mod, lists, sumdb tiles) never touch the disk. */
export const MEMORY_LIMIT = 1 << 20
/** go refuses module zips over 500 MiB: a longer body is no module proxy answer, and must not fill the disk. */
export const SIZE_LIMIT = 512 * (1 << 20)

const READ_CHUNK = 256 * 1024

export class SpoolTooLarge extends Error {}

/** Writes one chunk; true once the socket has taken it (its buffer may then be reused), false if go hung up. */
function written(res: ServerResponse, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve(false)
    const onClose = (): void => resolve(false)
    res.once('close', onClose)
    res.write(chunk, (err) => {
      res.off('close', onClose)
      resolve(!err)
    })
  })
}

/** The spools of one relay, in one private temp directory that close() removes with everything in it. */
export class SpoolStore {
  private dir?: Promise<string>
  private readonly live = new Set<Spool>()
  private closed = false

  /** `base`: RUNNER_TEMP on a runner (the runner cleans it), else the OS temp dir. */
  constructor(private readonly base: string = process.env.RUNNER_TEMP || tmpdir()) {}

  create(): Spool {
    const s = new Spool(this)
    this.live.add(s)
    return s
  }

  /** @internal A fresh file path in the store's directory, which is made on first use. */
  async newPath(): Promise<string> {
    // A lane that read one more chunk before its abort landed must not make a directory nobody removes.
    if (this.closed) throw new Error('relay closed')
    this.dir ??= mkdtemp(join(this.base, 'go-tidy-guard-relay-'))
    return join(await this.dir, randomBytes(9).toString('hex'))
  }

  /** @internal */
  forget(s: Spool): void {
    this.live.delete(s)
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all([...this.live].map((s) => s.dispose()))
    const dir = await this.dir?.catch(() => undefined)
    if (dir) await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }
}

export class Spool {
  /** Bytes held so far. */
  size = 0
  private chunks: Buffer[] = []
  private file?: { path: string; handle: FileHandle }
  private disposed?: Promise<void>

  constructor(private readonly store: SpoolStore) {}

  /** Past MEMORY_LIMIT: held in a temp file, not in memory. */
  get onDisk(): boolean {
    return this.file !== undefined
  }

  /** Adds the next bytes; callers await each append before the next (that is the upstream's backpressure). */
  async append(chunk: Buffer): Promise<void> {
    if (this.disposed) throw new Error('spool disposed')
    if (this.size + chunk.length > SIZE_LIMIT) throw new SpoolTooLarge(`body larger than ${SIZE_LIMIT} bytes`)
    this.size += chunk.length
    if (!this.file && this.size <= MEMORY_LIMIT) {
      this.chunks.push(chunk)
      return
    }
    if (!this.file) await this.moveToDisk()
    await this.file!.handle.write(chunk)
  }

  private async moveToDisk(): Promise<void> {
    const path = await this.store.newPath()
    const handle = await open(path, 'w+', 0o600)
    if (this.disposed) {
      await handle.close().catch(() => undefined)
      await rm(path, { force: true }).catch(() => undefined)
      throw new Error('spool disposed')
    }
    this.file = { path, handle }
    for (const c of this.chunks) await handle.write(c)
    this.chunks = []
  }

  /** Starts over: the same upstream sent the whole body again instead of the rest. */
  async reset(): Promise<void> {
    await this.dropFile()
    this.chunks = []
    this.size = 0
  }

  /**
   * Sends the complete body as the answer to go, with its exact length. Resolves when go has it all or has
   * hung up (a hang-up is go's business, not an upstream fault). The spool stays until dispose().
   */
  async sendTo(res: ServerResponse, status: number, headers: Record<string, string>): Promise<void> {
    res.writeHead(status, { ...headers, 'content-length': this.size })
    if (!this.file) return void res.end(Buffer.concat(this.chunks))
    // One buffer, reused once go's socket has taken each chunk: a slow go holds back the disk reads, and a
    // fast one leaves no trail of garbage buffers for the collector (a read stream would allocate 50 MB of
    // them for a 50 MB zip, on top of the upstream's).
    const buf = Buffer.allocUnsafe(READ_CHUNK)
    const { handle } = this.file
    for (let pos = 0; pos < this.size;) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, this.size - pos), pos)
      if (bytesRead === 0) return void res.destroy(new Error('spool file shorter than its body'))
      pos += bytesRead
      if (!(await written(res, buf.subarray(0, bytesRead)))) return
    }
    res.end()
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.store.forget(this)
      this.chunks = []
      await this.dropFile()
    })()
    return this.disposed
  }

  private async dropFile(): Promise<void> {
    const f = this.file
    this.file = undefined
    if (!f) return
    await f.handle.close().catch(() => undefined)
    await rm(f.path, { force: true }).catch(() => undefined)
  }
}
