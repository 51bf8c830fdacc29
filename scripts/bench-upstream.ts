// A child process for the relay-memory case: serves one large module from a fixture proxy, so the zip's own
// buffers live outside the process whose memory the benchmark samples. Prints one JSON line, then serves
// until its stdin closes.
import { createHash } from 'node:crypto'
import { startFixtureProxy } from '../__tests__/helpers/fixture-proxy.js'
import { buildModuleZip, makeLargeModule } from '../__tests__/helpers/modzip.js'

export interface UpstreamInfo {
  url: string
  path: string
  size: number
  sha256: string
}

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? '50')
  const mod = makeLargeModule('example.com/bench/huge', 'v1.0.0', mb)
  const zip = buildModuleZip(mod)
  const proxy = await startFixtureProxy({ modules: [mod] })
  // Build the served zip now, not during the measured download.
  await fetch(`${proxy.url}/example.com/bench/huge/@v/v1.0.0.zip`).then((r) => r.arrayBuffer())
  const info: UpstreamInfo = {
    url: proxy.url,
    path: '/example.com/bench/huge/@v/v1.0.0.zip',
    size: zip.length,
    sha256: createHash('sha256').update(zip).digest('hex')
  }
  process.stdout.write(JSON.stringify(info) + '\n')
  process.stdin.resume()
  process.stdin.on('end', () => void proxy.close().then(() => process.exit(0)))
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
