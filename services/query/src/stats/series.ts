import type { Grain } from '@incidents/projection';
import type { Bind } from '../read/sql.js';

/** Geography level of attack_counts rows (one level per row). */
export type Level = 'all' | 'country' | 'admin1' | 'site';
export const LEVELS: readonly Level[] = ['all', 'country', 'admin1', 'site'];

/** Time precisions that enter the rows of each grain (§5.4). */
const TIME_OK: Record<Grain, string[]> = {
  day: ['minute', 'hour', 'day'],
  week: ['minute', 'hour', 'day', 'days_2_6', 'week'],
  month: ['minute', 'hour', 'day', 'days_2_6', 'week', 'month'],
};

/** Place conditions of the geo buckets (§5.4), over incident_current `ic`. */
const PLACE_OK: Record<Level, string> = {
  all: 'true',
  country: `(ic.country_iso3 IS NOT NULL AND ic.place_precision <> 'water_air')`,
  admin1: `(ic.country_iso3 IS NOT NULL AND ic.admin1 IS NOT NULL AND ic.place_precision IN ('site', 'near_site', 'adm3', 'adm2', 'adm1'))`,
  site: `(ic.site_id IS NOT NULL AND ic.place_precision IN ('site', 'near_site'))`,
};

/**
 * The incidents a series of `grain` rows at geography `level` cannot hold: counted (§5.4
 * counts only active incidents) and too coarse in time or place. The same condition serves
 * the attack stats' `not_in_series` and the incident list's `notInSeries` filter, so the count
 * and the list always agree. Returns the condition and the `reason` expression
 * (`time:<precision>` or `place:<precision>`).
 */
export function notInSeriesSql(bind: Bind, grain: Grain, level: Level): { condition: string; reason: string } {
  const timeOk = `ic.time_precision = ANY(${bind.$(TIME_OK[grain])}::text[])`;
  return {
    condition: `(ic.counted AND NOT (${timeOk} AND ${PLACE_OK[level]}))`,
    reason: `CASE WHEN NOT (${timeOk}) THEN 'time:' || ic.time_precision ELSE 'place:' || ic.place_precision END`,
  };
}
