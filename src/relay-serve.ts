// One go request through the relay: run the race of upstream lanes (relay-hedge.ts), then answer go from
// the winner's complete spool, or tell go why nothing was delivered.
import type { ServerResponse } from 'node:http'
import { runRace } from './relay-hedge.js'
import type { RequestState, ServeConfig } from './relay-lane.js'
import { finalReply } from './retry.js'

export type { ServeConfig } from './relay-lane.js'
export { rangeFits } from './relay-lane.js'

export async function serve(cfg: ServeConfig, path: string, userAgent: string | undefined, res: ServerResponse): Promise<void> {
  const req: RequestState = { cfg, path, retriesLeft: cfg.retries, retryNo: 0, cancel: new AbortController(), userAgent }
  res.once('close', () => {
    if (!res.writableFinished) req.cancel.abort(new Error('go closed the connection'))
  })
  const won = await runRace(req)
  if (won.type === 'gone') return
  if (won.type === 'ok') {
    const { spool, status, contentType } = won.result
    try {
      await spool.sendTo(res, status, contentType ? { 'content-type': contentType } : {})
    } finally {
      await spool.dispose()
    }
    return
  }
  const reply = finalReply(
    path,
    cfg.pool.all.map((u) => ({ display: u.display, outcome: won.outcomes.get(u), tripped: u.tripped }))
  )
  res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.text) })
  res.end(reply.text)
}
