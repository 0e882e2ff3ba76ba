import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** helmet's headers, with a CSP that lets the built-in dashboard run its own inline script. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'connect-src': ["'self'"] },
    },
  });
}
