import type { Pool } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import { project } from '@incidents/projection';
import { createLogger } from '@incidents/telemetry';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { batches } from '../../../test/support/batches.js';
import { freshSchema } from '../../../test/support/infra.js';
import { seedEvents } from '../../../test/support/seed.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';
import { Projector } from './projector.js';

// A backlog longer than one recomputation is projected in several transactions (projected
// offsets in between account for every event left out), with little kept in memory, and
// re-deliveries and conflicting variants on the way; the tables equal project() at the end.
const events: DomainEvent[] = [...syntheticEvents({ incidents: 400, seed: 21, prefix: 'backlog' })];


it('projects a long backlog in several transactions and equals project()', async () => {
  const { pool } = await freshSchema();
  const report = events.find((e) => e.type === 'MunitionCountReported')!;
  const variant = { ...report, data: { ...report.data, munitions: { low: 99, best: 99, high: 99, qualifier: 'exact' } } } as DomainEvent;
  const all = [...events, variant];
  const projector = new Projector(pool, 'main', createLogger('backlog-test', 'error'), { maxEventsPerRecompute: 300, maxPendingEvents: 100 });
  try {
    for (const b of batches('backlog', all, 3)) await projector.handle(b);
    await projector.flush();
    expect(projector.stats.recomputes).toBeGreaterThan(3);
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(all)));
    // militants killed on both sides of attacks: one key, overall rows kept apart per side (§5.5)
    const sides = await pool.query<{ side: string }>(
      `SELECT DISTINCT side FROM casualty_tally WHERE scope_kind = 'overall' AND role = 'militant' AND outcome = 'killed' ORDER BY side`,
    );
    expect(sides.rows.map((r) => r.side)).toEqual(expect.arrayContaining(['attacker', 'target']));
    const offsets = await pool.query<{ n: string }>('SELECT count(*) AS n FROM projector_offsets WHERE projected_next_offset <> next_offset');
    expect(offsets.rows[0]!.n).toBe('0');
    const parked = await pool.query<{ error_code: string }>('SELECT error_code FROM dead_letters');
    expect(parked.rows).toEqual([{ error_code: 'conflicting_duplicate' }]);
  } finally {
    await projector.stop();
    await pool.end();
  }
});

describe('catching up', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Feeds 100-event batches of one partition with 80 ms between them (slower than the 20 ms quiet pause). */
  async function paced(topic: string, live: boolean, check: (pool: Pool, projector: Projector) => Promise<void>): Promise<void> {
    const { pool } = await freshSchema();
    const projector = new Projector(pool, 'main', createLogger('backlog-test', 'error'), { minRecomputeIntervalMs: 20 });
    try {
      const list = batches(topic, events, 1, 100, live);
      for (const b of list) {
        await projector.handle(b);
        await sleep(80);
      }
      await projector.flush();
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(events)));
      await check(pool, projector);
    } finally {
      await projector.stop();
      await pool.end();
    }
  }

  it('lets a backlog far behind its log end be stored before projecting it, however slowly batches come', async () => {
    expect(Number(batches('slow', events, 1, 100)[0]!.highWatermark)).toBeGreaterThan(1_100); // ≥ 1,000 records behind
    await paced('slow', false, async (pool, projector) => {
      // each cluster projected once, no event projected twice
      const clusters = await pool.query<{ n: string }>('SELECT count(DISTINCT cluster_id) AS n FROM projection_event_clusters');
      expect(projector.stats.clusters).toBe(Number(clusters.rows[0]!.n));
      expect(projector.stats.reprojected).toBe(0);
    });
  });

  it('projects a live stream as it comes (batches at the log end)', async () => {
    await paced('live', true, (_pool, projector) => {
      expect(projector.stats.recomputes).toBeGreaterThan(5);
      return Promise.resolve();
    });
  });
});

it('refreshes the planner statistics of tables that grew from empty, without autovacuum', async () => {
  const { pool, schema } = await freshSchema();
  const list = [...syntheticEvents({ incidents: 2_000, seed: 5, prefix: 'stats' })];
  const projector = new Projector(pool, 'main', createLogger('backlog-test', 'error'));
  try {
    for (const b of batches('stats', list, 2, 500)) await projector.handle(b);
    await projector.flush();
    expect(projector.stats.rows).toBeGreaterThan(20_000);
    const analyzed = await pool.query<{ relname: string; reltuples: number }>(
      `SELECT relname, reltuples FROM pg_class WHERE relnamespace = $1::regnamespace AND relname IN ('incident_timeline', 'incident_current', 'projection_event_clusters') ORDER BY relname`,
      [schema],
    );
    // -1: never analyzed; the projector's ANALYZE counted the rows
    expect(analyzed.rows.map((r) => [r.relname, r.reltuples > 0])).toEqual([
      ['incident_current', true],
      ['incident_timeline', true],
      ['projection_event_clusters', true],
    ]);
  } finally {
    await projector.stop();
    await pool.end();
  }
});

it('equals project() after a recomputation of several groups that rewrites earlier clusters', async () => {
  // The second recomputation holds more events than one group (4,000): new incidents, and the
  // seed's later events (merges, retractions, revisions), which make rows of clusters projected
  // by the first vanish. Those removals are sent with the step's rows, after other groups'.
  const { pool } = await freshSchema();
  const seed = seedEvents();
  const cut = Math.floor(seed.length / 2);
  const first = [...seed.slice(0, cut), ...syntheticEvents({ incidents: 200, seed: 12, prefix: 'groups-a' })];
  const second = [...seed.slice(cut), ...syntheticEvents({ incidents: 1_500, seed: 13, prefix: 'groups-b' })];
  const projector = new Projector(pool, 'main', createLogger('backlog-test', 'error'));
  try {
    const ends = new Map<number, number>();
    for (const b of batches('groups', first, 3, 500)) {
      await projector.handle(b);
      ends.set(b.partition, Number(b.highWatermark));
    }
    await projector.flush();
    const rowsBefore = projector.stats.rows;
    // the second part of the log follows the first in every partition
    for (const b of batches('groups', second, 3, 500)) {
      const later = (offset: string) => String(Number(offset) + (ends.get(b.partition) ?? 0));
      await projector.handle({ ...b, highWatermark: later(b.highWatermark), records: b.records.map((r) => ({ ...r, offset: later(r.offset) })) });
    }
    await projector.flush();
    expect(second.length).toBeGreaterThan(4_000);
    expect(projector.stats.rows).toBeGreaterThan(rowsBefore);
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...first, ...second])));
  } finally {
    await projector.stop();
    await pool.end();
  }
});

it('joins clusters projected in an earlier transaction when a merge arrives in a later one', async () => {
  // The second recomputation loads the earlier events of both clusters (committed under their
  // ids before it, read beside its own writes) and projects them as one.
  const { pool } = await freshSchema();
  const seed = seedEvents();
  const merge = seed.find((e) => e.type === 'IncidentMerged')!;
  const first = seed.filter((e) => e !== merge);
  const clusters = async () => {
    const r = await pool.query<{ n: string }>(
      `SELECT count(DISTINCT c.cluster_id) AS n FROM projection_event_clusters c JOIN event_store e ON e.seq = c.seq
        WHERE e.subject = ANY($1::text[]) AND e.type <> 'IncidentMerged'`,
      [['incident/seed-alomar-7rockets', 'incident/i3-gv-rockets']],
    );
    return Number(r.rows[0]!.n);
  };
  const projector = new Projector(pool, 'main', createLogger('backlog-test', 'error'));
  try {
    for (const b of batches('merge', first, 1, 500)) await projector.handle(b);
    await projector.flush();
    expect(await clusters()).toBe(2);
    await projector.handle({
      topic: 'merge',
      partition: 0,
      highWatermark: String(first.length + 1),
      records: [{ partition: 0, offset: String(first.length), key: merge.subject, value: JSON.stringify(merge), headers: {}, timestamp: '0' }],
      heartbeat: () => Promise.resolve(),
      isActive: () => true,
    });
    await projector.flush();
    expect(await clusters()).toBe(1);
    expect(projector.stats.reprojected).toBeGreaterThan(0);
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(seed)));
  } finally {
    await projector.stop();
    await pool.end();
  }
});
