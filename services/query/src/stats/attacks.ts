import { Router } from 'express';
import type { Grain } from '@incidents/projection';
import { ProblemError } from '@incidents/http';
import { incidentFilters, likelihoodSql } from '../incidents/queries.js';
import { AttackStatsParams, likelihoodRank, parseParams } from '../params.js';
import type { ReadContext, Reads } from '../read/context.js';
import { Bind } from '../read/sql.js';
import { periodEnd, periodOf, periodStart } from './periods.js';
import { notInSeriesSql, type Level } from './series.js';

const FINENESS: Record<Level, number> = { all: 0, country: 1, admin1: 2, site: 3 };
const GEO = ['country', 'admin1', 'site'] as const;
/** Incident ids listed in `not_in_series`; the rest are paged through `/v1/incidents?notInSeries=`. */
export const NOT_IN_SERIES_IDS = 100;

function badCombination(parameter: string, detail: string): ProblemError {
  return new ProblemError(400, 'invalid-parameter', 'Invalid parameter', `Invalid query parameter(s): ${parameter}.`, [
    { parameter, code: 'invalid_combination', detail },
  ]);
}

interface Plan {
  level: Level;
  /** grouping expression of the geo dimension asked for, if any */
  geoGroup?: { name: (typeof GEO)[number]; expr: string };
  grain: Grain;
  from?: string;
  to?: string;
}

/**
 * attack_counts holds one geography level per row, so an answer reads one level: the finest
 * of the geo dimension grouped by and the geo filters. Coarser dimensions are derived from
 * admin1 keys (`<ISO3>/<admin1>`); site rows carry no country, so they combine with nothing.
 */
function plan(p: AttackStatsParams): Plan {
  const groups = (p.groupBy ?? []).filter((g): g is (typeof GEO)[number] => (GEO as readonly string[]).includes(g));
  if (groups.length > 1) throw badCombination('groupBy', 'group by at most one of country, admin1, site');
  const filters = GEO.filter((g) => p[g] !== undefined);
  const level = [...groups, ...filters].reduce<Level>((l, g) => (FINENESS[g] > FINENESS[l] ? g : l), 'all');
  if (level === 'site') {
    const other = [...groups, ...filters].find((g) => g !== 'site');
    if (other) throw badCombination(p[other] !== undefined ? other : 'groupBy', 'site rows carry no country or admin1: do not combine site with them');
  }
  const group = groups[0];
  const geoGroup = group === undefined ? undefined : { name: group, expr: group === 'country' && level === 'admin1' ? 'left(geo_key, 3)' : 'geo_key' };
  // Without a grain: day rows when a range is given (exact dates), else month rows (all but year precision).
  const grain: Grain = p.grain ?? (p.from !== undefined || p.to !== undefined ? 'day' : 'month');
  return {
    level,
    ...(geoGroup ? { geoGroup } : {}),
    grain,
    ...(p.from !== undefined ? { from: periodStart(grain, p.from) } : {}),
    ...(p.to !== undefined ? { to: periodEnd(grain, p.to) } : {}),
  };
}

interface CountRow {
  period?: string;
  geo?: string;
  kind?: string;
  method?: string;
  perpetrator?: string;
  perpetrator_likelihood?: string;
  incidents: string;
  munitions_low: string;
  munitions_best: string;
  munitions_high: string;
  munitions_unknown: string;
  intercepted: string;
  incidents_with_casualties: string;
  imprecise: string;
}

async function rows(ctx: ReadContext, p: AttackStatsParams, pl: Plan): Promise<CountRow[]> {
  const bind = new Bind();
  bind.and(`grain = ${bind.$(pl.grain)}`);
  bind.and(`geo_level = ${bind.$(pl.level)}`);
  if (pl.from !== undefined) bind.and(`period >= ${bind.$(periodOf(pl.grain, pl.from))}`);
  if (pl.to !== undefined) bind.and(`period <= ${bind.$(periodOf(pl.grain, pl.to))}`);
  bind.when(p.kind, (v) => `kind = ANY(${v}::text[])`);
  bind.when(p.method, (v) => `method = ANY(${v}::text[])`);
  bind.when(p.country, (v) => (pl.level === 'country' ? `geo_key = ANY(${v}::text[])` : `left(geo_key, 3) = ANY(${v}::text[])`));
  bind.when(p.admin1, (v) => `(geo_key = ANY(${v}::text[]) OR substr(geo_key, 5) = ANY(${v}::text[]))`);
  bind.when(p.site, (v) => `geo_key = ANY(${v}::text[])`);
  if (p.perpetrator !== undefined) bind.and(`perpetrator = ANY(${bind.$(p.perpetrator.map((a) => (a === 'none' ? '' : a)))}::text[])`);
  if (p.minLikelihood !== undefined) bind.and(`${likelihoodSql(bind, 'perpetrator_likelihood')} >= ${bind.$(likelihoodRank(p.minLikelihood))}`);

  const dims: string[] = [];
  if (p.grain !== undefined) dims.push('period');
  if (pl.geoGroup) dims.push(`${pl.geoGroup.expr} AS geo`);
  const groups = p.groupBy ?? [];
  if (groups.includes('kind')) dims.push('kind');
  if (groups.includes('method')) dims.push('method');
  if (groups.includes('perpetrator')) dims.push('perpetrator', 'perpetrator_likelihood');
  // GROUP BY and ORDER BY the expressions: an output alias cannot take COLLATE.
  const keys = dims.map((d) => d.replace(/ AS \w+$/, ''));
  return ctx.query<CountRow>(
    `SELECT ${[...dims, ''].join(', ')}
            sum(incidents)::bigint AS incidents, sum(munitions_low)::bigint AS munitions_low,
            sum(munitions_best)::bigint AS munitions_best, sum(munitions_high)::bigint AS munitions_high,
            sum(munitions_unknown)::bigint AS munitions_unknown, sum(intercepted)::bigint AS intercepted,
            sum(incidents_with_casualties)::bigint AS incidents_with_casualties, sum(imprecise)::bigint AS imprecise
       FROM attack_counts
     ${bind.clause()}
     ${keys.length ? `GROUP BY ${keys.join(', ')} ORDER BY ${keys.map((k) => `${k} COLLATE "C"`).join(', ')}` : 'HAVING count(*) > 0'}`,
    bind.values,
    true,
  );
}

/**
 * Counted incidents that match the filters but that the rows cannot hold (time or place too
 * coarse): their number per reason, the first ids in code-point order, and the incident-list
 * URL that pages through all of them (the same condition, so the two always agree).
 */
async function notInSeries(ctx: ReadContext, p: AttackStatsParams, pl: Plan) {
  const bind = new Bind();
  incidentFilters(bind, { ...p, from: pl.from, to: pl.to });
  const { condition, reason } = notInSeriesSql(bind, pl.grain, pl.level);
  bind.and(condition);
  const [counts, ids] = await Promise.all([
    ctx.query<{ reason: string; n: string }>(
      `SELECT ${reason} AS reason, count(*) AS n FROM incident_current ic ${bind.clause()} GROUP BY 1`,
      bind.values,
      true,
    ),
    // With a date range, the matches come from the range (materialised, then sorted); without
    // one, walking the id-ordered index until 100 match is cheaper.
    ctx.query<{ incident_id: string }>(
      pl.from !== undefined || pl.to !== undefined
        ? `WITH m AS MATERIALIZED (SELECT ic.incident_id FROM incident_current ic ${bind.clause()})
           SELECT incident_id FROM m ORDER BY incident_id COLLATE "C" LIMIT ${NOT_IN_SERIES_IDS}`
        : `SELECT ic.incident_id FROM incident_current ic ${bind.clause()} ORDER BY ic.incident_id COLLATE "C" LIMIT ${NOT_IN_SERIES_IDS}`,
      bind.values,
      true,
    ),
  ]);
  const byPrecision: Record<string, number> = {};
  let incidents = 0;
  for (const c of counts.sort((a, b) => (a.reason < b.reason ? -1 : 1))) {
    byPrecision[c.reason] = Number(c.n);
    incidents += Number(c.n);
  }
  return {
    incidents,
    by_precision: byPrecision,
    incident_ids: ids.map((r) => r.incident_id),
    incident_ids_complete: ids.length === incidents,
    incidents_url: listUrl(p, pl),
  };
}

/** `/v1/incidents` with the answer's filters and `notInSeries`: every incident counted in `not_in_series`. */
function listUrl(p: AttackStatsParams, pl: Plan): string {
  const q = new URLSearchParams();
  q.set('notInSeries', pl.level === 'all' ? pl.grain : `${pl.grain}:${pl.level}`);
  if (pl.from !== undefined) q.set('from', pl.from);
  if (pl.to !== undefined) q.set('to', pl.to);
  for (const key of ['kind', 'method', 'country', 'admin1', 'site', 'perpetrator'] as const) {
    const v = p[key];
    if (v !== undefined) q.set(key, v.join(','));
  }
  if (p.minLikelihood !== undefined) q.set('minLikelihood', p.minLikelihood);
  if (p.asOf !== undefined) q.set('asOf', p.asOf);
  q.set('sort', 'id');
  return `/v1/incidents?${q.toString()}`;
}

function numbers(r: CountRow) {
  return {
    incidents: Number(r.incidents),
    munitions: {
      low: Number(r.munitions_low),
      best: Number(r.munitions_best),
      high: Number(r.munitions_high),
      unknown: Number(r.munitions_unknown),
    },
    intercepted: Number(r.intercepted),
    incidents_with_casualties: Number(r.incidents_with_casualties),
  };
}

/** `GET /v1/stats/attacks`: attack_counts summed over the dimensions not grouped by. */
export function attackStatsRoutes(reads: Reads, shared: boolean): Router {
  const router = Router();
  router.get('/v1/stats/attacks', async (req, res) => {
    const p = parseParams(AttackStatsParams, req.query);
    const pl = plan(p);
    const groups = p.groupBy ?? [];
    await reads.answer(
      req,
      res,
      { asOf: p.asOf, position: p.position, shared },
      async (ctx) => ({ rows: await rows(ctx, p, pl), missing: await notInSeries(ctx, p, pl) }),
      (value) => {
        const out = value.rows.map((r) => ({
          ...(r.period !== undefined ? { period: r.period } : {}),
          ...(pl.geoGroup && r.geo !== undefined ? { [pl.geoGroup.name]: r.geo } : {}),
          ...(r.kind !== undefined ? { kind: r.kind } : {}),
          ...(r.method !== undefined ? { method: r.method } : {}),
          ...(groups.includes('perpetrator')
            ? { perpetrator: r.perpetrator || null, perpetrator_likelihood: r.perpetrator_likelihood || null }
            : {}),
          ...numbers(r),
          imprecise: Number(r.imprecise),
        }));
        const totals = out.reduce(
          (t, r) => ({
            incidents: t.incidents + r.incidents,
            munitions: {
              low: t.munitions.low + r.munitions.low,
              best: t.munitions.best + r.munitions.best,
              high: t.munitions.high + r.munitions.high,
              unknown: t.munitions.unknown + r.munitions.unknown,
            },
            intercepted: t.intercepted + r.intercepted,
            incidents_with_casualties: t.incidents_with_casualties + r.incidents_with_casualties,
          }),
          { incidents: 0, munitions: { low: 0, best: 0, high: 0, unknown: 0 }, intercepted: 0, incidents_with_casualties: 0 },
        );
        return {
          body: {
            grain: p.grain ?? null,
            group_by: groups,
            from: pl.from ?? null,
            to: pl.to ?? null,
            rows: out,
            totals,
            not_in_series: value.missing,
          },
        };
      },
    );
  });
  return router;
}
