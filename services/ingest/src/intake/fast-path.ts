import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemError, sendProblem, setSecurityHeaders } from '@incidents/http';
import { acceptEvents, type IntakeDeps } from './routes.js';

function tooLarge(limit: number): ProblemError {
  return new ProblemError(413, 'body-too-large', 'Request body too large', `The body exceeds the limit of ${limit} bytes.`);
}

/** The request body, refused with 413 as soon as it is known to exceed `limit` (by its Content-Length, before reading). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
    const aborted = () => reject(new ProblemError(400, 'request-aborted', 'Request aborted', 'The client closed the request before the body was read.'));
    req.once('close', () => {
      if (!req.complete) aborted();
    });
    req.once('error', aborted);
  });
}

/**
 * `POST /v1/events` on node:http, before express: the same steps as the express route (key,
 * body within its limit, `acceptEvents`), security headers and problem details, without
 * express's per-request work (a quarter of a bare express handler's CPU time here; see
 * docs/benchmarks.md). Returns false for requests it leaves to express: other paths and
 * methods, and bodies with a Content-Encoding (express inflates them).
 */
export function intakeFastPath(deps: IntakeDeps, log: (error: unknown) => void): (req: IncomingMessage, res: ServerResponse) => boolean {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const key = deps.keys.authenticateOn(req.socket, req.headers.authorization);
    const body = await readBody(req, deps.limits.bodyBytes);
    const json = JSON.stringify(await acceptEvents(deps, key, req.headers, body));
    res.statusCode = 202;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(json));
    res.end(json);
  };
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/events') return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    setSecurityHeaders(res);
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendProblem(res, error, req.url ?? '', log);
    });
    return true;
  };
}
