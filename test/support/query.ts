import { loadConfig } from '@incidents/config';
import type { Pool } from '@incidents/db';
import { listen } from '@incidents/http';
import { createLogger } from '@incidents/telemetry';
import { buildQueryApp } from '../../services/query/src/app.js';
import { QueryConfig } from '../../services/query/src/config.js';
import { freshSchema } from './infra.js';

export interface QueryOnFreshSchema {
  pool: Pool;
  schema: string;
  url: string;
  stop(): Promise<void>;
}

/** The query service from app.ts on an ephemeral port, reading a freshly migrated schema. */
export async function startQueryOnFreshSchema(): Promise<QueryOnFreshSchema> {
  const { pool, schema } = await freshSchema();
  const app = buildQueryApp({ config: loadConfig(QueryConfig, { DATABASE_SCHEMA: schema }), pool, logger: createLogger('query-test', 'error') });
  const server = await listen(app, '127.0.0.1', 0);
  return {
    pool,
    schema,
    url: server.url,
    stop: async () => {
      await server.close(1000);
      await pool.end();
    },
  };
}
