import { z } from 'zod';
import { commonKeys, databaseKeys, httpKeys, kafkaKeys } from '@incidents/config';

const digests = z
  .string()
  .transform((s) => s.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[0-9a-f]{64}$/, 'expected comma-separated hex sha-256 digests of the keys')));

/** Default of QUERY_AS_OF_MAX_EVENTS (see docs/benchmarks.md, Query, as-of answers). */
export const AS_OF_MAX_EVENTS = 200_000;

export const QueryConfig = z.object({
  ...commonKeys,
  ...databaseKeys,
  ...httpKeys,
  KAFKA_BROKERS: kafkaKeys.KAFKA_BROKERS,
  EVENTS_TOPIC: kafkaKeys.EVENTS_TOPIC,
  QUERY_PORT: z.coerce.number().int().min(0).max(65535).default(8082).describe('Port of the query HTTP API and dashboard.'),
  PROJECTION_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,62}$/)
    .default('main')
    .describe('Projection whose offsets answer read-your-writes waits.'),
  QUERY_POSITION_WAIT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(2000)
    .describe('Longest wait for the projector to pass a position token before answering stale.'),
  QUERY_AS_OF_CACHE_SIZE: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(8)
    .describe('As-of projections kept in memory (LRU, keyed by asOf and the events applied; their events together within QUERY_AS_OF_MAX_EVENTS).'),
  QUERY_AS_OF_MAX_EVENTS: z.coerce
    .number()
    .int()
    .min(0)
    .default(AS_OF_MAX_EVENTS)
    .describe('Most stored events (time ≤ asOf) one as-of answer may project in memory, and the as-of projections kept may hold in all; beyond, a 422 problem naming asOf instead of a long, memory-hungry request. 0: no bound.'),
  QUERY_READ_KEYS: digests
    .default([])
    .describe('Hex sha-256 digests of read API keys (comma-separated); empty = reads need no key.'),
  QUERY_ADMIN_KEYS: digests
    .default([])
    .describe('Hex sha-256 digests of admin keys (read + operational endpoints); empty = operational endpoints open unless read keys are set.'),
});
export type QueryConfig = z.infer<typeof QueryConfig>;
