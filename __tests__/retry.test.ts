import { describe, expect, it } from '@jest/globals'
import {
  backoffMs,
  classifyError,
  classifyStatus,
  finalReply,
  isTransient,
  parseRetryAfter,
  planNext,
  type Outcome,
  type TryState
} from '../src/retry.js'
import { UpstreamPool } from '../src/breaker.js'

function err(code: string, message = 'boom', cause?: unknown): Error {
  return Object.assign(new Error(message), { code, cause })
}

describe('classifyStatus', () => {
  it('separates success, not found, auth, transient and permanent answers', () => {
    expect(classifyStatus(200)).toBe('ok')
    expect(classifyStatus(206)).toBe('ok')
    expect(classifyStatus(404)).toBe('not-found')
    expect(classifyStatus(410)).toBe('not-found')
    expect(classifyStatus(401)).toBe('denied')
    expect(classifyStatus(403)).toBe('denied')
    expect(classifyStatus(429)).toBe('transient')
    for (const s of [500, 502, 503, 504]) expect(classifyStatus(s)).toBe('transient')
    for (const s of [400, 405, 416, 501]) expect(classifyStatus(s)).toBe('rejected')
  })
})

describe('classifyError / isTransient', () => {
  const cases: Array<[unknown, string, boolean]> = [
    [err('ECONNREFUSED'), 'connect', true],
    [err('ECONNRESET'), 'reset', true],
    [err('UND_ERR_SOCKET', 'other side closed'), 'reset', true],
    [err('UND_ERR_CONNECT_TIMEOUT'), 'connect-timeout', true],
    [err('UND_ERR_HEADERS_TIMEOUT'), 'first-byte-timeout', true],
    [err('UND_ERR_BODY_TIMEOUT'), 'stall', true],
    [err('HPE_INVALID_CONSTANT'), 'protocol', true],
    [err('ENOTFOUND', 'getaddrinfo ENOTFOUND proxy.invalid'), 'dns', false],
    [err('EAI_AGAIN'), 'dns', true],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 'tls', false],
    [err('SELF_SIGNED_CERT_IN_CHAIN'), 'tls', false],
    [new Error('something odd'), 'other', false]
  ]
  it.each(cases)('%p -> %s (transient %p)', (e, kind, transient) => {
    const f = classifyError(e)
    expect(f.kind).toBe(kind)
    expect(isTransient(f)).toBe(transient)
  })

  it('looks through undici wrappers to the socket error', () => {
    const wrapped = err('UND_ERR', 'fetch failed', err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'))
    expect(classifyError(wrapped).kind).toBe('connect')
  })

  it('treats 429 and 5xx answers as transient, other statuses not', () => {
    expect(isTransient({ kind: 'http', status: 503, detail: '' })).toBe(true)
    expect(isTransient({ kind: 'http', status: 429, detail: '' })).toBe(true)
    expect(isTransient({ kind: 'http', status: 501, detail: '' })).toBe(false)
    expect(isTransient({ kind: 'resume', detail: '' })).toBe(false)
  })
})

describe('backoffMs', () => {
  it('grows exponentially, is capped, and spans [0, ceiling) with full jitter', () => {
    expect(backoffMs(0, 100, 5000, () => 0)).toBe(0)
    expect(backoffMs(0, 100, 5000, () => 0.999999)).toBe(99)
    expect(backoffMs(3, 100, 5000, () => 0.999999)).toBe(799)
    expect(backoffMs(10, 100, 5000, () => 0.999999)).toBe(4999)
    expect(backoffMs(1000, 100, 5000, () => 0.5)).toBe(2500)
  })

  it('stays within bounds for real randomness', () => {
    for (let retry = 0; retry < 12; retry++) {
      for (let i = 0; i < 200; i++) {
        const ms = backoffMs(retry, 50, 2000)
        expect(ms).toBeGreaterThanOrEqual(0)
        expect(ms).toBeLessThan(Math.min(2000, 50 * 2 ** retry))
      }
    }
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, capped, and ignores garbage', () => {
    expect(parseRetryAfter('2', 10_000)).toBe(2000)
    expect(parseRetryAfter('120', 10_000)).toBe(10_000)
    const now = Date.parse('2024-01-01T00:00:00Z')
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:03 GMT', 10_000, now)).toBe(3000)
    expect(parseRetryAfter('Sun, 31 Dec 2023 00:00:00 GMT', 10_000, now)).toBe(0)
    expect(parseRetryAfter('soon', 10_000)).toBeUndefined()
    expect(parseRetryAfter(undefined, 10_000)).toBeUndefined()
  })
})

describe('planNext', () => {
  const order = ['a', 'b', 'c']
  it('fails over to every untried upstream before spending retries', () => {
    const tries = new Map<string, TryState>()
    expect(planNext(order, tries, 0)).toEqual({ upstream: 'a', retry: false })
    tries.set('a', { attempts: 1, retryable: true })
    expect(planNext(order, tries, 0)).toEqual({ upstream: 'b', retry: false })
    tries.set('b', { attempts: 1, retryable: false })
    tries.set('c', { attempts: 1, retryable: true })
    expect(planNext(order, tries, 0)).toBeUndefined()
  })

  it('retries the least-tried retryable upstream, preferring earlier ones, until the cap', () => {
    const tries = new Map<string, TryState>([
      ['a', { attempts: 1, retryable: true }],
      ['b', { attempts: 1, retryable: true }],
      ['c', { attempts: 1, retryable: false }]
    ])
    const seen: string[] = []
    let left = 4
    for (;;) {
      const next = planNext(order, tries, left)
      if (!next) break
      expect(next.retry).toBe(true)
      left--
      seen.push(next.upstream)
      tries.get(next.upstream)!.attempts++
    }
    expect(seen).toEqual(['a', 'b', 'a', 'b'])
  })

  it('stops when nothing is retryable', () => {
    const tries = new Map<string, TryState>([['a', { attempts: 1, retryable: false }]])
    expect(planNext(['a'], tries, 5)).toBeUndefined()
  })
})

describe('finalReply', () => {
  const nf = (status = 404): Outcome => ({ type: 'answer', answer: { status, contentType: 'text/plain', text: 'not found: x' } })
  const down: Outcome = { type: 'failure', failure: { kind: 'connect', detail: 'ECONNREFUSED: refused' } }

  it('answers not found only when every counted upstream said so', () => {
    const r = finalReply('/m/@v/list', [
      { display: 'http://a', outcome: nf(), tripped: false },
      { display: 'http://b', outcome: nf(410), tripped: false }
    ])
    expect(r.status).toBe(404)
    expect(r.text).toBe('not found: x')
    const mixed = finalReply('/m/@v/list', [
      { display: 'http://a', outcome: nf(), tripped: false },
      { display: 'http://b', outcome: down, tripped: false }
    ])
    expect(mixed.status).toBe(502)
    expect(mixed.text).toContain('http://a: HTTP 404')
    expect(mixed.text).toContain('http://b: ECONNREFUSED')
  })

  it('passes an auth refusal through when all upstreams answered definitively', () => {
    const r = finalReply('/m/@v/list', [
      { display: 'http://a', outcome: nf(), tripped: false },
      { display: 'http://b', outcome: { type: 'answer', answer: { status: 403, text: 'forbidden' } }, tripped: false }
    ])
    expect(r.status).toBe(403)
  })

  it('ignores tripped upstreams for not found, but names them in a 502', () => {
    const r = finalReply('/m/@v/list', [
      { display: 'http://a', outcome: down, tripped: true },
      { display: 'http://b', outcome: nf(), tripped: false }
    ])
    expect(r.status).toBe(404)
    const none = finalReply('/m/@v/list', [
      { display: 'http://a', tripped: true },
      { display: 'http://b', outcome: down, tripped: true }
    ])
    expect(none.status).toBe(502)
    expect(none.text).toContain('http://a: not tried (circuit open')
    expect(none.text).toContain('http://b: ECONNREFUSED: refused (circuit open')
  })
})

describe('UpstreamPool (circuit breaker)', () => {
  const pool = (): UpstreamPool =>
    new UpstreamPool(['http://a', 'http://b', 'http://c'].map((url) => ({ url, display: url })), { tripAfter: 3, tripAfterIfAlive: 6 })

  it('trips an upstream that never answered after 3 consecutive failures, and takes it out of the order', () => {
    const p = pool()
    const [a] = p.all
    a.failed()
    a.failed()
    expect(a.tripped).toBe(false)
    a.failed()
    expect(a.tripped).toBe(true)
    expect(p.order().map((u) => u.url)).toEqual(['http://b', 'http://c'])
    expect(p.stats()[0]).toMatchObject({ upstream: 'http://a', failures: 3, tripped: true })
  })

  it('gives an upstream that has answered a longer streak, and any answer resets it', () => {
    const [a] = pool().all
    a.answered(10)
    for (let i = 0; i < 5; i++) a.failed()
    a.answered()
    for (let i = 0; i < 5; i++) a.failed()
    expect(a.tripped).toBe(false)
    a.failed()
    expect(a.tripped).toBe(true)
  })

  it('orders healthy, then unknown; unhealthy only as a last resort; allDown when every one is tripped or unhealthy', () => {
    const p = pool()
    p.setHealthy('http://c', true)
    p.setHealthy('http://a', false)
    expect(p.order().map((u) => u.url)).toEqual(['http://c', 'http://b'])
    expect(p.allDown()).toBe(false)
    for (let i = 0; i < 3; i++) p.all[1].failed()
    p.setHealthy('http://c', false)
    // Nothing preflight calls healthy is left in service: the broken ones are tried after all.
    expect(p.order().map((u) => u.url)).toEqual(['http://a', 'http://c'])
    expect(p.allDown()).toBe(true)
  })

  it('puts demoted upstreams behind the others still usable, without taking them out of service', () => {
    const p = pool()
    p.setHealthy('http://a', true)
    p.setHealthy('http://b', true)
    p.all[0].demoted = true
    expect(p.order().map((u) => u.url)).toEqual(['http://b', 'http://c', 'http://a'])
    expect(p.stats()[0]).toMatchObject({ demoted: true, tripped: false })
    expect(p.allDown()).toBe(false)
    p.all[1].demoted = true
    expect(p.order().map((u) => u.url)).toEqual(['http://c', 'http://a', 'http://b'])
  })

  it('reports the median time to first byte', () => {
    const [a] = pool().all
    for (const ms of [30, 10, 1000, 20]) a.answered(ms)
    expect(a.stats().latencyMs).toBe(25)
  })
})
