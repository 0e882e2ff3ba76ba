import type { RequestListener } from 'node:http';
import express from 'express';
import { healthRoutes, notFoundHandler, problemMiddleware, securityHeaders } from '@incidents/http';
import type { Logger } from '@incidents/telemetry';
import { ApiKeyStore, type ApiKeyEntry } from './auth/api-keys.js';
import { RateLimiter } from './auth/rate-limit.js';
import type { IngestConfig } from './config.js';
import { intakeFastPath } from './intake/fast-path.js';
import { intakeRoutes, type EventPublisher, type IntakeDeps } from './intake/routes.js';
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

/**
 * Builds the ingest HTTP app from its dependencies; it never listens by itself. `POST
 * /v1/events` goes through a node:http fast path, everything else (and what the fast path
 * leaves, see `intakeFastPath`) through express.
 */
export function buildIngestApp(deps: IngestDeps): RequestListener {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  // 202s and problems are never revalidated: hashing every response body for an ETag is waste.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use(securityHeaders());
  const intake: IntakeDeps = {
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
  };
  const logError = (error: unknown) => deps.logger.error('unhandled error', { error });
  app.use(intakeRoutes(intake));
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
  app.use(problemMiddleware(logError));
  const fast = intakeFastPath(intake, logError);
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}
