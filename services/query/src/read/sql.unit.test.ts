import { ProblemError } from '@incidents/http';
import { after, Bind, decodeCursor, encodeCursor } from './sql.js';
import { overRows, tablesIn } from './tables.js';

describe('keyset cursors', () => {
  it('round-trips the sort and key', () => {
    expect(decodeCursor(encodeCursor('-date', ['2023-03-24', 'i3']), '-date', 2)).toEqual(['2023-03-24', 'i3']);
  });

  it('rejects a cursor of another sort, shape or garbage as a 400 naming cursor', () => {
    for (const [cursor, sort] of [
      [encodeCursor('date', ['a', 'b']), '-date'],
      [encodeCursor('date', ['a']), 'date'],
      ['bm90LWpzb24', 'date'],
    ] as const) {
      let caught: unknown;
      try {
        decodeCursor(cursor, sort, 2);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ProblemError);
      expect((caught as ProblemError).errors?.[0]?.parameter).toBe('cursor');
    }
  });

  it('builds "after" conditions with bound values only', () => {
    const bind = new Bind();
    const sql = after(bind, ['a', 'b'], ["x' OR 1=1", 'y'], true);
    expect(sql).toBe('((a COLLATE "C" < $1) OR (a COLLATE "C" = $2 AND b COLLATE "C" < $3))');
    expect(bind.values).toEqual(["x' OR 1=1", "x' OR 1=1", 'y']);
  });
});

describe('as-of rewriting', () => {
  it('finds the read-model tables a statement names', () => {
    expect(tablesIn('SELECT * FROM incident_current ic WHERE EXISTS (SELECT 1 FROM casualty_tally)').sort()).toEqual(['casualty_tally', 'incident_current']);
    expect(tablesIn('SELECT max(seq) FROM event_store')).toEqual([]);
  });

  it('puts one CTE per table over parameters after the statement’s own', () => {
    const { text, tables } = overRows('SELECT * FROM sites WHERE site_id = $1', 1);
    expect(tables).toEqual(['sites']);
    expect(text).toBe('WITH sites AS (SELECT * FROM jsonb_populate_recordset(NULL::sites, $2::jsonb))\nSELECT * FROM sites WHERE site_id = $1');
    expect(overRows('WITH x AS (SELECT 1) SELECT * FROM actors, x', 0).text).toMatch(/^WITH actors AS \(.*\$1::jsonb\)\),\nx AS/);
  });
});
