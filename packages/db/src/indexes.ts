import type { Pool } from './pool.js';
import { withTransaction } from './transaction.js';

/**
 * Drops the non-unique indexes of `schema`'s tables, keeping their definitions in its
 * `deferred_indexes` table (one transaction: both or neither). The projector reads only by
 * unique keys (primary keys, the store's seq); the others serve the query service, which reads
 * a version only once it is switched in. A build from empty that maintains them row by row
 * pays more than one sorted build of each at the end. Returns how many were dropped.
 */
export async function deferIndexes(pool: Pool, schema: string): Promise<number> {
  return withTransaction(pool, async (client) => {
    const found = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT c.relname AS indexname, pg_get_indexdef(c.oid) AS indexdef
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relnamespace = $1::regnamespace AND NOT i.indisunique AND NOT i.indisprimary
          AND c.relname NOT IN (SELECT index_name FROM "${schema}".deferred_indexes)
        ORDER BY c.relname`,
      [quoteIdent(schema)],
    );
    for (const row of found.rows) {
      await client.query(`INSERT INTO "${schema}".deferred_indexes (index_name, definition) VALUES ($1, $2)`, [row.indexname, row.indexdef]);
      await client.query(`DROP INDEX "${schema}".${quoteIdent(row.indexname)}`);
    }
    return found.rows.length;
  });
}

/** Builds the indexes `deferIndexes` dropped from `schema` (one transaction). Returns how many. */
export async function buildDeferredIndexes(pool: Pool, schema: string): Promise<number> {
  return withTransaction(pool, async (client) => {
    const deferred = await client.query<{ index_name: string; definition: string }>(
      `SELECT index_name, definition FROM "${schema}".deferred_indexes ORDER BY index_name FOR UPDATE`,
    );
    if (deferred.rows.length === 0) return 0;
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    for (const row of deferred.rows) {
      // A migration applied meanwhile may have created it again.
      await client.query(row.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    }
    await client.query(`DELETE FROM "${schema}".deferred_indexes`);
    return deferred.rows.length;
  });
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
