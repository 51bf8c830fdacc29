// Which request paths the relay forwards, and in which form: every path go's module proxy protocol allows,
// in go's escaped form (upper case as `!` + lower case, `!` percent-encoded), and nothing else.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { protocolPath, startRelay, type Relay } from '../src/relay/relay.js'
import { entry, fetchOnce, startUpstream, type TestUpstream } from './helpers/relay-upstreams.js'

describe('protocolPath: accepted, as forwarded', () => {
  it.each([
    // What go sends (cmd/go pathEscape): `!` as %21.
    ['/github.com/%21burnt%21sushi/toml/@v/list', '/github.com/%21burnt%21sushi/toml/@v/list'],
    [
      '/github.com/%21d%21a%21t%21a-%21d%21o%21g/go-sqlmock/@v/v1.5.2.mod',
      '/github.com/%21d%21a%21t%21a-%21d%21o%21g/go-sqlmock/@v/v1.5.2.mod'
    ],
    ['/github.com/%21masterminds/semver/v3/@latest', '/github.com/%21masterminds/semver/v3/@latest'],
    // A raw `!` means the same; forwarded as go writes it.
    ['/example.com/!big!corp/!lib/@v/v1.0.0.zip', '/example.com/%21big%21corp/%21lib/@v/v1.0.0.zip'],
    ['/example.com/a/@v/v1.0.0-%21r%21c1.info', '/example.com/a/@v/v1.0.0-%21r%21c1.info'],
    ['/example.com/legacy/@v/v2.0.0+incompatible.info', '/example.com/legacy/@v/v2.0.0+incompatible.info'],
    [
      '/example.com/a/@v/v0.0.0-20240101000000-abcdef123456.zip',
      '/example.com/a/@v/v0.0.0-20240101000000-abcdef123456.zip'
    ],
    [
      '/example.com/a/@v/v1.2.4-0.20240101000000-abcdef123456.mod',
      '/example.com/a/@v/v1.2.4-0.20240101000000-abcdef123456.mod'
    ],
    ['/example.com/yaml.v3/@v/list', '/example.com/yaml.v3/@v/list'],
    ['/gopkg.in/yaml.v3/@v/v3.0.1.info', '/gopkg.in/yaml.v3/@v/v3.0.1.info'],
    // Non-semver queries go resolves through .info: branch names, with any file-name character.
    ['/example.com/a/@v/master.info', '/example.com/a/@v/master.info'],
    ['/example.com/a/@v/%21feature_%21x.info', '/example.com/a/@v/%21feature_%21x.info'],
    ['/example.com/a/@v/my%20branch%2C2.info', '/example.com/a/@v/my%20branch%2C2.info'],
    ['/example.com/a/@v/100%25.info', '/example.com/a/@v/100%25.info'],
    ['/example.com/a/@v/list.info', '/example.com/a/@v/list.info'],
    // The checksum database through a proxy (sumdb.go, sumdb/client.go, tlog/tile.go).
    ['/sumdb/sum.example.invalid/supported', '/sumdb/sum.example.invalid/supported'],
    ['/sumdb/sum.example.invalid:8443/sub/supported', '/sumdb/sum.example.invalid:8443/sub/supported'],
    [
      '/sumdb/sum.example.invalid/lookup/github.com/!burnt!sushi/toml@v1.3.2',
      '/sumdb/sum.example.invalid/lookup/github.com/%21burnt%21sushi/toml@v1.3.2'
    ],
    [
      '/sumdb/sum.example.invalid/lookup/example.com/a@v1.0.0-%21r%21c1',
      '/sumdb/sum.example.invalid/lookup/example.com/a@v1.0.0-%21r%21c1'
    ],
    ['/sumdb/sum.example.invalid/tile/8/0/001', '/sumdb/sum.example.invalid/tile/8/0/001'],
    ['/sumdb/sum.example.invalid/tile/8/1/x123/456.p/7', '/sumdb/sum.example.invalid/tile/8/1/x123/456.p/7'],
    ['/sumdb/sum.example.invalid/tile/8/data/x001/x234/067', '/sumdb/sum.example.invalid/tile/8/data/x001/x234/067']
  ])('%s', (given, forwarded) => {
    expect(protocolPath(given)).toBe(forwarded)
  })
})

describe('protocolPath: refused', () => {
  it.each([
    ['/example.com/BurntSushi/toml/@v/list', 'upper case in escaped form'],
    ['/example.com/%42ig/@v/list', 'upper case, percent-encoded'],
    ['/example.com/a/@v/V1.0.0.info', 'upper case in an escaped version'],
    ['/example.com/%21/@v/list', '! at the end'],
    ['/example.com/%21%21a/@v/list', '! followed by !'],
    ['/example.com/!1a/@v/list', '! followed by a digit'],
    ['/example.com/a/@v/v1.0.0-!.info', '! at the end of a version'],
    ['/example.com/../@v/list', '..'],
    ['/example.com/%2e%2e/@v/list', '.. percent-encoded'],
    ['/example.com/./a/@v/list', '.'],
    ['/example.com//a/@v/list', 'empty segment'],
    ['/example.com/a%2Fb/@v/list', '%2F inside a segment'],
    ['/example.com/a/@v/v1%2F..%2F..%2Fx.info', '%2F inside a version'],
    ['/example.com/a%00/@v/list', 'NUL'],
    ['/example.com/a/@v/v1%0A.info', 'control character in a version'],
    ['/example.com/a/@v/%ZZ.info', 'bad percent-encoding'],
    ['/example.com/a/@v/%C3.info', 'invalid UTF-8'],
    ['/example.com/%C3%A9/@v/list', 'non-ASCII'],
    ['/example.com/a/@v/v1.0.0.txt', 'unknown endpoint'],
    ['/example.com/a/@v/.info', 'empty version'],
    ['/example.com/a/@v/...info', 'version ..'],
    ['/example.com/a/@v/a*b.info', 'character no file name has'],
    ['/example.com/a/@v/v1/x.info', 'version with /'],
    ['/example.com/a/@latest/x', 'trailing path'],
    ['/example.com/a/@v', 'no endpoint'],
    ['/example.com/a/@v/list/', 'trailing slash'],
    ['/example.com/a/@list', 'unknown @ endpoint'],
    ['/localhost/a/@v/list', 'no dot in the first element'],
    ['/example.com/a/v1/@v/list', 'major suffix /v1'],
    ['/@v/list', 'no module path'],
    ['/etc/passwd', 'not a protocol path'],
    ['/example.com/a', 'module path only'],
    ['/sumdb/sum.example.invalid/latest', 'not fetched through a proxy'],
    ['/sumdb/supported', 'no database name'],
    ['/sumdb/sum.example.invalid/supported/x', 'trailing path'],
    ['/sumdb/sum%2Fexample/supported', '%2F in the name'],
    ['/sumdb/s%C3%A9/supported', 'non-ASCII name'],
    ['/sumdb/sum.example.invalid/lookup/example.com/A@v1.0.0', 'upper case in a lookup'],
    ['/sumdb/sum.example.invalid/lookup/example.com/a', 'lookup without a version'],
    ['/sumdb/sum.example.invalid/lookup/example.com/a@v1/x', 'lookup version with /'],
    ['/sumdb/sum.example.invalid/tile/8/0/1', 'tile index not 3 digits'],
    ['/sumdb/sum.example.invalid/tile/8/0/x000/001', 'tile index not canonical'],
    ['/sumdb/sum.example.invalid/tile/31/0/001', 'tile height over 30'],
    ['/sumdb/sum.example.invalid/tile/8/0/001.p/256', 'partial tile as wide as a full one'],
    ['/sumdb/sum.example.invalid/tile/8/0/001.p/0', 'partial tile of width 0'],
    ['/sumdb/sum.example.invalid/tile/8/00/001', 'level not canonical'],
    ['/sumdb/sum.example.invalid/tile/../../x', 'traversal']
  ])('%s (%s)', (given) => {
    expect(protocolPath(given)).toBeUndefined()
  })

  it('stays linear on long hostile paths', () => {
    expect(protocolPath('/example.com/' + '!'.repeat(100_000) + '/@v/list')).toBeUndefined()
    expect(protocolPath('/example.com/a/@v/' + 'v1.'.repeat(100_000) + '.info')).toBeUndefined()
    expect(protocolPath('/sumdb/s/tile/8/0/' + 'x001/'.repeat(50_000) + 'x001')).toBeUndefined()
    expect(protocolPath('/sumdb/s/lookup/' + 'a.b/'.repeat(50_000) + '@')).toBeUndefined()
  })
})

describe('the relay over HTTP', () => {
  let up: TestUpstream
  let relay: Relay
  beforeAll(async () => {
    up = await startUpstream((req, res) => res.end(req.url))
    relay = await startRelay({ upstreams: [entry(`${up.origin}/base`)], retries: 0 })
  })
  afterAll(async () => {
    await relay?.close()
    await up?.close()
  })

  it("forwards upper-case module paths in go's escaped form, byte for byte", async () => {
    for (const p of ['/github.com/%21burnt%21sushi/toml/@v/list', '/example.com/!big!corp/!lib/@v/v1.0.0-!r!c1.info']) {
      const got = await fetchOnce(relay.url + p)
      expect(got.status).toBe(200)
    }
    expect(up.hits.map((h) => h.path)).toEqual([
      '/base/github.com/%21burnt%21sushi/toml/@v/list',
      '/base/example.com/%21big%21corp/%21lib/@v/v1.0.0-%21r%21c1.info'
    ])
  })

  it('answers 404 itself for what no go client sends', async () => {
    const before = up.hits.length
    for (const p of ['/example.com/BigCorp/@v/list', '/example.com/a%2Fb/@v/list', '/example.com/%21/@v/list']) {
      expect((await fetchOnce(relay.url + p)).status).toBe(404)
    }
    expect(up.hits.length).toBe(before)
  })
})
