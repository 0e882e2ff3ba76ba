import type { Pool } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import { EventLogProducer, readTopic, toKafkaRecord, type KafkaHandle, type OutgoingRecord } from '@incidents/kafka';
import { project, REFERENCE_EVENT_TYPES } from '@incidents/projection';
import { createLogger } from '@incidents/telemetry';
import { freshSchema, freshTopic, testKafka, uniqueName, waitFor } from '../../../test/support/infra.js';
import { runProjector, waitCaughtUp } from '../../../test/support/projector.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';
import { seedEvents } from '../../../test/support/seed.js';
import { Projector } from './projector.js';

const seed = seedEvents();
let kafka: KafkaHandle;

beforeAll(() => {
  kafka = testKafka();
});

async function produce(topic: string, records: OutgoingRecord[]): Promise<void> {
  const producer = new EventLogProducer(kafka, { topic });
  await producer.start();
  await producer.publish(records);
  await producer.stop();
}

async function setup(): Promise<{ topic: string; pool: Pool }> {
  const topic = await freshTopic(kafka);
  const { pool } = await freshSchema();
  return { topic, pool };
}

async function count(pool: Pool, sql: string): Promise<number> {
  const r = await pool.query<{ n: string }>(sql);
  return Number(r.rows[0]!.n);
}

describe('projector (real Kafka and PostgreSQL)', () => {
  it('writes exactly what the pure projection gives for the seed, with offsets at the log end', async () => {
    const { topic, pool } = await setup();
    await produce(topic, seed.map((e) => toKafkaRecord(e)));
    const running = await runProjector(kafka, pool, topic);
    try {
      await waitCaughtUp(kafka, pool, topic);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(seed)));
      expect(await count(pool, 'SELECT count(*) AS n FROM event_store')).toBe(seed.length);
      const tally = await pool.query<{ low: string; best: string; high: string }>(
        `SELECT low, best, high FROM casualty_tally WHERE scope_kind = 'overall' AND role = 'militant' AND outcome = 'killed'`,
      );
      expect(tally.rows).toEqual([{ low: '4', best: '8', high: '19' }]);
    } finally {
      await running.stop();
      await pool.end();
    }
  });

  it('changes nothing when the same events are delivered again', async () => {
    const { topic, pool } = await setup();
    await produce(topic, seed.map((e) => toKafkaRecord(e)));
    const running = await runProjector(kafka, pool, topic);
    try {
      await waitCaughtUp(kafka, pool, topic);
      const before = await dumpReadModels(pool);
      await produce(topic, seed.slice(0, 30).map((e) => toKafkaRecord(e)));
      await waitCaughtUp(kafka, pool, topic);
      expect(await dumpReadModels(pool)).toEqual(before);
      expect(await count(pool, 'SELECT count(*) AS n FROM event_store')).toBe(seed.length);
      expect(running.projector.stats.duplicates).toBeGreaterThanOrEqual(30);
    } finally {
      await running.stop();
      await pool.end();
    }
  });

  it('parks poison records with their position and projects the valid records around them', async () => {
    const { topic, pool } = await setup();
    const report = seed.find((e) => e.type === 'IncidentReported')!;
    const invalid = { ...report, id: 'bad-1', data: { ...report.data, kind: 'parade' } };
    const unknownType = { ...report, id: 'bad-2', type: 'IncidentImagined' };
    await produce(topic, [
      { key: report.subject, value: 'not json at all' },
      toKafkaRecord(report),
      { key: report.subject, value: JSON.stringify(invalid) },
      { key: report.subject, value: JSON.stringify(unknownType) },
      { key: report.subject, value: '' },
    ]);
    const running = await runProjector(kafka, pool, topic);
    try {
      await waitCaughtUp(kafka, pool, topic);
      const letters = await pool.query<{ error_code: string; offset: string; raw_value: string | null }>(
        'SELECT error_code, "offset", raw_value FROM dead_letters ORDER BY "offset"',
      );
      expect(letters.rows.map((r) => [r.offset, r.error_code])).toEqual([
        ['0', 'not_json'],
        ['2', 'invalid_event'],
        ['3', 'invalid_event'],
        ['4', 'empty_value'],
      ]);
      expect(letters.rows[0]!.raw_value).toBe('not json at all');
      const incident = await pool.query('SELECT status FROM incident_current WHERE incident_id = $1', [report.data.incident_id]);
      expect(incident.rows).toEqual([{ status: 'active' }]);
      expect(running.projector.stats.parked).toBe(4);
    } finally {
      await running.stop();
      await pool.end();
    }
  });

  it('applies the canonical-first content of a (source, id) sent twice with different contents, whatever the order', async () => {
    const report = seed.find((e) => e.type === 'IncidentReported' && e.data.kind === 'attack')! as Extract<DomainEvent, { type: 'IncidentReported' }>;
    const a = { ...report, data: { ...report.data, method: 'rocket' as const } };
    const b = { ...report, data: { ...report.data, method: 'mortar' as const } };
    const results: unknown[] = [];
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const { topic, pool } = await setup();
      await produce(topic, order.map((e) => toKafkaRecord(e)));
      const running = await runProjector(kafka, pool, topic);
      try {
        await waitCaughtUp(kafka, pool, topic);
        const method = await pool.query('SELECT method FROM incident_current WHERE incident_id = $1', [report.data.incident_id]);
        const parked = await pool.query(`SELECT error_code FROM dead_letters`);
        results.push({ method: method.rows, parked: parked.rows });
      } finally {
        await running.stop();
        await pool.end();
      }
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toEqual({ method: [{ method: expect.any(String) as string }], parked: [{ error_code: 'conflicting_duplicate' }] });
  });

  it('resumes from the offsets stored in PostgreSQL after a restart, without double counting', async () => {
    const { topic, pool } = await setup();
    const group = uniqueName('group');
    await produce(topic, seed.slice(0, 25).map((e) => toKafkaRecord(e)));
    const first = await runProjector(kafka, pool, topic, 'main', group);
    await waitCaughtUp(kafka, pool, topic);
    await first.stop();
    await produce(topic, seed.slice(25).map((e) => toKafkaRecord(e)));
    const second = await runProjector(kafka, pool, topic, 'main', group);
    try {
      await waitCaughtUp(kafka, pool, topic);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(seed)));
      expect(second.projector.stats.duplicates).toBe(0);
    } finally {
      await second.stop();
      await pool.end();
    }
  });

  it('projects at start what an earlier process stored but did not project, with nothing new in the log', async () => {
    const { topic, pool } = await setup();
    await produce(topic, seed.map((e) => toKafkaRecord(e)));
    // A process that stored every batch and stopped before its recomputation (the store
    // transaction commits first, then the read models follow; a kill in between leaves this).
    const storer = new Projector(pool, 'main', createLogger('projector-test', 'error'));
    await storer.stop();
    const records = await readTopic(kafka, topic);
    for (const partition of new Set(records.map((r) => r.partition))) {
      const own = records.filter((r) => r.partition === partition);
      await storer.handle({ topic, partition, records: own, highWatermark: String(BigInt(own.at(-1)!.offset) + 1n), heartbeat: () => Promise.resolve(), isActive: () => true });
    }
    expect(await count(pool, 'SELECT count(*) AS n FROM event_store')).toBe(seed.length);
    expect(await count(pool, 'SELECT count(*) AS n FROM incident_current')).toBe(0);

    // The stored offsets are at the log end: the consumer gets no batch, yet the read models catch up.
    const running = await runProjector(kafka, pool, topic);
    try {
      await waitCaughtUp(kafka, pool, topic);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(seed)));
      expect(running.projector.stats.batches).toBe(0);
    } finally {
      await running.stop();
      await pool.end();
    }
  });

  it('upserts after all when an incident seen for the first time meets a row already in a table', async () => {
    const { topic, pool } = await setup();
    const errors: string[] = [];
    const projector = new Projector(pool, 'main', createLogger('projector-test', 'error', {}, (line) => errors.push(line)));
    const seen = new Set<string>();
    const store = async () => {
      const records = (await readTopic(kafka, topic)).filter((r) => !seen.has(`${r.partition}:${r.offset}`));
      for (const r of records) seen.add(`${r.partition}:${r.offset}`);
      for (const partition of new Set(records.map((r) => r.partition))) {
        const own = records.filter((r) => r.partition === partition);
        await projector.handle({ topic, partition, records: own, highWatermark: String(BigInt(own.at(-1)!.offset) + 1n), heartbeat: () => Promise.resolve(), isActive: () => true });
      }
    };
    try {
      // reference data first (it belongs to no incident), so the tables are known to the projector
      const reference = seed.filter((e) => (REFERENCE_EVENT_TYPES as readonly string[]).includes(e.type));
      expect(reference.length).toBeGreaterThan(0);
      await produce(topic, reference.map((e) => toKafkaRecord(e)));
      await store();
      await projector.flush();
      // A row no cluster wrote (left by hand, say) under the key of an incident's first
      // projection: copying that incident's rows straight in fails on it; upserting replaces it.
      const expected = project(seed);
      const stray = { ...expected.incident_current[0]!, kind: 'stray', amendment_count: 99 };
      await pool.query(`INSERT INTO incident_current SELECT * FROM json_populate_record(null::incident_current, $1::json)`, [JSON.stringify(stray)]);
      await produce(topic, seed.filter((e) => !reference.includes(e)).map((e) => toKafkaRecord(e)));
      await store();
      await expect(projector.flush()).rejects.toMatchObject({ code: '23505' });
      expect(errors).toEqual([expect.stringContaining('upserting every row')]);
      await projector.flush();
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(expected));
    } finally {
      await projector.stop();
      await pool.end();
    }
  });

  it('gives the same read models when three projector instances share the partitions', async () => {
    const { topic, pool } = await setup();
    const group = uniqueName('group');
    const instances = await Promise.all([0, 1, 2].map(() => runProjector(kafka, pool, topic, 'main', group)));
    try {
      await waitFor('partitions spread over the instances', () =>
        Promise.resolve(instances.reduce((n, i) => n + i.consumer.assigned().length, 0) === 6),
      );
      await produce(topic, seed.map((e) => toKafkaRecord(e)));
      await waitCaughtUp(kafka, pool, topic);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(seed)));
    } finally {
      await Promise.all(instances.map((i) => i.stop()));
      await pool.end();
    }
  });
});
