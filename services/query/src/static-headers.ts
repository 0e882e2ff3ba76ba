import type { Request, RequestHandler, Response } from 'express';

type Step = readonly ['set', string, string] | readonly ['remove', string];

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
 * helmet's headers do not depend on the request (no CSP nonce here): record them once and set
 * them without walking its chain of a dozen middlewares per request. A middleware that reads
 * the request, or sets different headers on a second run, is used as it is.
 */
export function staticHeaders(middleware: RequestHandler): RequestHandler {
  const steps = record(middleware);
  const again = record(middleware);
  if (steps === undefined || again === undefined || JSON.stringify(steps) !== JSON.stringify(again)) return middleware;
  return (_req, res, next) => {
    for (const step of steps) {
      if (step[0] === 'set') res.setHeader(step[1], step[2]);
      else res.removeHeader(step[1]);
    }
    next();
  };
}
