/** ingest + projector + query over a fresh topic and schema, loaded with the seed fixture. */
import { loadConfig } from '@incidents/config';
import type { Pool } from '@incidents/db';
import { listen, type RunningServer } from '@incidents/http';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { createLogger } from '@incidents/telemetry';
import { buildQueryApp } from '../../services/query/src/app.js';
import { QueryConfig } from '../../services/query/src/config.js';
import type { RunningProjector } from '../../services/projector/src/app.js';
import { postEvents } from '../support/http.js';
import { freshSchema, freshTopic, testKafka } from '../support/infra.js';
import { startIngest, type RunningIngest } from '../support/ingest.js';
import { runProjector, waitCaughtUp } from '../support/projector.js';
import { seedEvents } from '../support/seed.js';

export interface QueryStack {
  kafka: KafkaHandle;
  pool: Pool;
  schema: string;
  topic: string;
  ingest: RunningIngest;
  projector: RunningProjector;
  query: RunningServer;
  /** Another query app on the same data with different settings (keys, waits). */
  extraQuery(env: Record<string, string>): Promise<RunningServer>;
  stop(): Promise<void>;
}

export async function startQueryStack(options: { seed?: boolean; env?: Record<string, string> } = {}): Promise<QueryStack> {
  const kafka = testKafka();
  const topic = await freshTopic(kafka);
  const { pool, schema } = await freshSchema();
  const ingest = await startIngest(kafka, topic);
  const projector = await runProjector(kafka, pool, topic);
  const servers: RunningServer[] = [];
  const extraQuery = async (env: Record<string, string>) => {
    const config = loadConfig(QueryConfig, { DATABASE_SCHEMA: schema, EVENTS_TOPIC: topic, ...env });
    const app = buildQueryApp({ config, pool, logger: createLogger('query-test', 'error'), logEnds: (t) => fetchLogEnds(kafka, t) });
    const server = await listen(app, '127.0.0.1', 0);
    servers.push(server);
    return server;
  };
  const query = await extraQuery(options.env ?? {});
  if (options.seed !== false) {
    const posted = await postEvents(ingest.url, seedEvents());
    if (posted.status !== 202) throw new Error(`seed not accepted: ${posted.status} ${posted.text}`);
    await waitCaughtUp(kafka, pool, topic);
  }
  return {
    kafka,
    pool,
    schema,
    topic,
    ingest,
    projector,
    query,
    extraQuery,
    stop: async () => {
      for (const s of servers) await s.close(1000);
      await projector.stop();
      await ingest.stop();
      await pool.end();
    },
  };
}
