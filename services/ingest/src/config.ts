import { z } from 'zod';
import { commonKeys, httpKeys, kafkaKeys } from '@incidents/config';

export const IngestConfig = z.object({
  ...commonKeys,
  ...kafkaKeys,
  ...httpKeys,
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(8081).describe('Port of the ingest HTTP API.'),
  INGEST_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe('Largest request body in bytes (413 above).'),
  INGEST_EVENT_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024)
    .describe('Largest single event in bytes, as JSON (413 above).'),
  INGEST_BATCH_LIMIT: z.coerce.number().int().min(1).max(10_000).default(500).describe('Most events in one request (413 above).'),
  INGEST_ACK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(5000)
    .describe('How long a request waits for Kafka acknowledgements before answering 503.'),
  INGEST_MAX_QUEUED_EVENTS: z.coerce
    .number()
    .int()
    .min(1)
    .default(20_000)
    .describe('Events waiting for Kafka beyond which requests get 503 at once.'),
  INGEST_LINGER_MS: z.coerce.number().int().min(0).max(1000).default(2).describe('Micro-batching window of the Kafka producer, ms.'),
  INGEST_API_KEYS: z
    .string()
    .optional()
    .describe('API keys as JSON: [{"name","sha256","sources":["/feeds/x"],"rate"?,"burst"?}]. sha256 = hex digest of the key.'),
  INGEST_API_KEYS_FILE: z.string().optional().describe('Path of a file holding the same JSON as INGEST_API_KEYS.'),
  INGEST_RATE_LIMIT: z.coerce
    .number()
    .min(0.1)
    .default(5000)
    .describe('Default events per second per key (a key may set its own `rate`).'),
  INGEST_RATE_BURST: z.coerce.number().int().min(1).default(10_000).describe('Default burst size in events per key.'),
  INGEST_MAX_FUTURE_SKEW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60 * 1000)
    .describe('How far an event `time` may lie ahead of the ingest clock.'),
});
export type IngestConfig = z.infer<typeof IngestConfig>;
