import type { PoolClient } from '@incidents/db';
import type { Projection } from '@incidents/projection';

/** The read-model tables, named like the `Projection` fields that fill them. */
export const READ_MODEL_TABLES = [
  'incident_current',
  'operations',
  'attack_counts',
  'casualty_tally',
  'casualty_tally_by_period',
  'response_graph',
  'incident_timeline',
  'source_discrepancies',
  'revision_feed',
  'external_stats',
  'documents',
  'sources',
  'actors',
  'sites',
] as const satisfies readonly (keyof Projection)[];
export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

interface TableMeta {
  name: ReadModelTable;
  columns: { name: string; type: string }[];
  key: string[];
}

type Row = Record<string, unknown>;
const CHUNK = 5000;

/** Column names and types of the read-model tables, read once from the catalog. */
export async function readTableMeta(client: PoolClient): Promise<TableMeta[]> {
  const cols = await client.query<{ table_name: string; column_name: string; type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [READ_MODEL_TABLES],
  );
  const keys = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)
      ORDER BY k.ord`,
    [READ_MODEL_TABLES],
  );
  return READ_MODEL_TABLES.map((name) => {
    const columns = cols.rows.filter((r) => r.table_name === name).map((r) => ({ name: r.column_name, type: r.type }));
    const key = keys.rows.filter((r) => r.table_name === name).map((r) => r.column_name);
    if (columns.length === 0 || key.length === 0) throw new Error(`read-model table ${name} is missing or has no primary key (migrations not applied?)`);
    return { name, columns, key };
  });
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

function keyOf(row: Row, key: string[]): string {
  return JSON.stringify(key.map((k) => row[k]));
}

function checkColumns(meta: TableMeta, row: Row): void {
  for (const field of Object.keys(row)) {
    if (!meta.columns.some((c) => c.name === field)) {
      throw new Error(`projection field ${meta.name}.${field} has no column: add it in a migration`);
    }
  }
}

async function upsert(client: PoolClient, meta: TableMeta, rows: Row[]): Promise<void> {
  const cols = meta.columns.map((c) => ident(c.name)).join(', ');
  const defs = meta.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
  const nonKey = meta.columns.filter((c) => !meta.key.includes(c.name));
  const update =
    nonKey.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${nonKey.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(', ')}`;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await client.query(
      `INSERT INTO ${ident(meta.name)} (${cols}) SELECT ${cols} FROM jsonb_to_recordset($1::jsonb) AS x(${defs})
       ON CONFLICT (${meta.key.map(ident).join(', ')}) ${update}`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
  }
}

async function remove(client: PoolClient, meta: TableMeta, rows: Row[]): Promise<void> {
  const keyCols = meta.key.map(ident).join(', ');
  const defs = meta.key.map((k) => `${ident(k)} ${meta.columns.find((c) => c.name === k)!.type}`).join(', ');
  for (let i = 0; i < rows.length; i += CHUNK) {
    const keys = rows.slice(i, i + CHUNK).map((r) => Object.fromEntries(meta.key.map((k) => [k, r[k]])));
    await client.query(
      `DELETE FROM ${ident(meta.name)} WHERE (${keyCols}) IN (SELECT ${keyCols} FROM jsonb_to_recordset($1::jsonb) AS x(${defs}))`,
      [JSON.stringify(keys)],
    );
  }
}

/**
 * Makes the tables hold `next`. With `previous` (what the tables hold now) only changed
 * rows are written; without it every table is rewritten.
 */
export async function writeReadModels(
  client: PoolClient,
  tables: TableMeta[],
  next: Projection,
  previous: Projection | undefined,
): Promise<{ upserted: number; deleted: number }> {
  let upserted = 0;
  let deleted = 0;
  for (const meta of tables) {
    const rows = next[meta.name] as unknown as Row[];
    if (!previous) {
      for (const row of rows) checkColumns(meta, row);
      await client.query(`DELETE FROM ${ident(meta.name)}`);
      await upsert(client, meta, rows);
      upserted += rows.length;
      continue;
    }
    const before = new Map<string, string>();
    for (const row of previous[meta.name] as unknown as Row[]) before.set(keyOf(row, meta.key), JSON.stringify(row));
    const changed: Row[] = [];
    for (const row of rows) {
      const k = keyOf(row, meta.key);
      const old = before.get(k);
      before.delete(k);
      if (old !== JSON.stringify(row)) {
        checkColumns(meta, row);
        changed.push(row);
      }
    }
    const gone = [...before.values()].map((s) => JSON.parse(s) as Row);
    await remove(client, meta, gone);
    await upsert(client, meta, changed);
    upserted += changed.length;
    deleted += gone.length;
  }
  return { upserted, deleted };
}
