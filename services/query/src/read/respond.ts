import type { Response } from 'express';
import type { ReadContext } from './context.js';

export type CacheClass = 'data' | 'live';

/**
 * Sends a data answer with `as_of` and `stale` first, the stale header, and a Cache-Control
 * that fits it: current data may be cached briefly, as-of answers longer (they change only
 * when late events arrive), stale or live (changes, projections) answers must revalidate.
 * Express adds the ETag and answers If-None-Match with 304.
 */
export function sendRead(res: Response, ctx: Pick<ReadContext, 'asOf' | 'stale'>, body: object, options: { cache?: CacheClass; shared: boolean }): void {
  const scope = options.shared ? 'public' : 'private';
  if (ctx.stale) {
    res.setHeader('X-Data-Stale', 'true');
    res.setHeader('Cache-Control', 'no-cache');
  } else if (options.cache === 'live') {
    res.setHeader('Cache-Control', `${scope}, no-cache`);
  } else {
    res.setHeader('Cache-Control', `${scope}, max-age=${ctx.asOf === null ? 5 : 60}`);
  }
  res.json({ as_of: ctx.asOf, stale: ctx.stale, ...body });
}
