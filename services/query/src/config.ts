import { z } from 'zod';
import { commonKeys, databaseKeys, httpKeys, kafkaKeys } from '@incidents/config';

export const QueryConfig = z.object({
  ...commonKeys,
  ...databaseKeys,
  ...httpKeys,
  EVENTS_TOPIC: kafkaKeys.EVENTS_TOPIC,
  QUERY_PORT: z.coerce.number().int().min(0).max(65535).default(8082).describe('Port of the query HTTP API and dashboard.'),
  PROJECTION_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,62}$/)
    .default('main')
    .describe('Projection whose offsets answer read-your-writes waits.'),
});
export type QueryConfig = z.infer<typeof QueryConfig>;
