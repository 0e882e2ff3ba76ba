import type { Pool } from '@incidents/db';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { createLogger } from '@incidents/telemetry';
import { startProjector, type RunningProjector } from '../../services/projector/src/app.js';
import { uniqueName, waitFor } from './infra.js';

/** The projector from app.ts on `topic`, writing to the schema of `pool`. */
export function runProjector(kafka: KafkaHandle, pool: Pool, topic: string, projection = 'main', groupId = uniqueName('group')): Promise<RunningProjector> {
  return startProjector({
    config: {
      EVENTS_TOPIC: topic,
      PROJECTION_NAME: projection,
      PROJECTOR_GROUP_ID: groupId,
      PROJECTOR_MAX_BYTES_PER_PARTITION: 1024 * 1024,
      PROJECTOR_RETRY_MAX_MS: 2000,
    },
    kafka,
    pool,
    logger: createLogger('projector-test', 'error'),
  });
}

/** Waits until the stored offsets of `projection` reach the log end of every partition. */
export async function waitCaughtUp(kafka: KafkaHandle, pool: Pool, topic: string, projection = 'main', timeoutMs = 30_000): Promise<void> {
  const ends = await fetchLogEnds(kafka, topic);
  await waitFor(
    `projection ${projection} to reach the end of ${topic}`,
    async () => {
      const rows = await pool.query<{ partition: number; next_offset: string }>(
        'SELECT partition, projected_next_offset AS next_offset FROM projector_offsets WHERE projection = $1 AND topic = $2',
        [projection, topic],
      );
      const stored = new Map(rows.rows.map((r) => [r.partition, BigInt(r.next_offset)]));
      return ends.every((e) => BigInt(e.high) === 0n || (stored.get(e.partition) ?? 0n) >= BigInt(e.high));
    },
    timeoutMs,
  );
}
