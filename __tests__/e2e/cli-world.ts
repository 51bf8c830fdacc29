// Shared by the command line's e2e tests (cli-*.test.ts): a copy of examples/ (hello is tidy, service has drifted),
// the demo's fixture modules on loopback proxies, and a hermetic go environment whose `go env` is the default.
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { startFixtureProxy, type FixtureProxyOptions, type FixtureProxy } from '../helpers/fixture-proxy.js'
import { makeGoEnv, makeTempDir } from '../helpers/gotest-env.js'
import { REPO_ROOT } from '../helpers/runner.js'
import { closeAll, onClose } from '../helpers/closers.js'
import { demoModules } from '../../scripts/demo-fixtures.js'

export { closeAll, onClose }

export async function demoProxy(opts: Omit<FixtureProxyOptions, 'modules'> = {}): Promise<FixtureProxy> {
  return onClose(await startFixtureProxy({ modules: demoModules, ...opts }))
}

/** A fresh copy of examples/. */
export function examples(): string {
  const dir = makeTempDir('gtg-cli-ws-')
  cpSync(join(REPO_ROOT, 'examples'), dir, { recursive: true })
  return dir
}

/** A hermetic environment whose `go env GOPROXY` is `goproxy` (what the CLI uses when --goproxy is not given). */
export function cliEnv(
  goproxy: string,
  extra: Record<string, string | undefined> = {}
): Record<string, string | undefined> {
  const e = makeGoEnv(goproxy, { GOFLAGS: undefined, CI: undefined, NO_COLOR: undefined, ...extra })
  onClose({ close: () => e.cleanup() })
  return e.env
}
