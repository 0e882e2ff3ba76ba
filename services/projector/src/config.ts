import { z } from 'zod';
import { commonKeys, databaseKeys, kafkaKeys } from '@incidents/config';

export const ProjectorConfig = z.object({
  ...commonKeys,
  ...kafkaKeys,
  ...databaseKeys,
  PROJECTION_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,62}$/)
    .default('main')
    .describe('Name of the projection version this process writes (offsets and the writer lock are per name).'),
  PROJECTOR_GROUP_ID: z.string().min(1).default('projector-main').describe('Kafka consumer group of the projector processes.'),
  PROJECTOR_MAX_BYTES_PER_PARTITION: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024)
    .describe('Most bytes fetched per partition and batch (bounds transaction size).'),
  PROJECTOR_FOLLOW_SERVING: z
    .stringbool()
    .default(true)
    .describe('Project into the blue/green version that serves reads (ops rebuild), switching when it changes.'),
  PROJECTOR_EXIT_WITH_PARENT: z
    .stringbool()
    .default(false)
    .describe('Stop when the parent process exits (set by ops rebuild, so a killed rebuild leaves no projector behind).'),
  PROJECTOR_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(30_000)
    .describe('Longest back-off between retries of a failed batch (PostgreSQL down, etc.).'),
  PROJECTOR_MAX_EVENTS_PER_RECOMPUTE: z.coerce
    .number()
    .int()
    .min(1000)
    .default(100_000)
    .describe('Most stored events one recomputation transaction projects (and keeps in memory while catching up): less memory, more clusters projected twice.'),
  PROJECTOR_SNAPSHOT_EVENTS: z.coerce
    .number()
    .int()
    .min(0)
    .default(50_000)
    .describe('Events projected since the last snapshot of the in-memory index (or a tenth of the events indexed, if more) after which a caught-up projector saves one (and one on stop), so a restart goes on from it instead of replaying the store; 0: never save.'),
});
export type ProjectorConfig = z.infer<typeof ProjectorConfig>;
