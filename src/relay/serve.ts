// One go request through the relay: the answer shared with every other go request for the same path
// (relay/share.ts), fetched by a race of upstream lanes (relay/race.ts); then go gets the winner's complete
// spool, or is told why nothing was delivered.
import type { ServerResponse } from 'node:http'
import { runRace } from './race.js'
import { newRequest, type ServeConfig } from './request.js'
import { Held, type Delivered } from './share.js'
import { finalReply } from './policy.js'

export type { ServeConfig } from './request.js'
export { rangeFits } from './lane.js'

export async function serve(
  cfg: ServeConfig,
  path: string,
  userAgent: string | undefined,
  res: ServerResponse
): Promise<void> {
  const gone = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) gone.abort(new Error('go closed the connection'))
  })
  const got = await cfg.sharing.get(path, gone.signal, (cancel) => fetchPath(cfg, path, userAgent, cancel))
  if (got.type === 'gone') return
  if (got.type === 'body') {
    const { spool, status, contentType } = got.body
    try {
      await spool.sendTo(res, status, contentType ? { 'content-type': contentType } : {})
    } finally {
      got.body.release()
    }
    return
  }
  const { reply } = got
  res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.text) })
  res.end(reply.text)
}

/** One race for `path`; `cancel` aborts when nobody waits for it any more. */
export async function fetchPath(
  cfg: ServeConfig,
  path: string,
  userAgent: string | undefined,
  cancel: AbortSignal
): Promise<Delivered> {
  const won = await runRace(newRequest(cfg, path, userAgent, cancel))
  if (won.type === 'gone') return won
  if (won.type === 'ok') {
    const { spool, status, contentType } = won.result
    return { type: 'body', body: new Held(spool, status, contentType) }
  }
  const reply = finalReply(
    path,
    cfg.pool.all.map((u) => ({ display: u.display, outcome: won.outcomes.get(u), tripped: u.tripped }))
  )
  return { type: 'reply', reply }
}
