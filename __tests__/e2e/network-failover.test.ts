import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startBlackhole, refusedUrl } from '../helpers/fixture-proxy.js'
import { closeAll, makeTidyTemplate, onClose, proxy, runNet, workspaceFrom, verdict, relayRows } from './network-world.js'

let template: string
beforeAll(async () => { template = await makeTidyTemplate() })
afterAll(closeAll)

test.concurrent('stall', async () => {
  const bad = await proxy({ faults: [{ kind: 'stall', match: '.zip', times: 1 }] })
  const good = await proxy()
  const r = await runNet(workspaceFrom(template), `${bad.url},${good.url}`)
  console.log(r.ms, r.exitCode, r.stdout, r.stderr, r.summary, bad.log.map(e=>[e.path,e.status,e.headers.range, e.fault]), good.log.map(e=>[e.path,e.status]))
}, 120000)
test.concurrent('alldown', async () => {
  const hole = onClose(await startBlackhole())
  const r = await runNet(workspaceFrom(template), `${await refusedUrl()},${hole.url},https://proxy.invalid`)
  console.log(r.ms, r.exitCode, r.stdout, r.stderr, r.summary)
}, 120000)
