// `go-tidy-guard relay`: the action's relay (relay/relay.ts) as a long-lived local module proxy for every go command on
// this machine. Loopback only, under a random path prefix; upstreams from --goproxy or `go env GOPROXY`, with
// preflight's verdicts ordering them as in the action. Serves until SIGINT/SIGTERM, then prints its statistics.
import * as os from 'node:os'
import { findGo, stringEnv } from '../go/toolchain.js'
import { effectiveSettings } from '../config/settings.js'
import { prepareAccess } from '../access/access.js'
import { networkProxies } from '../config/proxylist.js'
import { startNetwork, type Network } from '../net/network.js'
import { redact } from '../lib/redact.js'
import { removeGuardedCredentialFiles } from '../access/credential-file.js'
import { readFlags, UsageError, type CliArgs } from './args.js'
import { seconds, type Term } from './term.js'
import { renderRelay } from './render.js'

/** `--listen`: `127.x.x.x:PORT`, `localhost:PORT` or a bare PORT. Anything that is not loopback is refused. */
export function parseListen(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return { host: '127.0.0.1', port: 0 }
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim())
  const host = m?.[1] === undefined || m[1] === 'localhost' ? '127.0.0.1' : m[1]
  const port = Number(m?.[2])
  if (!m || port > 65535) throw new UsageError(`--listen: "${text}" is not accepted; give 127.0.0.1:PORT (or a port)`)
  if (!/^127(\.\d{1,3}){3}$/.test(host)) {
    throw new UsageError(
      `--listen: "${text}" is not a loopback address; the relay listens on 127.0.0.1 only (it carries your proxies' credentials)`
    )
  }
  return { host, port }
}

export async function runRelay(args: CliArgs, term: Term): Promise<number> {
  const listen = parseListen(args.listen)
  const inputs = readFlags(args)
  if (!inputs.relay) throw new UsageError('--relay false: the relay command is the relay; leave --relay out')
  const go = await findGo()
  const settings = effectiveSettings(inputs, go.env)
  const access = await prepareAccess(inputs, os.tmpdir(), stringEnv(process.env))
  // Installed before the network starts: in strict mode preflight may take a while, and a Ctrl-C then must still
  // remove the credential files (the default action of a signal skips every clean-up).
  const stop = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  let net: Network | undefined
  try {
    if (networkProxies(settings.proxies).length === 0)
      throw new UsageError(
        `GOPROXY (${redact(settings.GOPROXY)}) names no module proxy URL to relay to; give --goproxy`
      )
    // The action's network stage, as it is: preflight steering the relay, strict mode, the same dispatcher.
    const starting = startNetwork(inputs, settings, access, { listen })
    const first = await Promise.race([starting, stop])
    if (typeof first === 'string') {
      term.out(`\n${first}: stopped before the relay started`)
      void starting.then((n) => n.close()).catch(() => undefined)
      return 0
    }
    net = first
    const upstreams = net.stats().map((s) => s.upstream)
    term.out(term.c.bold(`go-tidy-guard relay on ${net.relayUrl!.replace(/\/[^/]*$/, '')} for ${upstreams.join(', ')}`))
    term.out('Use it in this shell (and any other on this machine):')
    term.out(`  export GOPROXY=${net.goproxy}`)
    term.out(
      term.c.dim('go verifies every module against go.sum and the checksum database as before. Ctrl-C stops the relay.')
    )
    net.onVerdict((r) => {
      const verdict = r.verdict === 'ok' ? term.c.green('ok') : term.c.yellow(r.verdict)
      const why = r.verdict === 'ok' ? '' : `: ${redact(r.hint)}`
      term.out(`preflight: ${redact(r.endpoint)} ${verdict} (${seconds(r.timings.total)})${why}`)
    })
    const signal = await stop
    term.out(`\n${signal}: stopping the relay`)
    await net.finishPreflight()
    renderRelay(term, net.stats())
    return 0
  } finally {
    await net?.close()
    removeGuardedCredentialFiles()
  }
}
