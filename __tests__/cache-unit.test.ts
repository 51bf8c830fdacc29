// Cache keys, the go.sum reading behind pruning, post without state, and the cache service emulation itself
// (what @actions/cache's small archives never exercise: staged blocks, ranged reads, key matching rules).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { BlockBlobClient } from '@azure/storage-blob'
import { cacheKeys, cachePaths, isPullRequestEvent } from '../src/cache/key.js'
import { neededFromGoSum, unescapeCachePath } from '../src/cache/prune.js'
import { runPost } from '../src/cache/save.js'
import { cleanMessage } from '../src/cache/state.js'
import { startCacheService, type CacheService } from './helpers/cache-service.js'
import { beginStep, captured } from './helpers/cache-steps.js'

const f = (path: string, text: string) => ({ path, content: Buffer.from(text) })
const base = { os: 'Linux', arch: 'X64', goVersion: '1.26.8' }

describe('cacheKeys', () => {
  const files = [f('go.mod', 'module example.com/a\n'), f('go.sum', 'example.com/b v1.0.0 h1:x=\n')]

  test('key = prefix + sha256 of the files; restore key = the prefix', () => {
    const { key, restoreKeys } = cacheKeys({ ...base, files })
    expect(restoreKeys).toEqual(['go-tidy-guard-Linux-X64-go1.26.8-'])
    expect(key).toMatch(/^go-tidy-guard-Linux-X64-go1\.26\.8-[0-9a-f]{64}$/)
    expect(key.startsWith(restoreKeys[0])).toBe(true)
  })

  test('stable under file order; changes with content, names, platform and go version', () => {
    const { key } = cacheKeys({ ...base, files })
    expect(cacheKeys({ ...base, files: [...files].reverse() }).key).toBe(key)
    const others = [
      cacheKeys({ ...base, files: [files[0], f('go.sum', 'example.com/b v1.0.1 h1:x=\n')] }).key,
      cacheKeys({ ...base, files: [files[0], f('sub/go.sum', 'example.com/b v1.0.0 h1:x=\n')] }).key,
      cacheKeys({ ...base, files: [files[0]] }).key,
      // Text moved from one file to the other.
      cacheKeys({
        ...base,
        files: [f('go.mod', 'module example.com/a\nexample.com/b'), f('go.sum', ' v1.0.0 h1:x=\n')]
      }).key,
      cacheKeys({ ...base, os: 'macOS', files }).key,
      cacheKeys({ ...base, arch: 'ARM64', files }).key,
      cacheKeys({ ...base, goVersion: '1.25.0', files }).key
    ]
    expect(new Set([key, ...others]).size).toBe(others.length + 1)
  })

  test('no commas or spaces reach a key (the service rejects commas)', () => {
    const { key } = cacheKeys({ os: 'Linux', arch: 'X64', goVersion: 'devel go1.27-abc, Tue Jan 1', files: [] })
    expect(key).not.toMatch(/[, ]/)
    expect(key).toContain('-godevel_go1.27-abc_Tue_Jan_1-')
  })

  test('saved paths leave out checksum tiles and VCS clones; pull requests are restore-only', () => {
    expect(cachePaths('/h/go/pkg/mod')).toEqual([
      '/h/go/pkg/mod/*',
      '!/h/go/pkg/mod/cache',
      '/h/go/pkg/mod/cache/download/*',
      '!/h/go/pkg/mod/cache/download/sumdb'
    ])
    expect(['pull_request', 'pull_request_target', 'push', 'schedule', undefined].map(isPullRequestEvent)).toEqual([
      true,
      true,
      false,
      false,
      false
    ])
  })
})

describe('neededFromGoSum', () => {
  test('h1 lines need the zip, /go.mod lines only the go.mod, across files', () => {
    const needed = neededFromGoSum([
      'example.com/a v1.0.0 h1:aaa=\nexample.com/a v1.0.0/go.mod h1:bbb=\nexample.com/b v0.1.0/go.mod h1:ccc=\n',
      'example.com/b v0.1.0 h1:ddd=\r\nexample.com/C v2.0.0-RC1+incompatible/go.mod h1:eee=\n\nnot a go.sum line\n'
    ])
    expect(needed.get('example.com/a')).toEqual(new Map([['v1.0.0', 'zip']]))
    expect(needed.get('example.com/b')).toEqual(new Map([['v0.1.0', 'zip']]))
    expect(needed.get('example.com/C')).toEqual(new Map([['v2.0.0-RC1+incompatible', 'mod']]))
    expect(needed.size).toBe(3)
  })

  test('the module cache case encoding is undone', () => {
    expect(unescapeCachePath('github.example/!azure/go-!a!p!i')).toBe('github.example/Azure/go-API')
    expect(unescapeCachePath('v1.0.0-!r!c1')).toBe('v1.0.0-RC1')
  })

  test('signatures and secrets are kept out of messages', () => {
    const msg = cleanMessage('GET http://127.0.0.1:1/blob/a/b/1?sv=1&sig=SECRET failed%0Anext line')
    expect(msg).toBe('GET http://127.0.0.1:1/blob/a/b/1?… failed next line')
  })
})

test('post without state from main (main failed early) does nothing, quietly', async () => {
  const step = beginStep({})
  const run = await captured(() => runPost())
  expect(run.value).toBeUndefined()
  expect(run.stdout).toBe('')
  expect(step.summary()).toBe('')
})

describe('cache service emulation', () => {
  let svc: CacheService
  beforeAll(async () => {
    svc = await startCacheService()
  })
  afterAll(async () => {
    await svc.close()
  })

  async function twirp(
    method: string,
    body: unknown,
    token = svc.token
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${svc.url}twirp/github.actions.results.api.v1.CacheService/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body)
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  async function store(key: string, data: Buffer, version = 'v1'): Promise<void> {
    const created = await twirp('CreateCacheEntry', { key, version })
    const client = new BlockBlobClient(created.json.signed_upload_url as string)
    // Small blocks force the SDK's staged-block path (what archives over 128 MiB use).
    await client.uploadData(data, { maxSingleShotSize: 1024, blockSize: 1000, concurrency: 2 })
    const fin = await twirp('FinalizeCacheEntryUpload', { key, version, size_bytes: String(data.length) })
    expect(fin.json).toMatchObject({ ok: true })
  }

  test('block uploads, whole and ranged downloads', async () => {
    const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251))
    await store('blocks-1', data)
    const puts = svc.log.filter((l) => l.target === 'BlobPut').length
    expect(puts).toBeGreaterThanOrEqual(6)
    expect(svc.blob('blocks-1')).toEqual(data)
    const found = await twirp('GetCacheEntryDownloadURL', { key: 'blocks-1', version: 'v1' })
    const url = found.json.signed_download_url as string
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(data)
    const ranged = await fetch(url, { headers: { range: 'bytes=100-199' } })
    expect(ranged.status).toBe(206)
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(data.subarray(100, 200))
    expect((await fetch(url, { method: 'HEAD' })).headers.get('content-length')).toBe('5000')
    expect((await fetch(url.replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403)
  })

  test('exact key first, then prefixes newest first; versions never mix; conflicts and bad tokens refused', async () => {
    await store('k-linux-aaa', Buffer.from('a'))
    await store('k-linux-bbb', Buffer.from('b'))
    await store('k-linux-ccc', Buffer.from('c'), 'v2')
    const get = async (key: string, restore_keys: string[] = [], version = 'v1') =>
      (await twirp('GetCacheEntryDownloadURL', { key, restore_keys, version })).json
    expect(await get('k-linux-aaa')).toMatchObject({ ok: true, matched_key: 'k-linux-aaa' })
    expect(await get('k-linux-zzz', ['k-linux-'])).toMatchObject({ ok: true, matched_key: 'k-linux-bbb' })
    expect(await get('k-linux-zzz', ['k-linux-'], 'v2')).toMatchObject({ ok: true, matched_key: 'k-linux-ccc' })
    expect(await get('k-linux-zzz', ['k-mac-'])).toEqual({ ok: false })
    expect((await twirp('CreateCacheEntry', { key: 'k-linux-aaa', version: 'v1' })).status).toBe(409)
    expect((await twirp('GetCacheEntryDownloadURL', { key: 'k-linux-aaa', version: 'v1' }, 'wrong')).status).toBe(401)
  })

  test('an entry is invisible until finalized', async () => {
    const created = await twirp('CreateCacheEntry', { key: 'pending-1', version: 'v1' })
    expect(created.json).toMatchObject({ ok: true })
    expect((await twirp('GetCacheEntryDownloadURL', { key: 'pending-1', version: 'v1' })).json).toEqual({ ok: false })
  })
})
