import express, { type Express } from 'express';
import type { Pool } from '@incidents/db';
import { healthRoutes, notFoundHandler, problemMiddleware, securityHeaders } from '@incidents/http';
import type { Logger } from '@incidents/telemetry';
import type { QueryConfig } from './config.js';
import { incidentRoutes } from './incidents.js';

export interface QueryDeps {
  config: QueryConfig;
  pool: Pool;
  logger: Logger;
}

/** Builds the query HTTP app from its dependencies; it never listens by itself. */
export function buildQueryApp(deps: QueryDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(
    healthRoutes(async () => {
      const ok = await deps.pool.query('SELECT 1').then(() => true, () => false);
      return { ok, checks: { postgres: ok ? 'ok' : 'unreachable' } };
    }),
  );
  app.use(incidentRoutes(deps.pool));
  app.use(notFoundHandler);
  app.use(problemMiddleware((error) => deps.logger.error('unhandled error', { error })));
  return app;
}
