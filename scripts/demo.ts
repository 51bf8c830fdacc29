// `npm run demo`: runs the bundled action (dist/) exactly as the runner does, on a copy of examples/, against a
// loopback module proxy, with a dead proxy listed first, and prints what a user sees in the log and the job summary;
// then the command line's `doctor` once against the same proxies.
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { startBlackhole, startFixtureProxy } from '../__tests__/helpers/fixture-proxy.js'
import { makeGoEnv, runProcess } from '../__tests__/helpers/gotest-env.js'
import { makeWorkspace, REPO_ROOT, runAction, type ActionRun } from '../__tests__/helpers/runner.js'
import { demoModules } from './demo-fixtures.js'

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

async function main(): Promise<void> {
  const proxy = await startFixtureProxy({ modules: demoModules })
  const dead = await startBlackhole()
  const goEnv = makeGoEnv(proxy.url)
  const workspace = makeWorkspace()
  cpSync(join(REPO_ROOT, 'examples'), workspace, { recursive: true })
  const goproxy = `${dead.url},${proxy.url}`
  console.log(bold('go-tidy-guard demo'))
  console.log(`workspace: a copy of examples/ (hello is tidy, service has drifted)`)
  console.log(`goproxy:   ${goproxy}   (the first proxy accepts connections and never answers)\n`)
  try {
    const run = await runAction({
      workspace,
      env: goEnv.env,
      inputs: { 'working-directory': '.', goproxy, 'preflight-timeout': '2', cache: 'false' }
    })
    printRun(run)
    await doctor({ ...goEnv.env, GOPROXY: goproxy }, workspace)
  } finally {
    await Promise.all([proxy.close(), dead.close()])
    goEnv.cleanup()
  }
}

function printRun(run: ActionRun): void {
  console.log(bold('── Log (as the runner shows it) ──'))
  for (const a of run.annotations) {
    const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ''}: ` : ''
    const title = a.title ? `${a.title}: ` : ''
    console.log(
      `${a.level === 'error' ? 'Error' : a.level === 'warning' ? 'Warning' : 'Notice'}: ${where}${title}${a.message}`
    )
  }
  console.log(`\nstep ${run.failed ? 'failed' : 'passed'} (exit code ${run.exitCode})\n`)
  console.log(bold('── Outputs ──'))
  for (const [k, v] of Object.entries(run.outputs)) {
    const text = v.includes('\n') ? '\n    ' + v.trimEnd().split('\n').join('\n    ') : ' ' + v
    console.log(`  ${k}:${text}`)
  }
  console.log('\n' + bold('── Job summary (Markdown) ──'))
  console.log(run.summary)
}

/** The command line's `doctor` (dist/cli.js), once, against the same two proxies. */
async function doctor(env: Record<string, string>, cwd: string): Promise<void> {
  console.log(bold('── go-tidy-guard doctor (the command line, same proxies) ──'))
  console.log(`$ GOPROXY=${env.GOPROXY} go-tidy-guard doctor --preflight-timeout 2\n`)
  const cli = join(process.env.GTG_ACTION_DIR ?? REPO_ROOT, 'dist', 'cli.js')
  const r = await runProcess(process.execPath, [cli, 'doctor', '--preflight-timeout', '2'], {
    cwd,
    env,
    timeoutMs: 30_000
  })
  console.log(r.stdout + r.stderr)
  console.log(`(exit code ${r.code})`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
