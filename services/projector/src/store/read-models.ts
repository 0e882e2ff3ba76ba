import { COPY_NULL, copyField } from '@incidents/db';
import type { Queryable, Serial } from './serial.js';
import { PRIMARY_KEYS, READ_MODEL_TABLES, STORED_TABLES, type Row, type StoredTable, type TableWrite } from '@incidents/projection';

export { READ_MODEL_TABLES, type StoredTable };

interface Column {
  name: string;
  type: string;
}

export interface TableMeta {
  name: StoredTable;
  columns: Column[];
  key: string[];
}

/** Column names and types of the read-model tables, read once from the catalog. */
export async function readTableMeta(client: Queryable): Promise<Map<StoredTable, TableMeta>> {
  const cols = await client.query<{ table_name: string; column_name: string; type: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [STORED_TABLES],
  );
  const keys = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
       JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
      WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1)
      ORDER BY k.ord`,
    [STORED_TABLES],
  );
  return new Map(
    STORED_TABLES.map((name) => {
      const columns = cols.rows.filter((r) => r.table_name === name).map((r) => ({ name: r.column_name, type: r.type }));
      const key = keys.rows.filter((r) => r.table_name === name).map((r) => r.column_name);
      if (columns.length === 0 || key.length === 0) throw new Error(`read-model table ${name} is missing or has no primary key (migrations not applied?)`);
      if (key.join() !== PRIMARY_KEYS[name].join()) throw new Error(`read-model table ${name} has primary key (${key.join()}), the projection expects (${PRIMARY_KEYS[name].join()})`);
      return [name, { name, columns, key }];
    }),
  );
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const CHUNK = 10_000;

/** One array per column for unnest: jsonb travels as text, the rest as its own type. */
function arrays(columns: readonly Column[], rows: readonly Row[]): unknown[][] {
  return columns.map((c) =>
    rows.map((r) => {
      const v = r[c.name];
      if (v === undefined || v === null) return null;
      return c.type === 'jsonb' ? JSON.stringify(v) : v;
    }),
  );
}

function unnestOf(columns: readonly Column[], from = 1): { from: string; select: string } {
  const params = columns.map((c, i) => `$${from + i}::${c.type === 'jsonb' ? 'text' : c.type}[]`).join(', ');
  return {
    from: `unnest(${params}) AS x(${columns.map((c) => ident(c.name)).join(', ')})`,
    select: columns.map((c) => (c.type === 'jsonb' ? `x.${ident(c.name)}::jsonb` : `x.${ident(c.name)}`)).join(', '),
  };
}

function checkColumns(meta: TableMeta, row: Row): void {
  for (const field of Object.keys(row)) {
    if (!meta.columns.some((c) => c.name === field)) throw new Error(`projection field ${meta.name}.${field} has no column: add it in a migration`);
  }
}

const columnsOf = (meta: TableMeta, names: readonly string[]): Column[] => names.map((n) => meta.columns.find((c) => c.name === n)!);

/** The upsert of rows selected from `source`. */
function upsertText(meta: TableMeta, additive: boolean, source: string): string {
  const cols = meta.columns.map((c) => ident(c.name)).join(', ');
  const nonKey = meta.columns.filter((c) => !meta.key.includes(c.name));
  const t = ident(meta.name);
  const conflict =
    nonKey.length === 0
      ? 'DO NOTHING'
      : additive
        ? `DO UPDATE SET ${nonKey.map((c) => `${ident(c.name)} = ${t}.${ident(c.name)} + EXCLUDED.${ident(c.name)}`).join(', ')}`
        : `DO UPDATE SET ${nonKey.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(', ')}
           WHERE (${nonKey.map((c) => `${t}.${ident(c.name)}`).join(', ')}) IS DISTINCT FROM (${nonKey.map((c) => `EXCLUDED.${ident(c.name)}`).join(', ')})`;
  return `INSERT INTO ${t} (${cols}) SELECT ${cols} FROM ${source} ON CONFLICT (${meta.key.map(ident).join(', ')}) ${conflict}`;
}

/** One row in COPY's text format, by the column types of the read models. */
function copyLine(columns: readonly Column[], row: Row): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const v = row[c.name];
    let field: string;
    if (v === undefined || v === null) field = COPY_NULL;
    else if (c.type === 'jsonb') field = copyField(JSON.stringify(v));
    else if (typeof v === 'string') field = copyField(v);
    else if (typeof v === 'boolean') field = c.type === 'boolean' ? (v ? 't' : 'f') : String(v);
    // as in JSON: a number that is not finite is null
    else if (typeof v === 'number') field = Number.isFinite(v) ? String(v) : COPY_NULL;
    else field = copyField(JSON.stringify(v));
    line += i === 0 ? field : `\t${field}`;
  }
  return `${line}\n`;
}

const STAGE_BYTES = 8 * 1024 * 1024;
/** What a gathered deleted key counts for against STAGE_BYTES. */
const REMOVAL_BYTES = 64;

interface Gathered {
  meta: TableMeta;
  lines: string[];
  fresh: string[];
  /** deleted keys, sent before the rows */
  deletes: Row[];
  bytes: number;
}

/**
 * Upserts of rows that replace (not add to) what a key holds, gathered per table across
 * `applyWrites` calls and sent in large pieces: COPY into a temporary staging table, then one
 * INSERT … SELECT … ON CONFLICT from it; rows marked fresh (keys the table cannot hold) COPY
 * straight into the table; a step's removals go just before its rows. Few, large round trips
 * keep PostgreSQL busy while the caller computes (a statement is only sent when the event loop
 * turns), and COPY is cheaper to parse than JSON. A table's gathered statements are sent before
 * any other statement on it (`flush(table)`). Rows of different tables do not depend on each other.
 */
export class StagedUpserts {
  private readonly pending = new Map<StoredTable, Gathered>();
  private readonly issued: Promise<unknown>[] = [];
  /** Staging tables this gatherer made sure exist (they live as long as the connection). */
  private readonly staging = new Set<StoredTable>();

  constructor(private readonly db: Serial) {}

  /**
   * Gathers rows to upsert; with `fresh` (rows whose keys the table does not hold, see
   * TableWrite), to copy straight into the table: half the work of staging and upserting.
   */
  add(meta: TableMeta, rows: readonly Row[], fresh = false): void {
    const p = this.gathered(meta);
    const into = fresh ? p.fresh : p.lines;
    for (const r of rows) {
      const line = copyLine(meta.columns, r);
      into.push(line);
      p.bytes += line.length;
    }
    if (p.bytes >= STAGE_BYTES) this.flush(meta.name);
  }

  /** Gathers deleted keys (see TableWrite) that commute with every row gathered for the table: sent before them. */
  remove(meta: TableMeta, deletes: readonly Row[]): void {
    const p = this.gathered(meta);
    for (const d of deletes) p.deletes.push(d);
    p.bytes += deletes.length * REMOVAL_BYTES;
    if (p.bytes >= STAGE_BYTES || p.deletes.length >= CHUNK) this.flush(meta.name);
  }

  private gathered(meta: TableMeta): Gathered {
    let p = this.pending.get(meta.name);
    if (p === undefined) {
      p = { meta, lines: [], fresh: [], deletes: [], bytes: 0 };
      this.pending.set(meta.name, p);
    }
    return p;
  }

  /**
   * Adds `rows` to what their keys hold (summed tables), now: the table's gathered rows go
   * first. Each piece is one statement, so a key appears at most once in `rows`.
   */
  sendAdditive(meta: TableMeta, rows: readonly Row[]): Promise<unknown>[] {
    this.flush(meta.name);
    const issued: Promise<unknown>[] = [];
    for (let i = 0; i < rows.length; i += CHUNK) {
      issued.push(this.send(meta, rows.slice(i, i + CHUNK).map((r) => copyLine(meta.columns, r)), true));
    }
    return issued;
  }

  /** Sends the gathered rows of `table` (of every table when omitted). */
  flush(table?: StoredTable): void {
    for (const name of table === undefined ? [...this.pending.keys()] : [table]) {
      const p = this.pending.get(name);
      if (p === undefined) continue;
      this.pending.delete(name);
      if (p.deletes.length > 0) for (const d of removeKeys(this.db, p.meta, p.deletes)) this.track(d);
      const cols = p.meta.columns.map((c) => ident(c.name)).join(', ');
      if (p.fresh.length > 0) this.track(this.db.copyIn(`COPY ${ident(name)} (${cols}) FROM STDIN`, p.fresh.join('')));
      if (p.lines.length > 0) void this.send(p.meta, p.lines, false); // tracked: settled by done()
    }
  }

  private send(meta: TableMeta, lines: readonly string[], additive: boolean): Promise<unknown> {
    const name = meta.name;
    const stage = `pg_temp.${ident(`stage_${name}`)}`;
    const cols = meta.columns.map((c) => ident(c.name)).join(', ');
    if (!this.staging.has(name)) {
      this.staging.add(name);
      this.track(this.db.query(`CREATE TEMP TABLE IF NOT EXISTS ${ident(`stage_${name}`)} (LIKE ${ident(name)}) ON COMMIT DELETE ROWS`));
    }
    this.track(this.db.copyIn(`COPY ${stage} (${cols}) FROM STDIN`, lines.join('')));
    const upserted = this.db.query(`${upsertText(meta, additive, stage)}; TRUNCATE ${stage}`);
    this.track(upserted);
    return upserted;
  }

  /** Sends what is gathered; settles when every statement sent so far has run. */
  done(): Promise<void> {
    this.flush();
    return settle(this.issued);
  }

  private track(p: Promise<unknown>): void {
    p.catch(() => undefined);
    this.issued.push(p);
  }
}

/** Adds deltas to the summed rows (attack_counts), then drops the rows left with no incident. */
function addDeltas(client: Queryable, staged: StagedUpserts, meta: TableMeta, rows: readonly Row[]): Promise<unknown>[] {
  const issued: Promise<unknown>[] = [...staged.sendAdditive(meta, rows)];
  const t = ident(meta.name);
  const keyCols = columnsOf(meta, meta.key);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const decreased = chunk.filter((r) => (r.incidents as number) < 0);
    if (decreased.length > 0) {
      // a row left with no incident holds only zeros and has no place in the table
      const k = unnestOf(keyCols);
      issued.push(
        client.query(
          `DELETE FROM ${t} WHERE incidents = 0 AND (${meta.key.map(ident).join(', ')}) IN (SELECT ${k.select} FROM ${k.from})`,
          arrays(keyCols, decreased),
        ),
      );
    }
  }
  return issued;
}

function removeKeys(client: Queryable, meta: TableMeta, rows: readonly Row[]): Promise<unknown>[] {
  const keyCols = columnsOf(meta, meta.key);
  const k = unnestOf(keyCols);
  const issued: Promise<unknown>[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    issued.push(
      client.query(
        `DELETE FROM ${ident(meta.name)} WHERE (${meta.key.map(ident).join(', ')}) IN (SELECT ${k.select} FROM ${k.from})`,
        arrays(keyCols, rows.slice(i, i + CHUNK)),
      ),
    );
  }
  return issued;
}

/**
 * Applies table changes from the incremental projection, in order. The statements are all
 * issued at once (the connection runs them in order), so the caller may compute the next
 * changes while PostgreSQL works; the promise settles when the last one has run. With a
 * caller's `staged` gatherer (one per step, for recomputed clusters' writes only), replacing
 * upserts and removals go into it instead and are sent and awaited by its `done()`.
 */
export function applyWrites(
  client: Serial,
  meta: Map<StoredTable, TableMeta>,
  writes: readonly TableWrite[],
  staged?: StagedUpserts,
  /** Insert the rows of writes marked `fresh` without conflict handling (false: upsert every row). */
  freshInserts = false,
): Promise<number> {
  let rows = 0;
  const issued: Promise<unknown>[] = [];
  const upserts = staged ?? new StagedUpserts(client);
  for (const w of writes) {
    const m = meta.get(w.table)!;
    const removes = w.deletes.length > 0;
    if (staged !== undefined && removes && w.additive !== true) {
      // A step's removals go with its rows, in a few large statements: they never touch a key
      // the step upserts (a group deletes keys its clusters no longer produce, and the groups
      // of a step own disjoint keys; the harness checks that their order does not matter).
      staged.remove(m, w.deletes);
    } else {
      if (removes || w.additive === true) upserts.flush(w.table);
      if (removes) issued.push(...removeKeys(client, m, w.deletes));
    }
    if (w.upserts.length > 0) {
      checkColumns(m, w.upserts[0]!);
      if (w.additive === true) issued.push(...addDeltas(client, upserts, m, w.upserts));
      else upserts.add(m, w.upserts, freshInserts && w.fresh === true && !removes);
    }
    rows += w.upserts.length + w.deletes.length;
  }
  // without a caller's gatherer, this call's rows go out now
  if (staged === undefined) issued.push(upserts.done());
  return settle(issued).then(() => rows);
}

/** Waits for every promise (none left unhandled), then rejects with the first failure. */
export async function settle(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/** Empties every read-model table and reference_citations (before they are written again from the store). */
export async function clearReadModels(client: Queryable): Promise<void> {
  // DELETE, not TRUNCATE: readers keep their snapshot instead of waiting for this transaction.
  for (const table of STORED_TABLES) await client.query(`DELETE FROM ${ident(table)}`);
}

/**
 * Refreshes the planner statistics of the read models and the cluster table (in the caller's
 * transaction), from a small sample: what the projector's own deletes and loads need is row
 * counts and distinct keys, which 3,000 rows per table give as well as the default 30,000, at
 * a tenth of the cost (3.8 → 0.4 s on a 100k-event schema). Autovacuum, where it runs, later
 * replaces them with full statistics.
 */
export async function analyzeTables(client: Queryable): Promise<void> {
  // SET LOCAL ends with the transaction; no other statement of it reads this setting
  await client.query('SET LOCAL default_statistics_target = 10');
  await client.query(`ANALYZE ${[...STORED_TABLES, 'projection_event_clusters'].map(ident).join(', ')}`);
}
