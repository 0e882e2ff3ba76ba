import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

type Step = readonly ['set', string, string] | readonly ['remove', string];

const helmetHeaders = (): RequestHandler =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'connect-src': ["'self'"] },
    },
  });

/** Runs `middleware` on a stub request; undefined when it reads the request, does more than set headers or does not call next(). */
function record(middleware: RequestHandler): Step[] | undefined {
  const steps: Step[] = [];
  let pure = true;
  let passed = false;
  const req = new Proxy({}, { get: () => ((pure = false), undefined), has: () => ((pure = false), false) }) as Request;
  const res = new Proxy(
    {
      setHeader: (name: string, value: unknown) => steps.push(['set', name, String(value)]),
      removeHeader: (name: string) => steps.push(['remove', name]),
    },
    { get: (target, key) => (key === 'setHeader' || key === 'removeHeader' ? target[key] : ((pure = false), undefined)) },
  ) as unknown as Response;
  try {
    middleware(req, res, (error?: unknown) => {
      passed = error === undefined;
    });
  } catch {
    return undefined;
  }
  return pure && passed ? steps : undefined;
}

/**
 * helmet's headers do not depend on the request (no CSP nonce here): recorded once, they are
 * set without walking its chain of a dozen middlewares per request. Should a helmet version
 * read the request or set different headers on a second run, it is used as it is.
 */
function recorded(): Step[] | undefined {
  const steps = record(helmetHeaders());
  const again = record(helmetHeaders());
  return steps !== undefined && again !== undefined && JSON.stringify(steps) === JSON.stringify(again) ? steps : undefined;
}

let steps: Step[] | undefined | null = null;
const stepsOnce = (): Step[] | undefined => (steps === null ? (steps = recorded()) : steps);
let fallback: RequestHandler | undefined;

function apply(res: ServerResponse, list: readonly Step[]): void {
  for (const step of list) {
    if (step[0] === 'set') res.setHeader(step[1], step[2]);
    else res.removeHeader(step[1]);
  }
}

/** helmet-style security headers (CSP allowing the built-in dashboard's inline script). */
export function securityHeaders(): RequestHandler {
  const list = stepsOnce();
  if (list === undefined) return helmetHeaders();
  return (_req, res, next) => {
    apply(res, list);
    next();
  };
}

/** The same headers on a plain node:http response (handlers that bypass express). */
export function setSecurityHeaders(res: ServerResponse): void {
  const list = stepsOnce();
  if (list !== undefined) apply(res, list);
  else (fallback ??= helmetHeaders())(res.req as Request, res as Response, () => undefined);
}
