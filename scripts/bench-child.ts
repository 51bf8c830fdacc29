// Child processes of the relay-memory case, so that only the relay runs in the process whose memory the
// benchmark samples (as in the action, where go is the client in another process):
//   serve <MB>         a fixture proxy with one large module; prints one JSON line, serves until stdin closes
//   get <url> <slow>   downloads the URL (slow: pause 20 ms after every MiB); prints size and sha256 as JSON
import { createHash } from 'node:crypto'
import { get } from 'node:http'
import { startFixtureProxy } from '../__tests__/helpers/fixture-proxy.js'
import { buildModuleZip, makeLargeModule } from '../__tests__/helpers/modzip.js'

export interface UpstreamInfo {
  url: string
  path: string
  size: number
  sha256: string
}

export interface Downloaded {
  status: number
  size: number
  sha256: string
}

async function serve(mb: number): Promise<void> {
  const mod = makeLargeModule('example.com/bench/huge', 'v1.0.0', mb)
  const zip = buildModuleZip(mod)
  const proxy = await startFixtureProxy({ modules: [mod] })
  const path = '/example.com/bench/huge/@v/v1.0.0.zip'
  // Build the served zip now, not during the measured download.
  await fetch(proxy.url + path).then((r) => r.arrayBuffer())
  const info: UpstreamInfo = {
    url: proxy.url,
    path,
    size: zip.length,
    sha256: createHash('sha256').update(zip).digest('hex')
  }
  process.stdout.write(JSON.stringify(info) + '\n')
  process.stdin.resume()
  process.stdin.on('end', () => void proxy.close().then(() => process.exit(0)))
}

function download(url: string, slow: boolean): Promise<Downloaded> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      const hash = createHash('sha256')
      let size = 0
      let nextPause = 1048576
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk)
        size += chunk.length
        if (slow && size >= nextPause) {
          nextPause += 1048576
          res.pause()
          setTimeout(() => res.resume(), 20)
        }
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, size, sha256: hash.digest('hex') }))
      res.on('error', reject)
    }).on('error', reject)
  })
}

async function main(): Promise<void> {
  const [mode, arg, slow] = process.argv.slice(2)
  if (mode === 'serve') return serve(Number(arg))
  if (mode === 'get') return void process.stdout.write(JSON.stringify(await download(arg, slow === 'slow')) + '\n')
  throw new Error(`bench-child: unknown mode ${mode}`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
