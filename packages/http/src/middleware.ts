import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ProblemError } from './problem.js';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  charset?: string;
}

function fromBodyParser(error: BodyParserError): ProblemError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new ProblemError(413, 'body-too-large', 'Request body too large', `The body exceeds the limit of ${error.limit ?? '?'} bytes.`);
    case 'entity.parse.failed':
      return new ProblemError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
    case 'charset.unsupported':
      return new ProblemError(415, 'unsupported-charset', 'Unsupported charset', `Charset ${error.charset ?? '?'} is not supported; use UTF-8.`);
    case 'encoding.unsupported':
      return new ProblemError(415, 'unsupported-encoding', 'Unsupported content encoding', 'Only identity, gzip and deflate bodies are accepted.');
    case 'request.aborted':
      return new ProblemError(400, 'request-aborted', 'Request aborted', 'The client closed the request before the body was read.');
    default:
      return undefined;
  }
}

/**
 * Sends `error` as RFC 9457 problem details. Unknown errors become a plain 500 with no stack
 * trace or message from the inside; they are logged by `log`.
 */
export function sendProblem(res: ServerResponse, error: unknown, instance: string, log: (error: unknown) => void): void {
  let problem = error instanceof ProblemError ? error : fromBodyParser(error ?? {});
  if (!problem) {
    log(error);
    problem = new ProblemError(500, 'internal', 'Internal error', 'The server could not complete the request.');
  }
  const body = JSON.stringify(problem.toProblem(instance));
  for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
  res.statusCode = problem.status;
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Maps every error to RFC 9457 problem details (see `sendProblem`). */
export function problemMiddleware(log: (error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    sendProblem(res, error, req.originalUrl, log);
  };
}

/** 404 for every route no handler took. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ProblemError(404, 'not-found', 'Not found', `No resource at ${req.method} ${req.path}.`));
};
