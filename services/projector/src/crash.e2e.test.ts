import type { Pool } from '@incidents/db';
import { EventLogProducer, toKafkaRecord, type KafkaHandle } from '@incidents/kafka';
import { project } from '@incidents/projection';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { databaseUrl, freshSchema, freshTopic, testKafka, uniqueName, waitFor } from '../../../test/support/infra.js';
import { spawnService, type ServiceProcess } from '../../../test/support/processes.js';
import { waitCaughtUp } from '../../../test/support/projector.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';

// Projector processes killed with SIGKILL in the middle of the stream: the read models after a
// restart equal a clean projection of every event, and nothing is stored twice.
const events = [...syntheticEvents({ incidents: 1500, seed: 11, prefix: 'crash' })];
let kafka: KafkaHandle;

beforeAll(() => {
  kafka = testKafka();
});

async function produceAll(topic: string): Promise<void> {
  const producer = new EventLogProducer(kafka, { topic });
  await producer.start();
  for (let i = 0; i < events.length; i += 500) await producer.publish(events.slice(i, i + 500).map((e) => toKafkaRecord(e)));
  await producer.stop();
}

async function storedOffsets(pool: Pool): Promise<bigint> {
  const r = await pool.query<{ n: string | null }>('SELECT sum(next_offset) AS n FROM projector_offsets');
  return BigInt(r.rows[0]!.n ?? '0');
}

function projectorEnv(topic: string, schema: string, group: string): Record<string, string> {
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    DATABASE_URL: databaseUrl(),
    DATABASE_SCHEMA: schema,
    EVENTS_TOPIC: topic,
    PROJECTOR_GROUP_ID: group,
    // Small fetches: many batches, so the kill lands in the middle of the stream.
    PROJECTOR_MAX_BYTES_PER_PARTITION: '16384',
  };
}

async function kill(p: ServiceProcess): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
}

it('recovers from SIGKILL mid-stream: read models equal a clean projection, nothing double-counted', async () => {
  const topic = await freshTopic(kafka);
  const { pool, schema } = await freshSchema();
  const group = uniqueName('group');
  await produceAll(topic);
  const total = BigInt(events.length);
  const first = spawnService('projector', projectorEnv(topic, schema, group));
  try {
    await waitFor('the projector to store part of the stream', async () => {
      const n = await storedOffsets(pool);
      return n > 200n && n < total;
    }, 60_000);
  } finally {
    await kill(first);
  }
  expect(await storedOffsets(pool)).toBeLessThan(total);
  const second = spawnService('projector', projectorEnv(topic, schema, group));
  try {
    await waitCaughtUp(kafka, pool, topic, 'main', 120_000);
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(events)));
    const stored = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store');
    expect(Number(stored.rows[0]!.n)).toBe(events.length);
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
    await pool.end();
  }
});

it('three projector processes share the partitions; one is SIGKILLed mid-stream; the result equals a single clean run', async () => {
  const topic = await freshTopic(kafka);
  const { pool, schema } = await freshSchema();
  const group = uniqueName('group');
  const processes = [0, 1, 2].map(() => spawnService('projector', projectorEnv(topic, schema, group)));
  try {
    await produceAll(topic);
    await waitFor('part of the stream stored', async () => (await storedOffsets(pool)) > 300n, 60_000);
    await kill(processes[1]!);
    await waitCaughtUp(kafka, pool, topic, 'main', 180_000);
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(events)));
    const stored = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store');
    expect(Number(stored.rows[0]!.n)).toBe(events.length);
  } finally {
    for (const p of [processes[0]!, processes[2]!]) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await pool.end();
  }
});
