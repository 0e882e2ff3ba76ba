import express, { type Express } from 'express';
import { healthRoutes, notFoundHandler, problemMiddleware, securityHeaders } from '@incidents/http';
import type { Logger } from '@incidents/telemetry';
import { ApiKeyStore, type ApiKeyEntry } from './auth/api-keys.js';
import { RateLimiter } from './auth/rate-limit.js';
import type { IngestConfig } from './config.js';
import { intakeRoutes, type EventPublisher } from './intake/routes.js';
import { openApiDocument } from './openapi.js';

export interface IngestDeps {
  config: IngestConfig;
  publisher: EventPublisher;
  apiKeys: ApiKeyEntry[];
  /** Resolves true when Kafka answers. */
  kafkaReady: () => Promise<boolean>;
  logger: Logger;
  now?: () => Date;
}

/** Builds the ingest HTTP app from its dependencies; it never listens by itself. */
export function buildIngestApp(deps: IngestDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  // 202s and problems are never revalidated: hashing every response body for an ETag is waste.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(securityHeaders());
  // The intake route first: it is the hot path, and express tries layers in order.
  app.use(
    intakeRoutes({
      publisher: deps.publisher,
      topic: config.EVENTS_TOPIC,
      keys: new ApiKeyStore(deps.apiKeys),
      limiter: new RateLimiter(),
      limits: {
        maxEvents: config.INGEST_BATCH_LIMIT,
        maxEventBytes: config.INGEST_EVENT_LIMIT,
        maxFutureSkewMs: config.INGEST_MAX_FUTURE_SKEW_MS,
        bodyBytes: config.INGEST_BODY_LIMIT,
        defaultRate: config.INGEST_RATE_LIMIT,
        defaultBurst: config.INGEST_RATE_BURST,
      },
      ackTimeoutMs: config.INGEST_ACK_TIMEOUT_MS,
      now: deps.now ?? (() => new Date()),
    }),
  );
  app.use(
    healthRoutes(async () => {
      const ok = await deps.kafkaReady();
      return { ok, checks: { kafka: ok ? 'ok' : 'unreachable' } };
    }),
  );
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument(config));
  });
  app.use(notFoundHandler);
  app.use(problemMiddleware((error) => deps.logger.error('unhandled error', { error })));
  return app;
}
