import type {
  CasualtyFigure,
  CountFigure,
  IncidentCurrentRow,
  OperationRow,
  ResponseEdgeRow,
  SourceDiscrepancyRow,
  TimelineRow,
} from '@incidents/projection';
import { Likelihood } from '@incidents/events';
import { LIMIT_DEFAULT, likelihoodRank, type IncidentListParams } from '../params.js';
import type { ReadContext } from '../read/context.js';
import { after, Bind, decodeCursor, encodeCursor, orderBy } from '../read/sql.js';
import { notInSeriesSql } from '../stats/series.js';

export type IncidentRow = IncidentCurrentRow & { has_casualties: boolean };

/** Own casualty tally with a best above 0, as attack_counts' incidents_with_casualties. */
const HAS_CASUALTIES = `EXISTS (SELECT 1 FROM casualty_tally ct
  WHERE ct.scope_kind = 'incident' AND ct.scope_id = ic.incident_id AND ct.best > 0)`;

const SORT_KEYS: Record<string, string[]> = {
  date: [`coalesce(ic.local_date, '')`, 'ic.incident_id'],
  id: ['ic.incident_id'],
  reported: [`coalesce(to_char(ic.reported_at::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), '')`, 'ic.incident_id'],
};

/** Filters shared by the incident list and the imprecise-incident report of the attack stats. */
export function incidentFilters(
  bind: Bind,
  p: Pick<IncidentListParams, 'from' | 'to' | 'kind' | 'method' | 'country' | 'admin1' | 'site' | 'perpetrator' | 'minLikelihood'>,
): void {
  bind.when(p.from, (v) => `ic.local_date >= ${v}`);
  bind.when(p.to, (v) => `ic.local_date <= ${v}`);
  bind.when(p.kind, (v) => `ic.kind = ANY(${v}::text[])`);
  bind.when(p.method, (v) => `ic.method = ANY(${v}::text[])`);
  bind.when(p.country, (v) => `ic.country_iso3 = ANY(${v}::text[])`);
  bind.when(p.admin1, (v) => `(ic.admin1 = ANY(${v}::text[]) OR ic.country_iso3 || '/' || ic.admin1 = ANY(${v}::text[]))`);
  bind.when(p.site, (v) => `ic.site_id = ANY(${v}::text[])`);
  if (p.perpetrator !== undefined) {
    const actors = bind.$(p.perpetrator.filter((a) => a !== 'none'));
    const none = p.perpetrator.includes('none') ? ' OR ic.top_perpetrator IS NULL' : '';
    bind.and(`(ic.top_perpetrator = ANY(${actors}::text[])${none})`);
  }
  if (p.minLikelihood !== undefined) {
    bind.and(`${likelihoodSql(bind, 'ic.top_perpetrator_likelihood')} >= ${bind.$(likelihoodRank(p.minLikelihood))}`);
  }
}

/** The ICD 203 rank of a likelihood column (NULL when absent), comparable with likelihoodRank(). */
export function likelihoodSql(bind: Bind, column: string): string {
  return `array_position(${bind.$(Likelihood.options)}::text[], ${column})`;
}

export async function listIncidents(
  ctx: ReadContext,
  p: IncidentListParams,
): Promise<{ rows: IncidentRow[]; nextCursor: string | null; limit: number }> {
  const sortName = p.sort ?? '-date';
  const descending = sortName.startsWith('-');
  const sortKey = sortName.replace(/^-/, '');
  const columns = SORT_KEYS[sortKey]!;
  const limit = p.limit ?? LIMIT_DEFAULT;
  const bind = new Bind();
  const statuses = p.status === undefined ? ['active'] : p.status === 'all' ? undefined : p.status;
  bind.when(statuses, (v) => `ic.status = ANY(${v}::text[])`);
  incidentFilters(bind, p);
  if (p.hasCasualties !== undefined) bind.and(p.hasCasualties ? HAS_CASUALTIES : `NOT ${HAS_CASUALTIES}`);
  bind.when(p.operation, (v) => `ic.operation_id = ANY(${v}::text[])`);
  if (p.notInSeries !== undefined) bind.and(notInSeriesSql(bind, p.notInSeries.grain, p.notInSeries.level).condition);
  if (p.cursor !== undefined) bind.and(after(bind, columns, decodeCursor(p.cursor, sortName, columns.length), descending));
  const rows = await ctx.query<IncidentRow & { sort_key: string[] }>(
    `SELECT ic.*, ${HAS_CASUALTIES} AS has_casualties, ARRAY[${columns.join(', ')}] AS sort_key
       FROM incident_current ic
     ${bind.clause()}
     ORDER BY ${orderBy(columns, descending)}
     LIMIT ${bind.$(limit + 1)}`,
    bind.values,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: more && last ? encodeCursor(sortName, last.sort_key) : null,
    limit,
  };
}

export interface IncidentBundle {
  row: IncidentRow;
  operation: OperationRow | null;
  discrepancies: SourceDiscrepancyRow[];
  edges: ResponseEdgeRow[];
  timeline: TimelineRow[];
}

/**
 * Everything the detail view shows, read in the request's one snapshot by one statement (one
 * round trip): each part is a JSON aggregate in the order the view lists it. The tables hold no
 * bigint or float columns whose JSON form could read back differently from the row form.
 */
export async function loadIncident(ctx: ReadContext, id: string): Promise<IncidentBundle | undefined> {
  const [found] = await ctx.query<{
    row: IncidentRow;
    operation: OperationRow | null;
    discrepancies: SourceDiscrepancyRow[];
    edges: ResponseEdgeRow[];
    timeline: TimelineRow[];
  }>(
    `WITH ic AS (SELECT ic.*, ${HAS_CASUALTIES} AS has_casualties FROM incident_current ic WHERE ic.incident_id = $1)
     SELECT row_to_json(ic) AS row,
            (SELECT row_to_json(o) FROM operations o WHERE o.operation_id = ic.operation_id) AS operation,
            (SELECT coalesce(json_agg(d ORDER BY d.scope_kind COLLATE "C", d.scope_id COLLATE "C", d.field COLLATE "C"), '[]')
               FROM source_discrepancies d
              WHERE (d.scope_kind = 'incident' AND d.scope_id = $1) OR (d.scope_kind = 'operation' AND d.scope_id = ic.operation_id)) AS discrepancies,
            (SELECT coalesce(json_agg(g ORDER BY g.link_id COLLATE "C", g.trigger_incident_id COLLATE "C", g.response_kind, g.response_id COLLATE "C"), '[]')
               FROM response_graph g
              WHERE g.trigger_incident_id = $1
                 OR (g.response_kind = 'incident' AND g.response_id = $1)
                 OR (g.response_kind = 'operation' AND g.response_id = ic.operation_id)) AS edges,
            (SELECT coalesce(json_agg(t ORDER BY t.time::timestamptz, t.event_id COLLATE "C", t.event_source COLLATE "C"), '[]')
               FROM incident_timeline t WHERE t.incident_id = $1) AS timeline
       FROM ic`,
    [id],
    true,
  );
  return found;
}

export function countFigure(f: CountFigure | null): CountFigure | null {
  return f === null
    ? null
    : { low: f.low, best: f.best, high: f.high, incomplete: f.incomplete, source_count: f.source_count, via_merge: f.via_merge };
}

export type { CasualtyFigure };
