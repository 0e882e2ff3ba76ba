import type { Pool } from '@incidents/db';
import { EventLogProducer, toKafkaRecord, type KafkaHandle } from '@incidents/kafka';
import { project } from '@incidents/projection';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { localPostgres, restartPostgres } from '../../../test/support/chaos.js';
import { freshSchema, freshTopic, testKafka, waitFor } from '../../../test/support/infra.js';
import { runProjector, waitCaughtUp } from '../../../test/support/projector.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';

// Runs only against the project's own PostgreSQL (it is restarted here).
const suite = localPostgres ? describe : describe.skip;

suite('projector when PostgreSQL restarts during consumption', () => {
  let kafka: KafkaHandle;
  let pool: Pool;

  beforeAll(() => {
    kafka = testKafka();
  });

  afterAll(async () => {
    await pool?.end();
  });

  it('loses nothing and applies nothing twice', async () => {
    const events = [...syntheticEvents({ incidents: 800, seed: 21, prefix: 'pg' })];
    const topic = await freshTopic(kafka);
    ({ pool } = await freshSchema());
    const producer = new EventLogProducer(kafka, { topic });
    await producer.start();
    for (let i = 0; i < events.length; i += 500) await producer.publish(events.slice(i, i + 500).map((e) => toKafkaRecord(e)));
    await producer.stop();
    const running = await runProjector(kafka, pool, topic);
    try {
      await waitFor('part of the stream stored', async () => {
        const r = await pool.query<{ n: string | null }>('SELECT sum(next_offset) AS n FROM projector_offsets');
        return BigInt(r.rows[0]!.n ?? '0') > 0n;
      });
      restartPostgres();
      await waitCaughtUp(kafka, pool, topic, 'main', 180_000);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(events)));
      const stored = await pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store');
      expect(Number(stored.rows[0]!.n)).toBe(events.length);
    } finally {
      await running.stop();
    }
  });
});
