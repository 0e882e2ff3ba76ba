import express, { type ErrorRequestHandler, type Express } from 'express';
import { isTransientDbError, type Pool } from '@incidents/db';
import { healthRoutes, notFoundHandler, problemMiddleware, ProblemError, securityHeaders } from '@incidents/http';
import type { Logger } from '@incidents/telemetry';
import { keysConfigured, requireKey } from './auth.js';
import { changeRoutes } from './changes/routes.js';
import type { QueryConfig } from './config.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { incidentRoutes } from './incidents/routes.js';
import { openApiDocument } from './openapi.js';
import { projectionRoutes, type LogEnds } from './projections/routes.js';
import { AsOfCache } from './read/as-of-cache.js';
import { Reads } from './read/context.js';
import { PositionWaiter } from './read/position.js';
import { ResponseCache } from './read/response-cache.js';
import { referenceRoutes } from './reference/routes.js';
import { responseRoutes } from './responses/routes.js';
import { attackStatsRoutes } from './stats/attacks.js';
import { casualtyStatsRoutes } from './stats/casualties.js';

export interface QueryDeps {
  config: QueryConfig;
  pool: Pool;
  logger: Logger;
  /** Kafka log ends for the lag report; without it lag in events is unknown. */
  logEnds?: LogEnds;
  now?: () => Date;
  /** Bound of the in-memory cache of current answers, bytes (0 turns it off); default 64 MiB. */
  responseCacheBytes?: number;
  /** How long before a request the generation check that validates a kept answer may have begun, ms (default 0). */
  generationWindowMs?: number;
}

const RESPONSE_CACHE_BYTES = 64 * 1024 * 1024;

/** Builds the query HTTP app from its dependencies; it never listens by itself. */
export function buildQueryApp(deps: QueryDeps): Express {
  const { config, pool } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', 'weak');
  app.use(securityHeaders());
  app.use(
    healthRoutes(async () => {
      const ok = await pool.query('SELECT 1 FROM projection_state LIMIT 1').then(
        () => true,
        () => false,
      );
      return { ok, checks: { postgres: ok ? 'ok' : 'unreachable' } };
    }),
  );
  const openapi = JSON.stringify(openApiDocument());
  app.get('/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/json').send(openapi);
  });
  app.use(dashboardRoutes());

  const keys = { readKeys: config.QUERY_READ_KEYS, adminKeys: config.QUERY_ADMIN_KEYS };
  const shared = !keysConfigured(keys);
  const reads = new Reads({
    pool,
    positions: new PositionWaiter(pool, config.PROJECTION_NAME, config.EVENTS_TOPIC, config.DATABASE_SCHEMA),
    cache: new AsOfCache(config.QUERY_AS_OF_CACHE_SIZE, config.QUERY_AS_OF_MAX_EVENTS),
    responses: new ResponseCache(deps.responseCacheBytes ?? RESPONSE_CACHE_BYTES),
    generationWindowMs: deps.generationWindowMs ?? 0,
    projection: config.PROJECTION_NAME,
    baseSchema: config.DATABASE_SCHEMA,
    topic: config.EVENTS_TOPIC,
    positionWaitMs: config.QUERY_POSITION_WAIT_MS,
    asOfMaxEvents: config.QUERY_AS_OF_MAX_EVENTS,
  });
  app.use('/v1/projections', requireKey(keys, 'admin'));
  app.use('/v1', requireKey(keys, 'read'));
  app.use(reads.cachedAnswers());
  app.use(projectionRoutes(pool, config.EVENTS_TOPIC, deps.logEnds, deps.now ?? (() => new Date()), config.DATABASE_SCHEMA));
  app.use(incidentRoutes(reads, shared));
  app.use(attackStatsRoutes(reads, shared));
  app.use(casualtyStatsRoutes(reads, shared));
  app.use(responseRoutes(reads, shared));
  app.use(referenceRoutes(reads, shared));
  app.use(changeRoutes(reads, shared));
  app.use(notFoundHandler);
  app.use(((error, _req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next(unavailable(error) ? new ProblemError(503, 'database-unavailable', 'Database unavailable', 'PostgreSQL did not answer; retry shortly.', undefined, { 'Retry-After': '1' }) : error);
  }) as ErrorRequestHandler);
  app.use(problemMiddleware((error) => deps.logger.error('unhandled error', { error })));
  return app;
}

/** PostgreSQL down or overloaded (including pg-pool's connect timeout): a 503, not a 500. */
function unavailable(error: unknown): boolean {
  return isTransientDbError(error) || (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message));
}
