// Rows reach the read models through COPY's text format: every character a source may send
// (tabs, newlines, backslashes, quotes, non-ASCII, escapes inside JSON) must come back as it was,
// and a failing COPY must fail the transaction, leaving the tables as they were.
import { withTransaction, type Pool } from '@incidents/db';
import type { Row } from '@incidents/projection';
import { freshSchema } from '../../../../test/support/infra.js';
import { applyWrites, readTableMeta, StagedUpserts, type StoredTable, type TableMeta } from './read-models.js';
import { Serial } from './serial.js';

let pool: Pool;
let meta: Map<StoredTable, TableMeta>;

beforeAll(async () => {
  ({ pool } = await freshSchema());
  meta = await withTransaction(pool, (client) => readTableMeta(client));
});

afterAll(async () => {
  await pool.end();
});

const awkward = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'quote " and \'', 'ünïcødé — ✓ 🚀', '', ' '];

function timelineRow(i: number, text: string): Row {
  return {
    incident_id: `inc-${i}`,
    time: '2024-01-02T03:04:05Z',
    event_id: `ev-${i}`,
    event_source: 'https://feed.example/x',
    type: 'IncidentReported',
    subject: text,
    via_merge: i % 2 === 0,
    merged_from: i % 3 === 0 ? null : text,
    duplicate_entity: false,
    superseded: true,
    retracted: false,
    flags: { note: text, list: [text, 1, null, true] },
    source_id: text,
    source_reliability: null,
    source_registered: null,
    provenance: null,
    data: { summary: text, nested: { deeper: `${text}\\u0000-not-a-null` } },
  };
}

async function timeline(): Promise<Row[]> {
  const r = await pool.query<{ row: Row }>(`SELECT to_jsonb(t) AS row FROM incident_timeline t ORDER BY incident_id`);
  return r.rows.map((x) => x.row);
}

describe('writing read-model rows by COPY', () => {
  it('keeps every awkward character of text and jsonb columns, and replaces rows by key', async () => {
    const rows = awkward.map((text, i) => timelineRow(i, text));
    await withTransaction(pool, (client) => applyWrites(new Serial(client), meta, [{ table: 'incident_timeline', upserts: rows, deletes: [] }]));
    expect(await timeline()).toEqual([...rows].sort((a, b) => String(a.incident_id).localeCompare(String(b.incident_id))));

    // the same keys again, gathered across two calls of one step: replaced, not duplicated
    const again = awkward.map((text, i) => timelineRow(i, `${text}!`));
    await withTransaction(pool, async (client) => {
      const db = new Serial(client);
      const staged = new StagedUpserts(db);
      await applyWrites(db, meta, [{ table: 'incident_timeline', upserts: again.slice(0, 4), deletes: [] }], staged);
      await applyWrites(db, meta, [{ table: 'incident_timeline', upserts: again.slice(4), deletes: [] }], staged);
      await staged.done();
    });
    const stored = await timeline();
    expect(stored).toHaveLength(awkward.length);
    expect(stored.map((r) => r.subject).sort()).toEqual(awkward.map((t) => `${t}!`).sort());
  });

  it('fails the whole transaction when a row does not fit its table, and changes nothing', async () => {
    const before = await timeline();
    const bad = { ...timelineRow(100, 'x'), via_merge: null }; // NOT NULL column
    await expect(
      withTransaction(pool, (client) =>
        applyWrites(new Serial(client), meta, [{ table: 'incident_timeline', upserts: [timelineRow(101, 'fine'), bad], deletes: [] }]),
      ),
    ).rejects.toThrow(/null value/);
    expect(await timeline()).toEqual(before);
  });
});
