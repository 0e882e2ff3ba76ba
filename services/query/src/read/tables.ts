import { READ_MODEL_TABLES, type ReadModelTable } from '@incidents/projection';

export { READ_MODEL_TABLES, type ReadModelTable };

const NAMED = new RegExp(`\\b(${READ_MODEL_TABLES.join('|')})\\b`, 'g');

/** The read-model tables a SQL text names (found by name, so none can be forgotten). */
export function tablesIn(sql: string): ReadModelTable[] {
  return [...new Set(sql.match(NAMED) ?? [])] as ReadModelTable[];
}

/**
 * Rewrites `sql` so that each read-model table it names is replaced by a CTE of the same
 * name over a jsonb parameter holding the rows (appended after `paramCount` parameters).
 * The same SQL then answers over the current tables or over an as-of projection.
 */
export function overRows(sql: string, paramCount: number): { text: string; tables: ReadModelTable[] } {
  const tables = tablesIn(sql);
  if (tables.length === 0) return { text: sql, tables };
  const ctes = tables
    .map((t, i) => `${t} AS (SELECT * FROM jsonb_populate_recordset(NULL::${t}, $${paramCount + i + 1}::jsonb))`)
    .join(',\n');
  const body = sql.trimStart();
  const text = /^WITH\s/i.test(body) ? `WITH ${ctes},\n${body.replace(/^WITH\s+/i, '')}` : `WITH ${ctes}\n${body}`;
  return { text, tables };
}
