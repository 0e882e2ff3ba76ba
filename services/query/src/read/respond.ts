import type { Request, Response } from 'express';
import type { ReadContext } from './context.js';
import type { Rendered } from './response-cache.js';

export type CacheClass = 'data' | 'live';

/** A data answer: the body after `as_of` and `stale`, and headers that come before Cache-Control. */
export interface Answer {
  body: object;
  headers?: Record<string, string>;
}

type EtagFn = (body: Buffer) => string | undefined;

/**
 * Renders a data answer with `as_of` and `stale` first, the stale header, and a Cache-Control
 * that fits it: current data may be cached briefly, as-of answers longer (they change only
 * when late events arrive), stale or live (changes, projections) answers must revalidate.
 * The bytes, headers and ETag are those `res.json` would send (the app's ETag function).
 */
export function render(req: Request, ctx: Pick<ReadContext, 'asOf' | 'stale'>, answer: Answer, options: { cache?: CacheClass; shared: boolean }): Rendered {
  const headers: [string, string][] = Object.entries(answer.headers ?? {});
  const scope = options.shared ? 'public' : 'private';
  if (ctx.stale) {
    headers.push(['X-Data-Stale', 'true'], ['Cache-Control', 'no-cache']);
  } else if (options.cache === 'live') {
    headers.push(['Cache-Control', `${scope}, no-cache`]);
  } else {
    headers.push(['Cache-Control', `${scope}, max-age=${ctx.asOf === null ? 5 : 60}`]);
  }
  const body = Buffer.from(JSON.stringify({ as_of: ctx.asOf, stale: ctx.stale, ...answer.body }), 'utf8');
  const etagFn = req.app.get('etag fn') as EtagFn | undefined;
  return { headers, body, etag: etagFn?.(body) ?? '' };
}

/** Sends a rendered answer; express answers If-None-Match with 304 and HEAD without a body. */
export function send(res: Response, rendered: Rendered): void {
  for (const [name, value] of rendered.headers) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(rendered.body.length));
  if (rendered.etag !== '') res.setHeader('ETag', rendered.etag);
  res.send(rendered.body);
}
