import { freshSchema } from '../../../test/support/infra.js';
import type { Pool } from './pool.js';
import { buildDeferredIndexes, deferIndexes } from './indexes.js';

/** Every index of `schema` as its definition with the schema's name taken out. */
async function indexesOf(pool: Pool, schema: string): Promise<string[]> {
  const r = await pool.query<{ def: string }>(
    `SELECT replace(pg_get_indexdef(c.oid), $2, 'S.') AS def FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
      WHERE c.relnamespace = $1::regnamespace ORDER BY 1`,
    [`"${schema}"`, `${schema}.`],
  );
  return r.rows.map((row) => row.def);
}

describe('deferred indexes (real PostgreSQL)', () => {
  it('drops only non-unique indexes, keeps their definitions, and builds the same ones again', async () => {
    const { pool, schema } = await freshSchema();
    try {
      const migrated = await indexesOf(pool, schema);

      const dropped = await deferIndexes(pool, schema);
      const during = await indexesOf(pool, schema);
      expect(dropped).toBe(migrated.length - during.length);
      expect(during).not.toContain('CREATE INDEX incident_current_site_idx ON S.incident_current USING btree (site_id)');
      expect(during).toContain('CREATE UNIQUE INDEX incident_current_pkey ON S.incident_current USING btree (incident_id)');
      expect(during).toContain('CREATE UNIQUE INDEX event_store_seq_key ON S.event_store USING btree (seq)');
      expect(during.every((d) => d.startsWith('CREATE UNIQUE INDEX'))).toBe(true);
      // A second call (a resumed build) finds nothing more to drop and forgets nothing.
      expect(await deferIndexes(pool, schema)).toBe(0);
      const waiting = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM deferred_indexes`);
      expect(Number(waiting.rows[0]!.n)).toBe(dropped);

      expect(await buildDeferredIndexes(pool, schema)).toBe(dropped);
      expect(await indexesOf(pool, schema)).toEqual(migrated);
      expect(await buildDeferredIndexes(pool, schema)).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('creates an index a migration applied meanwhile already made, once', async () => {
    const { pool, schema } = await freshSchema();
    try {
      const migrated = await indexesOf(pool, schema);
      await deferIndexes(pool, schema);
      await pool.query(`CREATE INDEX incident_current_site_idx ON incident_current (site_id)`);
      await buildDeferredIndexes(pool, schema);
      expect(await indexesOf(pool, schema)).toEqual(migrated);
    } finally {
      await pool.end();
    }
  });

  it('changes nothing when the schema has no table for the definitions (not migrated)', async () => {
    const { pool, schema } = await freshSchema();
    try {
      await pool.query(`DROP TABLE deferred_indexes`);
      const migrated = await indexesOf(pool, schema);
      await expect(deferIndexes(pool, schema)).rejects.toThrow(/deferred_indexes/);
      expect(await indexesOf(pool, schema)).toEqual(migrated);
    } finally {
      await pool.end();
    }
  });
});
