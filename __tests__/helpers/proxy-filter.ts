// The filtering-mirror mode of the fixture proxy: an enterprise allow-list mirror that refuses module
// requests outside its allow list with 403 (or 400) and a short text/plain body, as such mirrors answer.
import { unescapeModulePath } from './modzip.js'

export interface ProxyFilter {
  /** Module paths served: a string matches as a path prefix (equal, or followed by `/`); a RegExp is tested on the unescaped module path. */
  allow: Array<string | RegExp>
  /** Status for a refused module request. Default 403. */
  status?: 400 | 403
  /** text/plain body. Default `module host not permitted\n` (400) or `this module version is not available\n` (403). */
  body?: string
}

const DEFAULT_BODY: Record<400 | 403, string> = {
  400: 'module host not permitted\n',
  403: 'this module version is not available\n'
}

/** The unescaped module path of a module request (`<mod>/@v/...` or `<mod>/@latest`, no leading base path), else undefined. */
export function moduleOfRequest(path: string): string | undefined {
  const m = /^\/(.+?)\/(?:@latest$|@v\/)/.exec(path)
  if (!m) return undefined
  return unescapeModulePath(m[1]) ?? undefined
}

export function allowed(filter: ProxyFilter, modPath: string): boolean {
  return filter.allow.some((a) => {
    if (typeof a === 'string') return modPath === a || modPath.startsWith(a.replace(/\/+$/, '') + '/')
    a.lastIndex = 0 // a /g or /y RegExp keeps state between tests
    return a.test(modPath)
  })
}

/** The refusal for this request path, or undefined when it is served as usual (allowed, or not a module request). */
export function refusal(filter: ProxyFilter | undefined, path: string): { status: number; body: string } | undefined {
  if (!filter) return undefined
  const mod = moduleOfRequest(path)
  if (mod === undefined || allowed(filter, mod)) return undefined
  const status = filter.status ?? 403
  return { status, body: filter.body ?? DEFAULT_BODY[status] }
}
