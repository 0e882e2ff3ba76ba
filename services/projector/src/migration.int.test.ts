import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createPool, runMigrations, type Pool } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import type { PartitionBatch } from '@incidents/kafka';
import { project } from '@incidents/projection';
import { createLogger } from '@incidents/telemetry';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { databaseUrl, migrationsDir, repoRoot, uniqueName } from '../../../test/support/infra.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';
import { seedEvents } from '../../../test/support/seed.js';
import { Projector } from './projector.js';

function batch(topic: string, events: DomainEvent[]): PartitionBatch {
  return {
    topic,
    partition: 0,
    records: events.map((e, offset) => ({ partition: 0, offset: String(offset), key: e.subject, value: JSON.stringify(e), headers: {}, timestamp: '0' })),
    highWatermark: String(events.length),
    heartbeat: () => Promise.resolve(),
    isActive: () => true,
  };
}

/** A fresh schema migrated up to (not including) migration `before`, e.g. '008'. */
async function schemaBefore(before: string): Promise<string> {
  const schema = uniqueName('t');
  // (under the repository: the migration CLI is found from the migrations directory upwards)
  const dir = mkdtempSync(path.join(repoRoot, 'node_modules', '.migrations-'));
  for (const f of readdirSync(migrationsDir).filter((f) => f < before)) cpSync(path.join(migrationsDir, f), path.join(dir, f));
  await runMigrations({ databaseUrl: databaseUrl(), schema, migrationsDir: dir });
  rmSync(dir, { recursive: true });
  return schema;
}

/**
 * A schema at the migration before `before` holding `events` stored, unprojected, a read-model
 * row written the old way (`oldRow`, SQL) and a projection state claiming it all projected;
 * then migrated to the end, which must ask for the read models to be rewritten.
 */
async function migratedWithOldRow(before: string, events: DomainEvent[], oldRow: string): Promise<Pool> {
  const schema = await schemaBefore(before);
  const pool = createPool({ url: databaseUrl(), schema, max: 5 });
  const storer = new Projector(pool, 'main', createLogger('migration-test', 'error'));
  await storer.stop(); // stores, does not project
  await storer.handle(batch(`m${before}`, events));
  await pool.query(oldRow);
  await pool.query(
    `INSERT INTO projection_state (projection, events_applied, write_token, projected_seq) SELECT 'main', count(*), 'old', max(seq) FROM event_store`,
  );
  await runMigrations({ databaseUrl: databaseUrl(), schema, migrationsDir });
  const state = await pool.query<{ projected_seq: string | null }>(`SELECT projected_seq FROM projection_state`);
  expect(state.rows).toEqual([{ projected_seq: null }]);
  return pool;
}

it('rewrites read models summed before migration 008 (tallies per side) from the event store', async () => {
  // A schema at migration 007 whose tallies were summed per key only: a row with side NULL.
  const events = [...seedEvents(), ...syntheticEvents({ incidents: 60, seed: 8, prefix: 'm8' })];
  const pool = await migratedWithOldRow('008', events, `INSERT INTO casualty_tally VALUES ('overall', '', 'militant', 'killed', '', NULL, NULL, 9, 9, 9, 'sum', false, 2)`);
  try {
    const old = await pool.query(`SELECT side, affiliation_actor_id, best FROM casualty_tally`);
    expect(old.rows).toEqual([{ side: '', affiliation_actor_id: '', best: '9' }]);

    const projector = new Projector(pool, 'main', createLogger('migration-test', 'error'));
    try {
      await projector.flush();
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(events)));
      const sides = await pool.query<{ side: string }>(
        `SELECT DISTINCT side FROM casualty_tally WHERE scope_kind = 'overall' AND role = 'militant' AND outcome = 'killed' ORDER BY side`,
      );
      expect(sides.rows.map((r) => r.side)).toEqual(expect.arrayContaining(['attacker', 'target']));
    } finally {
      await projector.stop();
    }
  } finally {
    await pool.end();
  }
});

it('rewrites read models written before migration 009 (citation lists inline) from the event store', async () => {
  // A schema at migration 008 whose source registration row lists its citing incidents inline.
  const events = [...seedEvents(), ...syntheticEvents({ incidents: 40, seed: 9, prefix: 'm9' })];
  const pool = await migratedWithOldRow(
    '009',
    events,
    `INSERT INTO revision_feed VALUES ('2023-03-01T00:00:00Z', 'seed-e001', '/feeds/seed-desk', 'SourceRegistered', '["i3-gv-rockets"]', '[]')`,
  );
  try {
    const old = await pool.query(`SELECT incident_ids, cites FROM revision_feed`);
    expect(old.rows).toEqual([{ incident_ids: ['i3-gv-rockets'], cites: null }]);

    // (steps of 50 events: a new version's backlog would take several transactions)
    const projector = new Projector(pool, 'main', createLogger('migration-test', 'error'), { maxEventsPerRecompute: 50 });
    try {
      await projector.flush();
      // rewritten in one transaction: readers kept the old rows until the new ones were complete
      expect(projector.stats.recomputes).toBe(1);
      expect(events.length).toBeGreaterThan(100);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project(events)));
      const row = await pool.query(`SELECT incident_ids, operation_ids, cites FROM revision_feed WHERE event_id = 'seed-e001'`);
      expect(row.rows).toEqual([{ incident_ids: [], operation_ids: [], cites: 'source/dod' }]);
      const cited = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM reference_citations WHERE ref = 'source/dod' AND kind = 'incident'`);
      expect(Number(cited.rows[0]!.n)).toBe(project(events).revision_feed.find((r) => r.event_id === 'seed-e001')!.incident_ids.length);
    } finally {
      await projector.stop();
    }
  } finally {
    await pool.end();
  }
});
