import type { Pool } from '@incidents/db';
import { startBatchConsumer, type KafkaHandle, type RunningConsumer } from '@incidents/kafka';
import type { Logger } from '@incidents/telemetry';
import type { ProjectorConfig } from './config.js';
import { Projector } from './projector.js';
import { readOffset } from './store/offsets.js';

export interface ProjectorDeps {
  config: Pick<ProjectorConfig, 'EVENTS_TOPIC' | 'PROJECTION_NAME' | 'PROJECTOR_GROUP_ID' | 'PROJECTOR_MAX_BYTES_PER_PARTITION' | 'PROJECTOR_RETRY_MAX_MS'> &
    Partial<Pick<ProjectorConfig, 'PROJECTOR_MAX_EVENTS_PER_RECOMPUTE' | 'PROJECTOR_SNAPSHOT_EVENTS'>>;
  kafka: KafkaHandle;
  pool: Pool;
  logger: Logger;
  /** Called when the consumer crashed beyond kafkajs' own restarts. */
  onCrash?: (error: Error) => void;
}

export interface RunningProjector {
  readonly projector: Projector;
  readonly consumer: RunningConsumer;
  stop(): Promise<void>;
}

/** Wires the Kafka consumer to the projector; the consumer seeks to the offsets stored in PostgreSQL. */
export async function startProjector(deps: ProjectorDeps): Promise<RunningProjector> {
  const { config } = deps;
  const projector = new Projector(deps.pool, config.PROJECTION_NAME, deps.logger, {
    retryMaxMs: config.PROJECTOR_RETRY_MAX_MS,
    maxEventsPerRecompute: config.PROJECTOR_MAX_EVENTS_PER_RECOMPUTE,
    snapshotEvents: config.PROJECTOR_SNAPSHOT_EVENTS,
  });
  const consumer = await startBatchConsumer(deps.kafka, {
    topic: config.EVENTS_TOPIC,
    groupId: config.PROJECTOR_GROUP_ID,
    maxBytesPerPartition: config.PROJECTOR_MAX_BYTES_PER_PARTITION,
    storedOffset: (partition) => readOffset(deps.pool, config.PROJECTION_NAME, config.EVENTS_TOPIC, partition),
    handleBatch: (batch) => projector.handle(batch),
    // `incidents-ops replay` moves stored offsets back; an idle partition re-reads within 2 s.
    recheckStoredMs: 2000,
    // One partition's records are parsed while another's are being stored.
    partitionsConcurrently: 3,
    // Events a previous owner of these partitions stored but did not project (it stopped or
    // was killed in between) are projected now, not when the next event arrives.
    onAssigned: () => void projector.resume(),
    onCrash: (error) => {
      deps.logger.error('consumer crashed', { error });
      deps.onCrash?.(error);
    },
  });
  return {
    projector,
    consumer,
    stop: async () => {
      await consumer.stop();
      await projector.stop();
    },
  };
}
