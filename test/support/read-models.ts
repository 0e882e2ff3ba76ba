import type { Pool } from '@incidents/db';
import { canonicalJson } from '@incidents/events';
import type { Projection } from '@incidents/projection';
import { READ_MODEL_TABLES } from '../../services/projector/src/store/read-models.js';
import { citedIds } from '../../services/query/src/changes/routes.js';

export type Dump = Record<string, Record<string, unknown>[]>;

function sortRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => ({ key: canonicalJson(r), r })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.r);
}

/** A revision_feed row as the projection has it: lists named by `cites` filled from reference_citations (migration 009). */
const REVISION_ROW = `to_jsonb(t) - 'cites' || CASE WHEN t.cites IS NULL THEN '{}'::jsonb
  ELSE jsonb_build_object('incident_ids', ${citedIds('t', 'incident')}, 'operation_ids', ${citedIds('t', 'operation')}) END`;

/** Every read-model table as JSON rows (bigint as numbers), in a canonical order. */
export async function dumpReadModels(pool: Pool): Promise<Dump> {
  const dump: Dump = {};
  for (const table of READ_MODEL_TABLES) {
    const result = await pool.query<{ row: Record<string, unknown> }>(`SELECT ${table === 'revision_feed' ? REVISION_ROW : 'to_jsonb(t)'} AS row FROM ${table} t`);
    dump[table] = sortRows(result.rows.map((r) => r.row));
  }
  return dump;
}

/** The same shape from a pure projection, for comparison with the tables. */
export function dumpProjection(projection: Projection): Dump {
  const dump: Dump = {};
  for (const table of READ_MODEL_TABLES) {
    dump[table] = sortRows(JSON.parse(JSON.stringify(projection[table])) as Record<string, unknown>[]);
  }
  return dump;
}
