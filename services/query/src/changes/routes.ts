import { Router } from 'express';
import { ProblemError } from '@incidents/http';
import { ChangeParams, parseParams } from '../params.js';
import type { Reads } from '../read/context.js';
import { Bind } from '../read/sql.js';

const KIND: Record<string, string> = {
  IncidentReported: 'new',
  IncidentAmended: 'amended',
  IncidentMerged: 'merged',
  IncidentRetracted: 'retracted',
  IncidentReinstated: 'reinstated',
  SourceRegistered: 'reference',
  SourceReliabilityRated: 'reference',
  ActorRegistered: 'reference',
  ActorRelationAsserted: 'reference',
  SiteRegistered: 'reference',
  DefensePostureReported: 'reference',
};

interface ChangeRow {
  seq: string;
  recorded_at: Date;
  time: string;
  event_id: string;
  event_source: string;
  type: string;
  incident_ids: string[];
  operation_ids: string[];
}

function cursorSeq(cursor: string): string {
  if (!/^c[0-9]{1,19}$/.test(cursor)) {
    throw new ProblemError(400, 'invalid-parameter', 'Invalid parameter', 'Invalid query parameter(s): cursor.', [
      { parameter: 'cursor', code: 'invalid_cursor', detail: 'not a next_cursor of /v1/changes' },
    ]);
  }
  return cursor.slice(1);
}

/**
 * The ids of one kind in the citation set a revision row (alias `row`) names by `cites`
 * (migration 009), as a jsonb array by code point, as the projection orders them.
 */
export function citedIds(row: string, kind: 'incident' | 'operation'): string {
  return `(SELECT coalesce(jsonb_agg(c.id ORDER BY c.id COLLATE "C"), '[]'::jsonb) FROM reference_citations c WHERE c.ref = ${row}.cites AND c.kind = '${kind}')`;
}

/** A revision row's ids of one kind: its own list, or the citation set it names. */
function citing(kind: 'incident' | 'operation', column: string): string {
  return `CASE WHEN r.cites IS NULL THEN r.${column} ELSE ${citedIds('r', kind)} END AS ${column}`;
}

/**
 * `GET /v1/changes`: revision_feed entries in the order this service stored their events.
 * `since` selects by the time the event was recorded here (so a late event with an old
 * `time` still shows up); `next_cursor` (the store sequence) continues exactly.
 */
export function changeRoutes(reads: Reads, shared: boolean): Router {
  const router = Router();
  router.get('/v1/changes', async (req, res) => {
    const p = parseParams(ChangeParams, req.query);
    const limit = p.limit ?? 1000;
    const bind = new Bind();
    bind.when(p.since, (v) => `e.stored_at > ${v}::timestamptz`);
    bind.when(p.cursor === undefined ? undefined : cursorSeq(p.cursor), (v) => `e.seq > ${v}::bigint`);
    await reads.answer(
      req,
      res,
      { position: p.position, shared, cache: 'live' },
      async (ctx) => {
        const rows = await ctx.query<ChangeRow>(
          `SELECT e.seq, e.stored_at AS recorded_at, r.time, r.event_id, r.event_source, r.type, ${citing('incident', 'incident_ids')}, ${citing('operation', 'operation_ids')}
             FROM revision_feed r
             JOIN LATERAL (SELECT min(seq) AS seq, min(stored_at) AS stored_at FROM event_store
                            WHERE source = r.event_source AND id = r.event_id) e ON true
           ${bind.clause()}
            ORDER BY e.seq
            LIMIT ${bind.$(limit)}`,
          bind.values,
        );
        // A short page reached the end of what the read models reflect: continue after it,
        // reported or not. Not after the end of the store: an event stored but not projected
        // yet gets its row later, under its own (lower) sequence number.
        const end =
          rows.length === limit
            ? []
            : await ctx.query<{ max: string | null }>(
                `SELECT least((SELECT max(seq) FROM event_store), coalesce((SELECT projected_seq FROM projection_state WHERE projection = $1), 0)) AS max`,
                [ctx.projection],
              );
        return { rows, max: end[0]?.max ?? null };
      },
      (value) => {
        const after = [value.max, value.rows.at(-1)?.seq, p.cursor === undefined ? '0' : cursorSeq(p.cursor)].filter((v): v is string => v !== null && v !== undefined);
        // never behind the page's last row or the cursor given: no item twice
        const last = after.reduce((a, b) => (BigInt(b) > BigInt(a) ? b : a));
        return {
          body: {
            items: value.rows.map((r) => ({
              change: KIND[r.type] ?? 'updated',
              type: r.type,
              time: r.time,
              recorded_at: r.recorded_at.toISOString(),
              event_id: r.event_id,
              event_source: r.event_source,
              incident_ids: r.incident_ids,
              operation_ids: r.operation_ids,
            })),
            next_cursor: `c${last}`,
          },
        };
      },
    );
  });
  return router;
}
