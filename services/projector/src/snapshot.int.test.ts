import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Pool } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import { project, type EngineSnapshot } from '@incidents/projection';
import { createLogger } from '@incidents/telemetry';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { batches } from '../../../test/support/batches.js';
import { freshSchema } from '../../../test/support/infra.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';
import { seedEvents } from '../../../test/support/seed.js';
import { Projector, type ProjectorOptions } from './projector.js';

// A process that starts goes on from the snapshot of the index the last one saved (at its
// stop, or once caught up) instead of replaying the store, and replays only what was projected
// after it; a snapshot it cannot trust is not used. Either way the tables equal project().

const seed = seedEvents();
const [a, b, c] = [1, 2, 3].map((n) => [...syntheticEvents({ incidents: 60, seed: 30 + n, prefix: `snap${n}` })]) as [DomainEvent[], DomainEvent[], DomainEvent[]];

function projector(pool: Pool, lines: string[] = [], options: ProjectorOptions = {}): Projector {
  return new Projector(pool, 'main', createLogger('snapshot-test', 'info', {}, (line) => lines.push(line)), options);
}

/** Stores `events` (as the batches of their own topic) and projects them. */
async function feed(p: Projector, topic: string, events: DomainEvent[]): Promise<void> {
  for (const batch of batches(topic, events, 3, 100)) await p.handle(batch);
  await p.flush();
}

/** A first process projects the seed and `a`, then stops (saving a snapshot). */
async function projectedAndStopped(pool: Pool): Promise<Projector> {
  const first = projector(pool);
  await feed(first, 'snap-a', [...seed, ...a]);
  await first.stop();
  return first;
}

async function snapshotRow(pool: Pool): Promise<{ projected_seq: string; events: string; write_token: string } | undefined> {
  const r = await pool.query<{ projected_seq: string; events: string; write_token: string }>(`SELECT projected_seq, events, write_token FROM projection_snapshots WHERE projection = 'main'`);
  return r.rows[0];
}

it('starts from the snapshot saved when the previous process stopped, and projects on from there', async () => {
  const { pool } = await freshSchema();
  try {
    const first = await projectedAndStopped(pool);
    expect(first.stats.snapshots).toBe(1);
    const state = await pool.query<{ projected_seq: string; write_token: string }>(`SELECT projected_seq, write_token FROM projection_state`);
    expect(await snapshotRow(pool)).toEqual({ ...state.rows[0], events: String(seed.length + a.length) });

    const lines: string[] = [];
    const second = projector(pool, lines);
    await feed(second, 'snap-b', b);
    expect(second.stats).toMatchObject({ restores: 1, rebuilds: 0, catchUps: 0 });
    expect(lines.some((l) => l.includes('index restored from its snapshot'))).toBe(true);
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...seed, ...a, ...b])));
    await second.stop();
  } finally {
    await pool.end();
  }
});

it('after a crash, starts from an older snapshot and replays what was projected after it', async () => {
  const { pool } = await freshSchema();
  try {
    await projectedAndStopped(pool);
    const saved = await snapshotRow(pool);
    // a process that saves nothing (as if killed) projects more after the snapshot
    const killed = projector(pool, [], { snapshotEvents: 0 });
    await feed(killed, 'snap-b', b);
    await killed.stop();
    expect(killed.stats).toMatchObject({ restores: 1, snapshots: 0 });
    expect(await snapshotRow(pool)).toEqual(saved);

    const third = projector(pool);
    await feed(third, 'snap-c', c);
    expect(third.stats).toMatchObject({ restores: 1, catchUps: 1, rebuilds: 0 });
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...seed, ...a, ...b, ...c])));
    await third.stop();
  } finally {
    await pool.end();
  }
});

it('saves a snapshot once caught up, not one per recomputation of a backlog', async () => {
  const { pool } = await freshSchema();
  try {
    const p = projector(pool, [], { snapshotEvents: 100, maxEventsPerRecompute: 200 });
    const all = [...seed, ...a, ...b, ...c];
    // far behind the log end (≥ 1,000 records) until each partition's last batch, as in a rebuild
    const list = batches('snap-a', all, 3, 100);
    const last = new Map(list.map((x) => [x.partition, x]));
    for (const x of list) await p.handle(last.get(x.partition) === x ? x : { ...x, highWatermark: String(Number(x.highWatermark) + 5_000) });
    await p.flush();
    expect(p.stats.recomputes).toBeGreaterThanOrEqual(5);
    // (the recomputation running when the last batches came may have found itself caught up)
    expect(p.stats.snapshots).toBeGreaterThanOrEqual(1);
    expect(p.stats.snapshots).toBeLessThanOrEqual(2);
    expect(Number((await snapshotRow(pool))!.events)).toBe(all.length);
    // nothing projected since: stopping saves no other
    const saved = p.stats.snapshots;
    await p.stop();
    expect(p.stats.snapshots).toBe(saved);
  } finally {
    await pool.end();
  }
});

describe('a snapshot it cannot use is left alone: the index is rebuilt from the store', () => {
  const garbage = Buffer.from('not a v8 value');
  const damages: [string, string, RegExp][] = [
    ['of another format', `UPDATE projection_snapshots SET format = format + 1`, /format \d+, this code reads/],
    ['ahead of the tables', `UPDATE projection_snapshots SET projected_seq = projected_seq + 1000`, /ahead of the tables/],
    ['too far behind them', `UPDATE projection_snapshots SET projected_seq = 1`, /would cost more than a rebuild/],
    ['missing a part', `DELETE FROM projection_snapshot_parts`, /part 0 of 1 is missing/],
    ['cut short', `UPDATE projection_snapshot_parts SET data = substring(data from 1 for 100)`, /100 bytes, \d+ saved/],
    ['altered', `UPDATE projection_snapshot_parts SET data = overlay(data placing '\\xff'::bytea from 200 for 1)`, /SHA-256 does not match/],
    [
      'not a snapshot at all',
      `UPDATE projection_snapshot_parts SET data = '\\x${garbage.toString('hex')}'::bytea;
       UPDATE projection_snapshots SET bytes = ${garbage.length}, sha256 = '${createHash('sha256').update(garbage).digest('hex')}'`,
      /not a snapshot/,
    ],
    ['at odds with its header', `UPDATE projection_snapshots SET events = events + 1`, /does not match its header/],
  ];

  it.each(damages)('%s', async (_name, damage, reason) => {
    const { pool } = await freshSchema();
    try {
      await projectedAndStopped(pool);
      await pool.query(damage);
      const lines: string[] = [];
      const second = projector(pool, lines);
      await feed(second, 'snap-b', b);
      expect(second.stats).toMatchObject({ restores: 0, rebuilds: 1 });
      expect(lines.filter((l) => l.includes('index snapshot not used'))).toEqual([expect.stringMatching(reason)]);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...seed, ...a, ...b])));
      await second.stop();
    } finally {
      await pool.end();
    }
  });

  it('that does not add up to what the tables hold', async () => {
    const { pool } = await freshSchema();
    try {
      await projectedAndStopped(pool);
      // a snapshot that counts one event fewer than the tables reflect at its seq (another
      // store's, or a bug's): consistent in itself, header and checksum included
      const part = await pool.query<{ data: Buffer }>(`SELECT data FROM projection_snapshot_parts WHERE projection = 'main'`);
      expect(part.rows).toHaveLength(1);
      const snapshot = deserialize(part.rows[0]!.data) as EngineSnapshot;
      const forged = serialize({ ...snapshot, events: snapshot.events - 1 });
      await pool.query(`UPDATE projection_snapshot_parts SET data = $1`, [forged]);
      await pool.query(`UPDATE projection_snapshots SET events = events - 1, bytes = $1, sha256 = $2`, [forged.length, createHash('sha256').update(forged).digest('hex')]);
      const lines: string[] = [];
      const second = projector(pool, lines);
      await feed(second, 'snap-b', b);
      expect(second.stats).toMatchObject({ restores: 1, rebuilds: 1 });
      expect(lines.some((l) => l.includes('does not add up to the tables; rebuilding it'))).toBe(true);
      expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...seed, ...a, ...b])));
      await second.stop();
    } finally {
      await pool.end();
    }
  });
});

it('drops the snapshot when the read models are rewritten from the store', async () => {
  const { pool } = await freshSchema();
  try {
    await projectedAndStopped(pool);
    expect(await snapshotRow(pool)).toBeDefined();
    // what a migration that changes the tables' layout does (008, 009)
    await pool.query(`UPDATE projection_state SET projected_seq = NULL, write_token = 'migration-test'`);
    const second = projector(pool);
    await second.flush();
    expect(second.stats.restores).toBe(0);
    expect(await snapshotRow(pool)).toBeUndefined();
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...seed, ...a])));
    await second.stop();
  } finally {
    await pool.end();
  }
});

it('saves no snapshot of an index another process has written past, and goes on when a save fails', async () => {
  const { pool } = await freshSchema();
  try {
    const lines: string[] = [];
    const first = projector(pool, lines);
    await feed(first, 'snap-a', [...seed, ...a]);
    // another process writes the tables after it: its index no longer describes them
    const other = projector(pool, [], { snapshotEvents: 0 });
    await feed(other, 'snap-b', b);
    await first.stop();
    expect(first.stats.snapshots).toBe(0);
    expect(await snapshotRow(pool)).toBeUndefined();
    await other.stop();

    await pool.query(`ALTER TABLE projection_snapshot_parts RENAME TO parts_elsewhere`);
    // fed 50 events at a time, each projected at once; a failed save is tried again only
    // after 200 more events, not at every recomputation
    const third = projector(pool, lines, { snapshotEvents: 200 });
    for (let i = 0; i < c.length; i += 50) await feed(third, `snap-c${i}`, c.slice(i, i + 50));
    expect(third.stats.recomputes).toBeGreaterThanOrEqual(c.length / 50);
    await third.stop();
    expect(third.stats.snapshots).toBe(0);
    const failed = lines.filter((l) => l.includes('could not save the index snapshot'));
    expect(failed.length).toBeGreaterThanOrEqual(2); // once caught up after the start, and at the stop
    expect(failed.length).toBeLessThanOrEqual(2 + Math.floor(c.length / 200));
    expect(await snapshotRow(pool)).toBeUndefined();
    expect(await dumpReadModels(pool)).toEqual(dumpProjection(project([...seed, ...a, ...b, ...c])));
  } finally {
    await pool.end();
  }
});
