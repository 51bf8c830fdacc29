// Issue 3 end to end, the checksum database through the relay: go fetches a real signed checksum database
// (sumdb-server, built from the toolchain's own golang.org/x/mod/sumdb) through the relay, the way a module proxy
// relays one, and still verifies every answer itself. The database is `sum.example.invalid` with a key made for the
// test: hermetic, since neither the proxies nor the .invalid name can lead go off loopback.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { goSumLines, wrongHash } from '../helpers/modzip.js'
import { startSumdb, type Sumdb } from '../helpers/sumdb.js'
import {
  closeAll,
  errors,
  greeting,
  lib,
  makeTidyTemplate,
  onClose,
  preflightOf,
  proxy,
  relayRow,
  runNet,
  tidyAttempts,
  workspaceFrom
} from './network-world.js'

const NAME = 'sum.example.invalid'
const TRUE_LINES = [...goSumLines(greeting), ...goSumLines(lib)]

let template: string
beforeAll(async () => {
  template = await makeTidyTemplate()
  // Builds the server once (about 30 s on 2 cores with an empty build cache).
  onClose(await startSumdb(NAME, TRUE_LINES))
}, 180_000)
afterAll(closeAll)

/** A workspace whose go.sum lacks every line: tidy must add them, and go asks the checksum database for each. */
function withoutGoSum(): string {
  const ws = workspaceFrom(template)
  writeFileSync(join(ws, 'go.sum'), '')
  return ws
}

// makeGoEnv already clears GONOSUMDB/GOPRIVATE and sets GOFLAGS=-mod=mod: only the database itself differs.
const sumdbEnv = (db: Sumdb) => ({ GOSUMDB: db.key })
const lookups = (db: Sumdb) => db.requests.filter((r) => r.includes(`/sumdb/${NAME}/lookup/`))

test('go verifies the signed checksum database through the relay; the missing go.sum lines are the drift', async () => {
  const modules = await proxy()
  const db = onClose(await startSumdb(NAME, TRUE_LINES))
  const ws = withoutGoSum()
  const r = await runNet(ws, `${modules.url},${db.url}`, {}, sumdbEnv(db))
  // Tidy succeeded (drift, not an error): every line go adds was checked against the signed tree.
  expect(errors(r).filter((a) => a.title?.includes('go mod tidy failed'))).toEqual([])
  expect(r.outputs.drift).toBe('true')
  for (const line of TRUE_LINES) expect(r.outputs.diff).toContain(`+${line}`)
  expect(lookups(db).sort()).toEqual([
    `GET /sumdb/${NAME}/lookup/${greeting.path}@${greeting.version}`,
    `GET /sumdb/${NAME}/lookup/${lib.path}@${lib.version}`
  ])
  // go kept what it verified: the database's signed tree, in its own cache.
  expect(existsSync(join(r.gomodcache, 'cache', 'download', 'sumdb', NAME, 'lookup'))).toBe(true)
  // The relay carried it: the database answered through the relay, as the second upstream.
  expect(relayRow(r, db.url).requests).toBeGreaterThanOrEqual(3) // supported, two lookups (and tiles)
  expect(preflightOf(r).find((p) => p.role === 'sumdb')?.verdict).toBe('ok')
})

test('a checksum database that disagrees with the proxy fails as a security error, with no second proxy asked', async () => {
  const modules = await proxy()
  const spare = await proxy()
  // The database vouches for another zip of greeting than the one the proxies serve.
  const lying = onClose(
    await startSumdb(
      NAME,
      TRUE_LINES.map((l) =>
        l.startsWith(`${greeting.path} ${greeting.version} h1:`)
          ? `${greeting.path} ${greeting.version} ${wrongHash()}`
          : l
      )
    )
  )
  const ws = withoutGoSum()
  const r = await runNet(ws, `${modules.url},${lying.url},${spare.url}`, {}, sumdbEnv(lying))
  expect(r.exitCode).toBe(1)
  const e = errors(r).find((a) => a.title?.includes('go mod tidy failed'))
  expect(e?.title).toContain('(security)')
  expect(e?.message).toMatch(/SECURITY ERROR|checksum mismatch/)
  expect(tidyAttempts(r)).toBe(1)
  expect(readFileSync(join(ws, 'go.sum'), 'utf8')).toBe('') // check mode: go.sum untouched
  expect(spare.zipRequests()).toBe(0)
})

test('a checksum database answer whose signature does not verify fails as a security error, never retried', async () => {
  const modules = await proxy()
  const forged = onClose(await startSumdb(NAME, TRUE_LINES, { corrupt: true }))
  const ws = withoutGoSum()
  const r = await runNet(ws, `${modules.url},${forged.url}`, { retries: '2' }, sumdbEnv(forged))
  expect(r.exitCode).toBe(1)
  const e = errors(r).find((a) => a.title?.includes('go mod tidy failed'))
  expect(e?.title).toContain('(security)')
  expect(e?.message).toMatch(
    /^example\.com\/(greeting|lib): .*verifying module: .*invalid signature for key sum\.example\.invalid\+/
  )
  expect(r.summary).toContain('does not verify with the key in GOSUMDB')
  expect(tidyAttempts(r)).toBe(1)
})
