import { z } from 'zod';
import { commonKeys, databaseKeys, kafkaKeys } from '@incidents/config';

export const OpsConfig = z.object({
  ...commonKeys,
  ...kafkaKeys,
  ...databaseKeys,
  PROJECTION_NAME: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/).default('main').describe('Projection the ops commands inspect.'),
  INGEST_URL: z.string().url().default('http://127.0.0.1:8081').describe('Base URL of the ingest service (import, seed).'),
  QUERY_URL: z.string().url().default('http://127.0.0.1:8082').describe('Base URL of the query service (summary).'),
  INGEST_API_KEY: z.string().optional().describe('API key the ops CLI sends to ingest (import, seed).'),
});
export type OpsConfig = z.infer<typeof OpsConfig>;
