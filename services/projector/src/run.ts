import { loadConfig } from '@incidents/config';
import { createPool, servingProjection, type Pool } from '@incidents/db';
import { createKafka, ensureTopics } from '@incidents/kafka';
import { createLogger, stopOnSignals, type TelemetryHandle } from '@incidents/telemetry';
import { startProjector, type RunningProjector } from './app.js';
import { ProjectorConfig } from './config.js';

/** The projector process after telemetry started: follow the serving version, consume, drain on signals. */
export async function run(telemetry: TelemetryHandle): Promise<void> {
  const config = loadConfig(ProjectorConfig);
  const logger = createLogger('projector', config.LOG_LEVEL);
  const poolFor = (schema: string) =>
    createPool({ url: config.DATABASE_URL, schema, max: config.DATABASE_POOL_SIZE, applicationName: 'projector' });
  const base = poolFor(config.DATABASE_SCHEMA);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'projector' });
  await ensureTopics(kafka, [{ topic: config.EVENTS_TOPIC, numPartitions: config.EVENTS_TOPIC_PARTITIONS, config: { 'retention.ms': '-1' } }]);

  // Which projection to write: the configured one, or (blue/green) the version that serves.
  const target = async () => {
    if (!config.PROJECTOR_FOLLOW_SERVING) return { name: config.PROJECTION_NAME, schema: config.DATABASE_SCHEMA };
    const serving = await servingProjection(base, config.DATABASE_SCHEMA);
    return serving.schema === config.DATABASE_SCHEMA ? { name: config.PROJECTION_NAME, schema: config.DATABASE_SCHEMA } : serving;
  };
  let current = await target();
  let pool: Pool = current.schema === config.DATABASE_SCHEMA ? base : poolFor(current.schema);
  const start = (name: string) =>
    startProjector({
      config: {
        ...config,
        PROJECTION_NAME: name,
        PROJECTOR_GROUP_ID: name === config.PROJECTION_NAME ? config.PROJECTOR_GROUP_ID : `projector-${name}`,
      },
      kafka,
      pool,
      logger,
      onCrash: () => process.exit(1),
    });
  let running: RunningProjector = await start(current.name);
  logger.info('projector running', { topic: config.EVENTS_TOPIC, projection: current.name, schema: current.schema });

  let switching = false;
  const follow = setInterval(() => {
    if (switching || !config.PROJECTOR_FOLLOW_SERVING) return;
    switching = true;
    void (async () => {
      const next = await target();
      if (next.name === current.name && next.schema === current.schema) return;
      logger.info('serving version changed; switching', { from: current.name, to: next.name });
      await running.stop();
      if (pool !== base) await pool.end();
      pool = next.schema === config.DATABASE_SCHEMA ? base : poolFor(next.schema);
      current = next;
      running = await start(current.name);
    })()
      .catch((error: unknown) => logger.warn('could not follow the serving version', { error }))
      .finally(() => {
        switching = false;
      });
  }, 2000);
  follow.unref();
  const report = setInterval(() => logger.debug('progress', { ...running.projector.stats }), 10_000);
  report.unref();

  const stop = stopOnSignals(logger, telemetry, async () => {
    clearInterval(follow);
    await running.stop();
    if (pool !== base) await pool.end();
    await base.end();
  });
  if (config.PROJECTOR_EXIT_WITH_PARENT) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void stop('parent exited');
    }, 500).unref();
  }
}

