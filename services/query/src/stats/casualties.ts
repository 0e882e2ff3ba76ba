import { Router } from 'express';
import { ProblemError } from '@incidents/http';
import { CasualtyStatsParams, parseParams } from '../params.js';
import type { Reads } from '../read/context.js';
import { Bind } from '../read/sql.js';
import { periodOf } from './periods.js';

const DEFAULT_GROUPS = ['role', 'outcome', 'nationality'] as const;

function bad(parameter: string, detail: string): ProblemError {
  return new ProblemError(400, 'invalid-parameter', 'Invalid parameter', `Invalid query parameter(s): ${parameter}.`, [
    { parameter, code: 'invalid_combination', detail },
  ]);
}

/** Output name → SQL expression of each grouping dimension. */
const DIMENSIONS: Record<string, string> = {
  period: 'period',
  incident: 'scope_id',
  operation: 'scope_id',
  side: `nullif(side, '')`,
  affiliation: `nullif(affiliation_actor_id, '')`,
  nationality: `nullif(nationality, '')`,
  role: 'role',
  outcome: 'outcome',
};
const OUTPUT: Record<string, string> = { incident: 'incident_id', operation: 'operation_id' };

type TallyRow = Record<string, string | null> & {
  low: string;
  best: string;
  high: string;
  incomplete: boolean;
  source: 'adopted' | 'default' | 'sum';
  figure_count: string;
};

/**
 * `GET /v1/stats/casualties`: casualty_tally (overall, per incident or per operation, with
 * §5.6 covering already applied) or casualty_tally_by_period, summed over the dimensions
 * not grouped by. With asOf the same SQL runs over the projection of that instant.
 */
export function casualtyStatsRoutes(reads: Reads, shared: boolean): Router {
  const router = Router();
  router.get('/v1/stats/casualties', async (req, res) => {
    const p = parseParams(CasualtyStatsParams, req.query);
    const groups: string[] = [...(p.groupBy ?? DEFAULT_GROUPS)];
    const perIncident = groups.includes('incident') || p.incident !== undefined;
    const perOperation = groups.includes('operation') || p.operation !== undefined;
    if (perIncident && perOperation) throw bad(groups.includes('operation') ? 'groupBy' : 'operation', 'per-incident and per-operation tallies do not combine');
    if (p.grain !== undefined && (perIncident || perOperation)) throw bad('grain', 'time buckets exist for overall tallies only');
    if (p.grain === undefined && (p.from !== undefined || p.to !== undefined)) throw bad(p.from !== undefined ? 'from' : 'to', 'a date range needs grain');
    const scope = perIncident ? 'incident' : perOperation ? 'operation' : 'overall';
    if (perIncident && !groups.includes('incident')) groups.unshift('incident');
    if (perOperation && !groups.includes('operation')) groups.unshift('operation');
    if (p.grain !== undefined) groups.unshift('period');

    const bind = new Bind();
    if (p.grain === undefined) bind.and(`scope_kind = ${bind.$(scope)}`);
    else {
      bind.and(`grain = ${bind.$(p.grain)}`);
      if (p.from !== undefined) bind.and(`period >= ${bind.$(periodOf(p.grain, p.from))}`);
      if (p.to !== undefined) bind.and(`period <= ${bind.$(periodOf(p.grain, p.to))}`);
    }
    bind.when(p.incident ?? p.operation, (v) => `scope_id = ANY(${v}::text[])`);
    bind.when(p.role, (v) => `role = ANY(${v}::text[])`);
    bind.when(p.outcome, (v) => `outcome = ANY(${v}::text[])`);
    bind.when(p.nationality?.map((n) => (n === 'unknown' ? '' : n)), (v) => `nationality = ANY(${v}::text[])`);
    bind.when(p.side, (v) => `side = ANY(${v}::text[])`);
    bind.when(p.affiliation, (v) => `affiliation_actor_id = ANY(${v}::text[])`);

    const dims = groups.map((g) => `${DIMENSIONS[g]!} AS "${g}"`);
    const keys = groups.map((g) => DIMENSIONS[g]!);
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      (ctx) =>
        ctx.query<TallyRow>(
          `SELECT ${[...dims, ''].join(', ')}
                  sum(low)::bigint AS low, sum(best)::bigint AS best, sum(high)::bigint AS high,
                  bool_or(incomplete) AS incomplete,
                  CASE WHEN sum(figure_count) = 1 THEN min(source) ELSE 'sum' END AS source,
                  sum(figure_count)::bigint AS figure_count
             FROM ${p.grain === undefined ? 'casualty_tally' : 'casualty_tally_by_period'}
           ${bind.clause()}
           ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.map((k) => `${k} COLLATE "C" NULLS FIRST`).join(', ')}` : 'HAVING count(*) > 0'}`,
          bind.values,
          true,
        ),
      (value) => {
        const rows = value.map((r) => ({
          ...Object.fromEntries(groups.map((g) => [OUTPUT[g] ?? g, r[g] ?? null])),
          low: Number(r.low),
          best: Number(r.best),
          high: Number(r.high),
          incomplete: r.incomplete,
          source: r.source,
          figure_count: Number(r.figure_count),
        }));
        return { body: { scope, grain: p.grain ?? null, group_by: groups, rows } };
      },
    );
  });
  return router;
}
