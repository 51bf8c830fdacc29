// Relay memory: the relay runs in this process (imported from the compiled src/relay.js) between a fixture
// proxy and a plain streaming client, both child processes (as in the action, where go is the client), while
// this process's memory is sampled during a 50 MB zip download. Streaming with backpressure keeps it flat.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startRelay } from '../src/relay/relay.js'
import type { BenchConfig } from './bench-measure.js'
import { mb, type CaseResult } from './bench-table.js'
import type { Downloaded, UpstreamInfo } from './bench-child.js'

export const ZIP_MB = 50
const LIMIT_BYTES = 64 * 1048576
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'bench-child.js')

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

interface Download {
  peakRss: number
  peakBuffers: number
  ms: number
  intact: boolean
}

async function startUpstream(): Promise<{ child: ChildProcess; info: UpstreamInfo }> {
  const child = spawn(process.execPath, [CHILD, 'serve', String(ZIP_MB)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench upstream exited with ${code}`)))
  })
  return { child, info: JSON.parse(line) as UpstreamInfo }
}

/** One download through the relay by the client child, with this process's memory sampled every 5 ms. */
async function download(url: string, info: UpstreamInfo, slow: boolean, live = false): Promise<Download> {
  gc()
  const base = process.memoryUsage()
  const buffers = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.arrayBuffers
  const peak = { rss: 0, buffers: 0 }
  let ticks = 0
  const sample = (): void => {
    // live: collect garbage first (every 50 ms), so the figure is what the relay holds, not what GC has yet to free
    if (live && ++ticks % 10 === 0) gc()
    const m = process.memoryUsage()
    peak.rss = Math.max(peak.rss, m.rss - base.rss)
    peak.buffers = Math.max(peak.buffers, buffers(m) - buffers(base))
  }
  const timer = setInterval(sample, 5)
  const started = performance.now()
  try {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [CHILD, 'get', url, slow ? 'slow' : 'fast'], (err, stdout) =>
        err ? reject(err) : resolve(stdout)
      )
    )
    sample()
    const got = JSON.parse(out) as Downloaded
    const intact = got.status === 200 && got.size === info.size && got.sha256 === info.sha256
    return { peakRss: peak.rss, peakBuffers: peak.buffers, ms: performance.now() - started, intact }
  } finally {
    clearInterval(timer)
  }
}

export async function relayMemory(cfg: BenchConfig): Promise<CaseResult[]> {
  const { child, info } = await startUpstream()
  const relay = await startRelay({
    upstreams: [{ kind: 'url', url: info.url, display: info.url, separator: '' }],
    retries: 3
  })
  try {
    const rows: CaseResult[] = []
    for (const [slow, live] of [
      [false, false],
      [true, false],
      [false, true]
    ]) {
      const runs: Download[] = []
      for (let i = 0; i < cfg.runs; i++) runs.push(await download(relay.url + info.path, info, slow, live))
      // Judged on what JavaScript holds (heap + array buffers, garbage not yet collected included); RSS also
      // counts memory the allocator has freed but not yet returned, and is shown beside it.
      const worst = Math.max(...runs.map((r) => r.peakBuffers))
      const intact = runs.every((r) => r.intact)
      const times = runs.map((r) => r.ms).sort((a, b) => a - b)
      rows.push({
        name: `relay memory, ${ZIP_MB} MB zip, ${slow ? 'slow reader (20 ms pause per MiB)' : 'fast reader'}${live ? ', live (GC every 50 ms)' : ''}`,
        actionText: `peak heap+buffers +${mb(worst)}`,
        goText: '—',
        ratioText: '—',
        target: `peak growth < ${mb(LIMIT_BYTES)}`,
        result: worst < LIMIT_BYTES && intact ? 'PASS' : 'FAIL',
        notes:
          `peak RSS +${mb(Math.max(...runs.map((r) => r.peakRss)))}; ` +
          `median download ${(times[times.length >> 1] / 1000).toFixed(2)} s; ` +
          (intact ? 'bytes intact' : 'BODY DIFFERS from the upstream zip')
      })
    }
    return rows
  } finally {
    await relay.close()
    child.stdin?.end()
    await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())))
  }
}
