import type { IncomingHttpHeaders } from 'node:http';
import express, { Router } from 'express';
import { KafkaAccessError, encodePosition, positionAfter, toKafkaRecord, type OutgoingRecord, type PublishedRecord } from '@incidents/kafka';
import { ProblemError } from '@incidents/http';
import { withSpan } from '@incidents/telemetry';
import { mayWrite, type ApiKeyEntry, type ApiKeyStore } from '../auth/api-keys.js';
import type { RateLimiter } from '../auth/rate-limit.js';
import { readRequest } from './read-request.js';
import { validateBatch, type BatchLimits } from './validate-batch.js';

/** What the intake needs from the event log. */
export interface EventPublisher {
  publish(records: OutgoingRecord[]): Promise<PublishedRecord[]>;
}

export interface IntakeDeps {
  publisher: EventPublisher;
  topic: string;
  keys: ApiKeyStore;
  limiter: RateLimiter;
  limits: BatchLimits & { bodyBytes: number; defaultRate: number; defaultBurst: number };
  ackTimeoutMs: number;
  now: () => Date;
}

function sourcesOf(events: unknown[]): string[] {
  return events.flatMap((e) =>
    e && typeof e === 'object' && typeof (e as { source?: unknown }).source === 'string' ? [(e as { source: string }).source] : [],
  );
}

function checkRate(deps: IntakeDeps, key: ApiKeyEntry, cost: number): void {
  const wait = deps.limiter.take(
    key.name,
    cost,
    key.rate ?? deps.limits.defaultRate,
    key.burst ?? deps.limits.defaultBurst,
    deps.now().getTime(),
  );
  if (wait > 0) {
    throw new ProblemError(429, 'rate-limited', 'Too many events', `The key "${key.name}" is over its rate; retry in ${wait} s.`, undefined, {
      'Retry-After': String(wait),
    });
  }
}

function unavailable(error: KafkaAccessError, ackTimeoutMs: number): ProblemError {
  const retryAfter = error.code === 'queue_full' ? 1 : Math.max(1, Math.ceil(ackTimeoutMs / 1000));
  return new ProblemError(
    503,
    'log-unavailable',
    'Event log unavailable',
    `Kafka did not acknowledge the events (${error.code}); nothing is confirmed. Retry later: re-posting is safe.`,
    undefined,
    { 'Retry-After': String(retryAfter) },
  );
}

/** What a 202 answers: per event its position in the log, and a token to wait for (read-your-writes). */
export interface Accepted {
  accepted: number;
  position: string;
  events: { source: string; id: string; partition: number; offset: string }[];
}

/**
 * `POST /v1/events` once the key is known and the body read: validate the whole request,
 * publish in order, resolve once Kafka acknowledged every event.
 */
export async function acceptEvents(deps: IntakeDeps, key: ApiKeyEntry, headers: IncomingHttpHeaders, body: Buffer): Promise<Accepted> {
  const intake = readRequest(headers, body);
  const forbidden = [...new Set(sourcesOf(intake.events).filter((s) => !mayWrite(key, s)))];
  if (forbidden.length > 0) {
    throw new ProblemError(403, 'source-forbidden', 'Source not granted', `The key "${key.name}" may not write source(s) ${forbidden.join(', ')}.`);
  }
  const valid = validateBatch(intake.events, intake.single, deps.limits, deps.now());
  checkRate(deps, key, valid.length);
  const events = valid.map((v) => v.event);
  const published = await withSpan('ingest.publish', { 'messaging.batch.message_count': events.length }, () =>
    deps.publisher.publish(valid.map((v) => toKafkaRecord(v.event, v.json))),
  ).catch((error: unknown) => {
    if (error instanceof KafkaAccessError) throw unavailable(error, deps.ackTimeoutMs);
    throw error;
  });
  return {
    accepted: events.length,
    position: encodePosition(positionAfter(deps.topic, published)),
    events: events.map((e, i) => ({ source: e.source, id: e.id, partition: published[i]!.partition, offset: published[i]!.offset })),
  };
}

/**
 * `POST /v1/events` through express: the route for what the fast path (`intakeFastPath`) leaves
 * to it — compressed bodies, and the path spelled otherwise (`/v1/events/`, other case).
 */
export function intakeRoutes(deps: IntakeDeps): Router {
  const router = Router();
  router.post(
    '/v1/events',
    (req, _res, next) => {
      try {
        req.apiKey = deps.keys.authenticateOn(req.socket, req.headers.authorization);
        next();
      } catch (error) {
        next(error);
      }
    },
    express.raw({ type: () => true, limit: deps.limits.bodyBytes }),
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      res.status(202).json(await acceptEvents(deps, req.apiKey!, req.headers, body));
    },
  );
  return router;
}
