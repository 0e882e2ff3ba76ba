import { brotliCompress, constants, gzipSync } from 'node:zlib';
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

/** Bodies at least this long are sent compressed to clients that accept gzip or brotli. */
export const COMPRESS_FROM_BYTES = 1024;

/**
 * Kept answers at least this long also get a brotli form (quality 11: a weekly attack series
 * a third smaller than gzip's), made off the event loop from an answer's second sending on
 * (only kept answers are sent twice) and sent once ready; gzip until then. Below this size the
 * gain is a few hundred bytes and not worth the compression time.
 */
export const BROTLI_FROM_BYTES = 16 * 1024;

/**
 * One compression at a time, each followed by a pause of this many times its duration: brotli
 * takes at most a tenth of one thread, however often new generations of the read models make
 * new answers (quality 11 costs 0.1–0.5 s for a 200 kB series).
 */
const BROTLI_PAUSE = 9;
let brotliFreeAt = 0;

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

/** brotli form of a big answer: `sent` once sent to a brotli client, `pending` while compressing, then the bytes (or `failed`). */
const brotli = new WeakMap<Rendered, Buffer | 'sent' | 'pending' | 'failed'>();

/** The brotli form if ready; else starts making it when this answer was sent before (it is kept) and no other is being made. */
function brotliOf(rendered: Rendered): Buffer | undefined {
  const state = brotli.get(rendered);
  if (state instanceof Buffer) return state;
  if (state === undefined) brotli.set(rendered, 'sent');
  else if (state === 'sent' && performance.now() >= brotliFreeAt) {
    brotli.set(rendered, 'pending');
    brotliFreeAt = Infinity;
    const started = performance.now();
    const params = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: rendered.body.length };
    brotliCompress(rendered.body, { params }, (error, body) => {
      const now = performance.now();
      brotliFreeAt = now + BROTLI_PAUSE * (now - started);
      brotli.set(rendered, error === null ? body : 'failed');
    });
  }
  return undefined;
}

/**
 * Whether an Accept-Encoding takes brotli at least as gladly as gzip. (Browsers send
 * `gzip, deflate, br, zstd`: equal weights, where content negotiation would pick the first.)
 */
export function prefersBrotli(header: string | undefined): boolean {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name !== '' && Number.isFinite(weight)) weights.set(name, weight);
  }
  const of = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  return of('br') > 0 && of('br') >= of('gzip');
}

/**
 * Sends a rendered answer; express answers If-None-Match with 304 and HEAD without a body.
 * A body of COMPRESS_FROM_BYTES or more goes compressed when the request accepts it (browsers
 * and dashboard clients do): a weekly attack series of two years is 206 kB of JSON, 25 kB with
 * gzip and 16 kB with brotli (BROTLI_FROM_BYTES). The ETag is the uncompressed body's weak ETag
 * for every form.
 */
export function send(res: Response, rendered: Rendered): void {
  for (const [name, value] of rendered.headers) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  let body = rendered.body;
  if (body.length >= COMPRESS_FROM_BYTES) {
    res.vary('Accept-Encoding');
    const packed = body.length >= BROTLI_FROM_BYTES && prefersBrotli(res.req.headers['accept-encoding']) ? brotliOf(rendered) : undefined;
    if (packed !== undefined) {
      body = packed;
      res.setHeader('Content-Encoding', 'br');
    } else if (res.req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      body = gzipOf(rendered);
      res.setHeader('Content-Encoding', 'gzip');
    }
  }
  res.setHeader('Content-Length', String(body.length));
  if (rendered.etag !== '') res.setHeader('ETag', rendered.etag);
  res.send(body);
}
