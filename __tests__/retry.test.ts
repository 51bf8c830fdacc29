import { describe, expect, it } from '@jest/globals'
import {
  backoffMs,
  classifyError,
  classifyStatus,
  FAST_RETRY_MS,
  fastRetryJitterMs,
  finalReply,
  isSlowFailure,
  isTransient,
  parseRetryAfter,
  planNext,
  RETRY_WINDOW,
  RetryBudget,
  retryWaitMs,
  type Failure,
  type Outcome,
  type TryState
} from '../src/relay/policy.js'
import { DEMOTION_TERM, UpstreamPool } from '../src/relay/breaker.js'

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
  const nf = (status = 404): Outcome => ({
    type: 'answer',
    answer: { status, contentType: 'text/plain', text: 'not found: x' }
  })
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
    new UpstreamPool(
      ['http://a', 'http://b', 'http://c'].map((url) => ({ url, display: url })),
      { tripAfter: 3, tripAfterIfAlive: 6 }
    )

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
    p.all[0].demote('silent')
    expect(p.order().map((u) => u.url)).toEqual(['http://b', 'http://c', 'http://a'])
    expect(p.stats()[0]).toMatchObject({ demoted: true, tripped: false })
    expect(p.allDown()).toBe(false)
    p.all[1].demote('silent')
    expect(p.order().map((u) => u.url)).toEqual(['http://c', 'http://a', 'http://b'])
  })

  it('reports the median time to first byte', () => {
    const [a] = pool().all
    for (const ms of [30, 10, 1000, 20]) a.answered(ms)
    expect(a.stats().latencyMs).toBe(25)
  })
})

describe('retryWaitMs (issue 11.4)', () => {
  const base = { slowRetries: 0, baseMs: 250, capMs: 8000 }
  const fast: Failure = { kind: 'http', status: 503, detail: 'HTTP 503' }
  const reset: Failure = { kind: 'reset', detail: 'ECONNRESET' }
  const timeout: Failure = { kind: 'first-byte-timeout', detail: 'timeout' }

  it('retries a fast failure at once on another upstream, after a short jitter on the same one', () => {
    expect(isSlowFailure(fast) || isSlowFailure(reset)).toBe(false)
    expect(retryWaitMs({ ...base, failure: fast, sameUpstream: false }, () => 0.99)).toBe(0)
    // Latency not known yet: between half the maximum and the maximum.
    expect(retryWaitMs({ ...base, failure: reset, sameUpstream: true }, () => 0)).toBe(FAST_RETRY_MS.max / 2)
    expect(retryWaitMs({ ...base, failure: reset, sameUpstream: true }, () => 0.999)).toBe(FAST_RETRY_MS.max - 1)
    // However many fast failures came before: no growth.
    expect(retryWaitMs({ ...base, slowRetries: 5, failure: fast, sameUpstream: true }, () => 0.999)).toBe(
      FAST_RETRY_MS.max - 1
    )
    expect(FAST_RETRY_MS.max).toBeLessThanOrEqual(100)
  })

  it("scales a fast failure's jitter with the upstream's round trip, within its bounds", () => {
    const same = { ...base, failure: fast, sameUpstream: true }
    // 5 ms to first byte: a ceiling of 2 round trips (10 ms), the wait in its upper half.
    expect(retryWaitMs({ ...same, latencyMs: 5 }, () => 0)).toBe(5)
    expect(retryWaitMs({ ...same, latencyMs: 5 }, () => 0.999)).toBe(9)
    expect(fastRetryJitterMs(5, () => 0.5)).toBe(7)
    // A proxy next door still waits a little; a distant one no more than the maximum.
    expect(retryWaitMs({ ...same, latencyMs: 0.2 }, () => 0)).toBe(FAST_RETRY_MS.min / 2)
    expect(retryWaitMs({ ...same, latencyMs: 400 }, () => 0.999)).toBe(FAST_RETRY_MS.max - 1)
    // Another upstream is still asked at once.
    expect(retryWaitMs({ ...same, sameUpstream: false, latencyMs: 3 }, () => 0.999)).toBe(0)
  })

  it('backs off exponentially after slow failures only', () => {
    for (const kind of ['first-byte-timeout', 'connect-timeout', 'stall'] as const)
      expect(isSlowFailure({ kind, detail: '' })).toBe(true)
    expect(retryWaitMs({ ...base, failure: timeout, sameUpstream: false }, () => 0.9999)).toBe(249)
    expect(retryWaitMs({ ...base, slowRetries: 3, failure: timeout, sameUpstream: false }, () => 0.9999)).toBe(1999)
  })

  it("honours the upstream's Retry-After, elsewhere too, however fast the failure", () => {
    const busy: Failure = { ...fast, retryAfterMs: 1500 }
    expect(retryWaitMs({ ...base, failure: busy, sameUpstream: true }, () => 0)).toBe(1500)
    expect(retryWaitMs({ ...base, failure: busy, sameUpstream: false }, () => 0)).toBe(1500)
  })
})

describe('RetryBudget (issue 11.4)', () => {
  const opts = { windowMs: 1000, extraCap: 3 }

  it('spends the configured count first, whatever the luck', () => {
    const b = new RetryBudget(2, 0, opts)
    expect(b.spend(0, false)).toBe(true)
    expect(b.spend(0, false)).toBe(true)
    expect(b.allows(0, false)).toBe(false)
  })

  it('goes on past the count only for bad luck (the upstream delivered meanwhile), within the window and the cap', () => {
    const b = new RetryBudget(0, 0, opts)
    expect(b.allows(10, false)).toBe(false)
    expect(b.spend(10, true)).toBe(true)
    expect(b.spend(20, true)).toBe(true)
    expect(b.allows(1000, true)).toBe(false) // the window is over
    expect(b.spend(30, true)).toBe(true)
    expect(b.spend(40, true)).toBe(false) // the cap
  })

  it('keeps a window that makes a failed request at one failure in three very unlikely', () => {
    expect((1 / 3) ** (RETRY_WINDOW.extraCap + 1)).toBeLessThan(1e-6)
    expect(RETRY_WINDOW.windowMs).toBeGreaterThanOrEqual(10_000)
  })
})

describe('demotion expiry and last-resort trips (issue 11.4)', () => {
  const pool = (): UpstreamPool => new UpstreamPool(['http://a', 'http://b'].map((url) => ({ url, display: url })))

  it('a demotion expires after DEMOTION_TERM deliveries elsewhere; a second one in a row lasts twice as long', () => {
    const p = pool()
    const [a, b] = p.all
    a.demote('silent')
    expect(p.order().map((u) => u.url)).toEqual(['http://b', 'http://a'])
    for (let i = 0; i < DEMOTION_TERM - 1; i++) p.delivered(b)
    expect(a.demoted).toBe(true)
    p.delivered(b)
    expect(a.demoted).toBe(false)
    expect(p.order().map((u) => u.url)).toEqual(['http://a', 'http://b'])
    a.demote('silent')
    for (let i = 0; i < DEMOTION_TERM; i++) p.delivered(b)
    expect(a.demoted).toBe(true)
    for (let i = 0; i < DEMOTION_TERM; i++) p.delivered(b)
    expect(a.demoted).toBe(false)
  })

  it('a body that stalled mid-way is a real fault: that demotion lasts until the upstream delivers again', () => {
    const p = pool()
    const [a, b] = p.all
    a.demote('stalled')
    for (let i = 0; i < 4 * DEMOTION_TERM; i++) p.delivered(b)
    expect(a.demoted).toBe(true)
    p.delivered(a)
    expect(a.demoted).toBe(false)
  })

  it('delivering promotes at once and clears the streak', () => {
    const p = pool()
    const [a, b] = p.all
    a.demote('silent')
    p.delivered(a)
    expect(a.demoted).toBe(false)
    expect(a.deliveries).toBe(1)
    a.demote('silent')
    for (let i = 0; i < DEMOTION_TERM; i++) p.delivered(b)
    expect(a.demoted).toBe(false) // the first term again, not a doubled one
  })

  it('a timeout trips an upstream only when it is a last resort among last resorts', () => {
    const p = pool()
    const [a, b] = p.all
    p.setHealthy('http://a', false)
    p.timedOut(a)
    expect(a.tripped).toBe(false) // b may still serve
    p.setHealthy('http://b', false)
    p.timedOut(a)
    expect(a.tripped).toBe(true)
    p.timedOut(b)
    expect(p.allDown()).toBe(true)
  })
})
