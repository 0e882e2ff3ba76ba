import { loadConfig } from '@incidents/config';
import { listen, type RunningServer } from '@incidents/http';
import { EventLogProducer, pingCluster, type KafkaHandle } from '@incidents/kafka';
import { createLogger } from '@incidents/telemetry';
import { buildIngestApp } from '../../services/ingest/src/app.js';
import { IngestConfig } from '../../services/ingest/src/config.js';
import { testApiKeys } from './http.js';

export interface RunningIngest {
  url: string;
  server: RunningServer;
  producer: EventLogProducer;
  stop(): Promise<void>;
}

/** The ingest app from app.ts with a real producer on `topic`, on an ephemeral port. */
export async function startIngest(kafka: KafkaHandle, topic: string, env: Record<string, string> = {}): Promise<RunningIngest> {
  const config = loadConfig(IngestConfig, { EVENTS_TOPIC: topic, INGEST_PORT: '0', ...env });
  const producer = new EventLogProducer(kafka, {
    topic,
    ackTimeoutMs: config.INGEST_ACK_TIMEOUT_MS,
    maxQueuedRecords: config.INGEST_MAX_QUEUED_EVENTS,
    lingerMs: config.INGEST_LINGER_MS,
  });
  await producer.start();
  const app = buildIngestApp({
    config,
    publisher: producer,
    apiKeys: testApiKeys,
    logger: createLogger('ingest-test', 'error'),
    kafkaReady: () => pingCluster(kafka, 1000).then(() => true, () => false),
  });
  const server = await listen(app, '127.0.0.1', 0);
  return {
    url: server.url,
    server,
    producer,
    stop: async () => {
      await server.close(1000);
      await producer.stop();
    },
  };
}
