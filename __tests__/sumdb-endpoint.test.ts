// The checksum database route rules (go's dbDial/initBase + TryProxies), given each proxy's answer
// to /sumdb/<name>/supported.
import { describe, expect, test } from '@jest/globals'
import { parseProxyList } from '../src/config/proxylist.js'
import {
  joinUrl,
  parseGosumdb,
  resolveSumdbRoute,
  supportedUrl,
  type SupportedAnswer
} from '../src/preflight/sumdb-route.js'
import type { ProxyEntry } from '../src/types.js'

const NAME = 'sum.example.invalid'

describe('parseGosumdb', () => {
  test('off, name, name+key and name+key url', () => {
    expect(parseGosumdb('off')).toBeUndefined()
    expect(parseGosumdb(NAME)).toEqual({ name: NAME, key: NAME })
    expect(parseGosumdb(`${NAME}+1a2b3c4d+AbCd`)).toEqual({ name: NAME, key: `${NAME}+1a2b3c4d+AbCd` })
    expect(parseGosumdb(`${NAME}/sub+1a2b3c4d+AbCd  https://mirror.test/db `)).toEqual({
      name: `${NAME}/sub`,
      key: `${NAME}/sub+1a2b3c4d+AbCd`,
      url: 'https://mirror.test/db'
    })
  })

  test('invalid values name GOSUMDB and the accepted forms', () => {
    for (const bad of ['', 'a b c', 'https://sum.example.invalid', `${NAME}/`, `u@${NAME}`, `${NAME}+k not-a-url`]) {
      expect(() => parseGosumdb(bad)).toThrow(/GOSUMDB.*accepted forms/)
    }
  })
})

describe('URLs', () => {
  test('joined with exactly one slash, credentials kept for the request', () => {
    expect(supportedUrl('https://u:p@mirror.test/go/', NAME)).toBe(`https://u:p@mirror.test/go/sumdb/${NAME}/supported`)
    expect(joinUrl('http://127.0.0.1:8080', 'latest')).toBe('http://127.0.0.1:8080/latest')
  })
})

describe('resolveSumdbRoute', () => {
  type A = SupportedAnswer & { id: string }
  const cfg = { name: NAME, key: NAME }
  // answers by proxy host; records which proxies were consulted, in order
  const decide = async (goproxy: string, answers: Record<string, A['answer']>) => {
    const asked: string[] = []
    const route = await resolveSumdbRoute<A>(cfg, parseProxyList(goproxy), async (e: ProxyEntry) => {
      const host = new URL(e.url).hostname
      asked.push(host)
      return { answer: answers[host], id: host }
    })
    const summary =
      route.via === 'proxy' || route.via === 'unavailable'
        ? `${route.via}:${new URL(route.entry.url).hostname}`
        : route.via
    return { summary, asked, route }
  }

  test('an explicit URL wins and asks no proxy', async () => {
    const asked: string[] = []
    const route = await resolveSumdbRoute(
      { ...cfg, url: 'https://mirror.test/db' },
      parseProxyList('https://a.test'),
      async (e) => {
        asked.push(e.url)
        return { answer: 'supported' }
      }
    )
    expect(route).toEqual({ via: 'explicit', base: 'https://mirror.test/db' })
    expect(asked).toEqual([])
  })

  test('the first proxy answering 200 is used, at <proxy>/sumdb/<name>', async () => {
    const { summary, asked, route } = await decide('https://a.test,https://b.test/p,https://c.test', {
      'a.test': 'not-found',
      'b.test': 'supported',
      'c.test': 'supported'
    })
    expect(summary).toBe('proxy:b.test')
    expect(asked).toEqual(['a.test', 'b.test'])
    expect(route.via === 'proxy' && route.base).toBe(`https://b.test/p/sumdb/${NAME}`)
  })

  test('404/410 everywhere, or an empty list, goes direct to https://<name>', async () => {
    const { summary, route } = await decide('https://a.test|https://b.test', {
      'a.test': 'not-found',
      'b.test': 'not-found'
    })
    expect(summary).toBe('direct')
    expect(route.via === 'direct' && route.base).toBe(`https://${NAME}`)
    expect((await resolveSumdbRoute(cfg, [], async () => ({ answer: 'error' }))).via).toBe('direct')
  })

  test("an error after ',' stops: the database is unavailable", async () => {
    const { summary, asked } = await decide('https://a.test,https://b.test', {
      'a.test': 'error',
      'b.test': 'supported'
    })
    expect(summary).toBe('unavailable:a.test')
    expect(asked).toEqual(['a.test'])
  })

  test("an error after '|' moves on", async () => {
    expect((await decide('https://a.test|https://b.test', { 'a.test': 'error', 'b.test': 'supported' })).summary).toBe(
      'proxy:b.test'
    )
    // the last error ranks above later not-founds
    expect((await decide('https://a.test|https://b.test', { 'a.test': 'error', 'b.test': 'not-found' })).summary).toBe(
      'unavailable:a.test'
    )
    expect((await decide('https://a.test|https://b.test', { 'a.test': 'error', 'b.test': 'error' })).summary).toBe(
      'unavailable:b.test'
    )
  })

  test("'direct' ends the list and outranks errors; 'off' ends it without", async () => {
    const viaDirect = await decide('https://a.test|direct', { 'a.test': 'error' })
    expect(viaDirect.summary).toBe('direct')
    const afterDirect = await decide('direct', {})
    expect(afterDirect.asked).toEqual([])
    expect(afterDirect.summary).toBe('direct')
    expect((await decide('https://a.test|off', { 'a.test': 'error' })).summary).toBe('unavailable:a.test')
    expect((await decide('https://a.test,off', { 'a.test': 'not-found' })).summary).toBe('direct')
  })
})
