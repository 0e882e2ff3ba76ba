import { loadConfig } from '@incidents/config';
import { createPool } from '@incidents/db';
import { listen } from '@incidents/http';
import { createKafka, fetchLogEnds } from '@incidents/kafka';
import { createLogger, stopOnSignals, type TelemetryHandle } from '@incidents/telemetry';
import { buildQueryApp } from './app.js';
import { QueryConfig } from './config.js';

/** The query process after telemetry started: config, pool, HTTP, drain on signals. */
export async function run(telemetry: TelemetryHandle): Promise<void> {
  const config = loadConfig(QueryConfig);
  const logger = createLogger('query', config.LOG_LEVEL);
  const pool = createPool({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, max: config.DATABASE_POOL_SIZE, applicationName: 'query' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'query', logLevel: 'nothing' });
  const app = buildQueryApp({ config, pool, logger, logEnds: (topic) => fetchLogEnds(kafka, topic) });
  const server = await listen(app, config.HOST, config.QUERY_PORT);
  logger.info('query listening', { url: server.url });

  stopOnSignals(logger, telemetry, async () => {
    await server.close(10_000);
    await pool.end();
  });
}

