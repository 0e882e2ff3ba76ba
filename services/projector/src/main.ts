import { loadConfig } from '@incidents/config';
import { createPool } from '@incidents/db';
import { createKafka, ensureTopics } from '@incidents/kafka';
import { createLogger, startTelemetry } from '@incidents/telemetry';
import { startProjector } from './app.js';
import { ProjectorConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig(ProjectorConfig);
  const telemetry = startTelemetry('projector');
  const logger = createLogger('projector', config.LOG_LEVEL);
  const pool = createPool({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, max: config.DATABASE_POOL_SIZE, applicationName: 'projector' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'projector' });
  await ensureTopics(kafka, [{ topic: config.EVENTS_TOPIC, numPartitions: config.EVENTS_TOPIC_PARTITIONS, config: { 'retention.ms': '-1' } }]);
  const running = await startProjector({
    config,
    kafka,
    pool,
    logger,
    onCrash: () => process.exit(1),
  });
  logger.info('projector running', { topic: config.EVENTS_TOPIC, projection: config.PROJECTION_NAME, group: config.PROJECTOR_GROUP_ID });
  const report = setInterval(() => logger.debug('progress', { ...running.projector.stats }), 10_000);
  report.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    await running.stop();
    await pool.end();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`projector failed: ${(error as Error).message}\n`);
  process.exit(1);
});
