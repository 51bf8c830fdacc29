import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { coveredBy, matchPrefixPatterns, pathMatch, securityReview, type SecurityInput } from '../src/config/review.js'
import { parseProxyList } from '../src/config/proxylist.js'
import { makeGoEnv, makeTempDir, runGo } from './helpers/gotest-env.js'

const SAFE: SecurityInput = {
  GOSUMDB: 'sum.example.com',
  GONOSUMDB: 'git.corp.example.com',
  GOPRIVATE: 'git.corp.example.com,*.internal.example.com',
  GOINSECURE: '',
  GOFLAGS: '-mod=mod',
  proxies: parseProxyList('https://proxy.example.com,direct'),
  netrcHosts: []
}

const titles = (s: Partial<SecurityInput>): string[] => securityReview({ ...SAFE, ...s }).map((f) => f.title)

describe('securityReview', () => {
  it('finds nothing in a safe configuration', () => {
    expect(securityReview(SAFE)).toEqual([])
  })

  it('flags GOSUMDB=off, GOINSECURE and -insecure in GOFLAGS', () => {
    expect(titles({ GOSUMDB: 'off' })).toEqual(['Checksum database disabled'])
    expect(titles({ GOINSECURE: 'git.corp.example.com' })).toEqual(['Insecure module fetches allowed'])
    expect(titles({ GOFLAGS: '-mod=mod -insecure' })).toEqual(['GOFLAGS contains -insecure'])
    expect(titles({ GOFLAGS: '--insecure=true' })).toEqual(['GOFLAGS contains -insecure'])
    expect(titles({ GOFLAGS: '-insecure=false -modcacherw' })).toEqual([])
  })

  it('flags GONOSUMDB patterns that GOPRIVATE does not cover, naming them', () => {
    const f = securityReview({ ...SAFE, GONOSUMDB: 'git.corp.example.com/team,*.example.com,a.internal.example.com' })
    expect(f.map((x) => x.title)).toEqual(['GONOSUMDB broader than GOPRIVATE'])
    expect(f[0].message).toContain('*.example.com')
    expect(f[0].message).not.toContain('team')
    expect(titles({ GOPRIVATE: '', GONOSUMDB: 'example.com/x' })).toEqual(['GONOSUMDB broader than GOPRIVATE'])
  })

  it('flags credentials over plain http to a non-loopback host, from the URL (go never sends netrc over http), redacted', () => {
    const f = securityReview({
      ...SAFE,
      proxies: parseProxyList('http://bot:hunter2pass@mirror.example.com/go,direct')
    })
    expect(f.map((x) => x.title)).toEqual(['Credentials over plain http'])
    expect(f[0].message).toContain('http://***@mirror.example.com/go')
    expect(f[0].message).not.toContain('hunter2pass')
    // netrc credentials never go over plain http (see netrc.test.ts, settled against real go): nothing to flag.
    expect(
      titles({ proxies: parseProxyList('http://mirror.example.com'), netrcHosts: ['mirror.example.com'] })
    ).toEqual([])
    expect(titles({ proxies: parseProxyList('http://bot:pw@127.0.0.1:8080') })).toEqual([])
    expect(titles({ proxies: parseProxyList('https://bot:pw@mirror.example.com') })).toEqual([])
  })

  it('flags a private proxy failing over to a public one while GOPRIVATE is empty', () => {
    const proxies = parseProxyList('https://bot:pw@goproxy.corp.example.com|https://proxy.example.com,direct')
    expect(titles({ GOPRIVATE: '', GONOSUMDB: '', proxies })).toEqual(['Private proxy fails over to a public one'])
    const viaNetrc = parseProxyList('https://goproxy.corp.example.com,https://proxy.example.com')
    const f = securityReview({
      ...SAFE,
      GOPRIVATE: '',
      GONOSUMDB: '',
      proxies: viaNetrc,
      netrcHosts: ['goproxy.corp.example.com']
    })
    expect(f.map((x) => x.title)).toEqual(['Private proxy fails over to a public one'])
    expect(f[0].message).toContain('https://goproxy.corp.example.com')
    expect(f[0].message).toContain('`goprivate`')
    // Not with GOPRIVATE set, nor when the public proxy comes first, nor with only private proxies.
    expect(titles({ proxies })).toEqual([])
    expect(
      titles({
        GOPRIVATE: '',
        GONOSUMDB: '',
        proxies: parseProxyList('https://proxy.example.com,https://bot:pw@goproxy.corp.example.com')
      })
    ).toEqual([])
    expect(
      titles({
        GOPRIVATE: '',
        GONOSUMDB: '',
        proxies: parseProxyList('https://bot:pw@goproxy.corp.example.com,direct')
      })
    ).toEqual([])
  })
})

describe('GOPRIVATE pattern coverage', () => {
  it.each([
    ['git.corp.example.com', 'git.corp.example.com', true],
    ['git.corp.example.com/team', 'git.corp.example.com', true],
    ['git.corp.example.com', '*.corp.example.com', true],
    ['*.corp.example.com', '*.corp.example.com', true],
    ['*.example.com', '*.corp.example.com', false],
    ['example.com', 'example.com/*', false],
    ['example.com/*', 'example.com', true],
    ['a*.example.com', '*.example.com', true],
    ['[ab].example.com', '[ab].example.com', true],
    ['x.example.com', '', false],
    ['x.example.com/', 'x.example.com/', true]
  ])('%p covered by GOPRIVATE=%p: %p', (p, goprivate, want) => {
    expect(coveredBy(p, goprivate)).toBe(want)
  })
})

// The glob semantics are go's own: the same cases through real go's path.Match and MatchPrefixPatterns loop.
const GO_MATCH = `package main

import (
	"os"
	"path"
	"strings"
)

func matchPrefixPatterns(globs, target string) bool {
	for _, glob := range strings.Split(globs, ",") {
		glob = strings.TrimSuffix(strings.TrimSpace(glob), "/")
		if glob == "" {
			continue
		}
		n := strings.Count(glob, "/")
		prefix := target
		for i := 0; i < len(target); i++ {
			if target[i] == '/' {
				if n == 0 {
					prefix = target[:i]
					break
				}
				n--
			}
		}
		if n > 0 {
			continue
		}
		if ok, _ := path.Match(glob, prefix); ok {
			return true
		}
	}
	return false
}

func main() {
	data, err := os.ReadFile("cases.txt")
	if err != nil {
		panic(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\\n"), "\\n") {
		c := strings.Split(line, "\\t")
		ok := false
		if c[0] == "match" {
			ok, _ = path.Match(c[1], c[2])
		} else {
			ok = matchPrefixPatterns(c[1], c[2])
		}
		if ok {
			os.Stdout.WriteString("true\\n")
		} else {
			os.Stdout.WriteString("false\\n")
		}
	}
}
`

describe('glob semantics match go', () => {
  it('pathMatch and matchPrefixPatterns agree with real go on a table of cases', async () => {
    const cases: Array<[string, string, string]> = [
      ['match', '*.corp.example.com', 'git.corp.example.com'],
      ['match', '*', 'a/b'],
      ['match', 'a?c', 'abc'],
      ['match', 'a?c', 'a/c'],
      ['match', '[a-c]x', 'bx'],
      ['match', '[^a-c]x', 'dx'],
      ['match', '[^a-c]x', 'ax'],
      ['match', '[\\]]x', ']x'],
      ['match', '[a\\-c]x', '-x'],
      ['match', '[a\\-c]x', 'bx'],
      ['match', 'a\\*b', 'a*b'],
      ['match', 'a\\*b', 'axb'],
      ['match', '[', 'a'],
      ['match', 'a.b', 'axb'],
      ['match', '*.(x)', 'q.(x)'],
      ['prefix', 'example.com/private', 'example.com/private/sub/pkg'],
      ['prefix', 'example.com/private', 'example.com/privateer'],
      ['prefix', '*.corp.example.com,other.example.com', 'git.corp.example.com/team/repo'],
      ['prefix', 'example.com/*/internal', 'example.com/x/internal/y'],
      ['prefix', 'example.com/*/internal', 'example.com/x'],
      ['prefix', ' ,example.com/ ', 'example.com/x'],
      ['prefix', '', 'example.com']
    ]
    const dir = makeTempDir('gtg-glob-')
    writeFileSync(join(dir, 'go.mod'), 'module example.com/globcheck\n\ngo 1.21\n')
    writeFileSync(join(dir, 'main.go'), GO_MATCH)
    writeFileSync(join(dir, 'cases.txt'), cases.map((c) => c.join('\t') + '\n').join(''))
    const env = makeGoEnv('off').env
    const r = await runGo(['run', '.'], { cwd: dir, env: { ...env, GOFLAGS: '' }, timeoutMs: 120_000 })
    expect(r.stderr).toBe('')
    const want = r.stdout
      .trim()
      .split('\n')
      .map((l) => l === 'true')
    expect(want).toHaveLength(cases.length)
    expect(new Set(want)).toEqual(new Set([true, false]))
    const got = cases.map(([kind, a, b]) => (kind === 'match' ? pathMatch(a, b) : matchPrefixPatterns(a, b)))
    expect(got).toEqual(want)
  })
})
