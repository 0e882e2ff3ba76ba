import { loadConfig } from '@incidents/config';
import type { Pool } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
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
export async function startQueryOnFreshSchema(env: Record<string, string> = {}): Promise<QueryOnFreshSchema> {
  const { pool, schema } = await freshSchema();
  const app = buildQueryApp({ config: loadConfig(QueryConfig, { DATABASE_SCHEMA: schema, ...env }), pool, logger: createLogger('query-test', 'error') });
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

/**
 * Stores events in `event_store` as the projector would (one row per variant, in the given
 * order), without a projector: the query service then answers as-of requests from the store.
 */
export async function storeEvents(pool: Pool, events: readonly (DomainEvent | { event: DomainEvent; variant: string })[]): Promise<void> {
  for (const item of events) {
    const { event, variant } = 'event' in item ? item : { event: item, variant: 'v' };
    await pool.query(
      `INSERT INTO event_store (source, id, variant, type, subject, time, body, topic, partition, "offset")
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'events', 0, (SELECT count(*) FROM event_store))`,
      [event.source, event.id, variant, event.type, event.subject, event.time, JSON.stringify(event)],
    );
  }
}
