// Relay memory: the relay runs in this process (imported from the compiled src/relay.js) in front of a fixture
// proxy in a child process; a plain streaming client downloads a 50 MB zip through it while this process's
// memory is sampled. Streaming with backpressure keeps the growth far below the zip's size.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { get } from 'node:http'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { startRelay } from '../src/relay.js'
import type { BenchConfig } from './bench-measure.js'
import { mb, type CaseResult } from './bench-table.js'
import type { UpstreamInfo } from './bench-upstream.js'

export const ZIP_MB = 50
const LIMIT_BYTES = 64 * 1048576

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

interface Download {
  peakRss: number
  peakBuffers: number
  ms: number
  intact: boolean
}

async function startUpstream(): Promise<{ child: ChildProcess; info: UpstreamInfo }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bench-upstream.js')
  const child = spawn(process.execPath, [script, String(ZIP_MB)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`bench upstream exited with ${code}`)))
  })
  return { child, info: JSON.parse(line) as UpstreamInfo }
}

/** Downloads through the relay; a slow reader pauses after every MiB (the relay must not buffer ahead). */
function download(url: string, info: UpstreamInfo, slow: boolean): Promise<Download> {
  gc()
  const base = process.memoryUsage()
  const buffers = (m: NodeJS.MemoryUsage): number => m.heapUsed + m.arrayBuffers
  const peak = { rss: 0, buffers: 0 }
  const sample = (): void => {
    const m = process.memoryUsage()
    peak.rss = Math.max(peak.rss, m.rss - base.rss)
    peak.buffers = Math.max(peak.buffers, buffers(m) - buffers(base))
  }
  const timer = setInterval(sample, 5)
  const started = performance.now()
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const hash = createHash('sha256')
      let got = 0
      let nextPause = 1048576
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        got += chunk.length
        if (slow && got >= nextPause) {
          nextPause += 1048576
          res.pause()
          setTimeout(() => res.resume(), 20)
        }
      })
      res.on('end', () => {
        clearInterval(timer)
        sample()
        const intact = res.statusCode === 200 && got === info.size && hash.digest('hex') === info.sha256
        resolve({ peakRss: peak.rss, peakBuffers: peak.buffers, ms: performance.now() - started, intact })
      })
      res.on('error', reject)
    }).on('error', (e) => {
      clearInterval(timer)
      reject(e)
    })
  })
}

export async function relayMemory(cfg: BenchConfig): Promise<CaseResult[]> {
  const { child, info } = await startUpstream()
  const relay = await startRelay({ upstreams: [{ kind: 'url', url: info.url, display: info.url, separator: '' }], retries: 3 })
  try {
    const rows: CaseResult[] = []
    for (const slow of [false, true]) {
      const runs: Download[] = []
      for (let i = 0; i < cfg.runs; i++) runs.push(await download(relay.url + info.path, info, slow))
      const worst = Math.max(...runs.map((r) => r.peakRss))
      const intact = runs.every((r) => r.intact)
      const times = runs.map((r) => r.ms).sort((a, b) => a - b)
      rows.push({
        name: `relay memory, ${ZIP_MB} MB zip, ${slow ? 'slow reader (20 ms pause per MiB)' : 'fast reader'}`,
        actionText: `peak RSS +${mb(worst)}`,
        goText: '—',
        ratioText: '—',
        target: `peak growth < ${mb(LIMIT_BYTES)}`,
        result: worst < LIMIT_BYTES && intact ? 'PASS' : 'FAIL',
        notes:
          `heap+buffers peak +${mb(Math.max(...runs.map((r) => r.peakBuffers)))}; ` +
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
