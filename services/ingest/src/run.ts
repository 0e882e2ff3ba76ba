import { readFileSync } from 'node:fs';
import { loadConfig } from '@incidents/config';
import { createKafka, EventLogProducer, pingCluster } from '@incidents/kafka';
import { listen } from '@incidents/http';
import { createLogger, stopOnSignals, type TelemetryHandle } from '@incidents/telemetry';
import { buildIngestApp } from './app.js';
import { parseApiKeys, type ApiKeyEntry } from './auth/api-keys.js';
import { IngestConfig } from './config.js';

function loadKeys(config: IngestConfig): ApiKeyEntry[] {
  if (config.INGEST_API_KEYS) return parseApiKeys(config.INGEST_API_KEYS, 'INGEST_API_KEYS');
  if (config.INGEST_API_KEYS_FILE) {
    return parseApiKeys(readFileSync(config.INGEST_API_KEYS_FILE, 'utf8'), `INGEST_API_KEYS_FILE (${config.INGEST_API_KEYS_FILE})`);
  }
  throw new Error('no API keys configured: set INGEST_API_KEYS or INGEST_API_KEYS_FILE (npm start creates a development key)');
}

/** The ingest process after telemetry started: config, Kafka producer, HTTP, drain on signals. */
export async function run(telemetry: TelemetryHandle): Promise<void> {
  const config = loadConfig(IngestConfig);
  const logger = createLogger('ingest', config.LOG_LEVEL);
  const apiKeys = loadKeys(config);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'ingest' });
  const producer = new EventLogProducer(kafka, {
    topic: config.EVENTS_TOPIC,
    ackTimeoutMs: config.INGEST_ACK_TIMEOUT_MS,
    maxQueuedRecords: config.INGEST_MAX_QUEUED_EVENTS,
    lingerMs: config.INGEST_LINGER_MS,
  });
  await producer.start().catch((error: unknown) => logger.warn('Kafka not reachable at start-up; will retry per request', { error }));
  const app = buildIngestApp({
    config,
    publisher: producer,
    apiKeys,
    logger,
    kafkaReady: () => pingCluster(kafka, 2000).then(() => true, () => false),
  });
  const server = await listen(app, config.HOST, config.INGEST_PORT);
  logger.info('ingest listening', { url: server.url, topic: config.EVENTS_TOPIC, keys: apiKeys.map((k) => k.name) });

  stopOnSignals(logger, telemetry, async () => {
    await server.close(10_000);
    await producer.stop();
  });
}

