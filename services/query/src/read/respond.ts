import { constants, gzipSync } from 'node:zlib';
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

/** Bodies at least this long are sent gzip-compressed to clients that accept it. */
export const COMPRESS_FROM_BYTES = 1024;

/** gzip form of each rendered body, made once: a kept answer is compressed for its first gzip client only. */
const gzipped = new WeakMap<Rendered, Buffer>();

function gzipOf(rendered: Rendered): Buffer {
  let body = gzipped.get(rendered);
  if (body === undefined) {
    body = gzipSync(rendered.body, { level: constants.Z_DEFAULT_COMPRESSION });
    gzipped.set(rendered, body);
  }
  return body;
}

/**
 * Sends a rendered answer; express answers If-None-Match with 304 and HEAD without a body.
 * A body of COMPRESS_FROM_BYTES or more goes gzip-compressed when the request accepts gzip
 * (browsers and dashboard clients do): a weekly attack series is 200 kB of JSON and about a
 * tenth of that compressed. The ETag is the uncompressed body's weak ETag for both forms.
 */
export function send(res: Response, rendered: Rendered): void {
  for (const [name, value] of rendered.headers) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  let body = rendered.body;
  if (body.length >= COMPRESS_FROM_BYTES) {
    res.vary('Accept-Encoding');
    if (res.req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      body = gzipOf(rendered);
      res.setHeader('Content-Encoding', 'gzip');
    }
  }
  res.setHeader('Content-Length', String(body.length));
  if (rendered.etag !== '') res.setHeader('ETag', rendered.etag);
  res.send(body);
}
