import { ADMIN1_PLACE_PRECISIONS, GRAIN_TIME_PRECISIONS, SITE_PLACE_PRECISIONS, type Grain } from '@incidents/projection';
import type { Bind } from '../read/sql.js';

/** Geography level of attack_counts rows (one level per row). */
export type Level = 'all' | 'country' | 'admin1' | 'site';

/** Place conditions of the geo buckets (§5.4, the projection's rules), over incident_current `ic`. */
function placeOk(bind: Bind, level: Level): string {
  switch (level) {
    case 'all':
      return 'true';
    case 'country':
      return `(ic.country_iso3 IS NOT NULL AND ic.place_precision <> 'water_air')`;
    case 'admin1':
      return `(ic.country_iso3 IS NOT NULL AND ic.admin1 IS NOT NULL AND ic.place_precision = ANY(${bind.$(ADMIN1_PLACE_PRECISIONS)}::text[]))`;
    case 'site':
      return `(ic.site_id IS NOT NULL AND ic.place_precision = ANY(${bind.$(SITE_PLACE_PRECISIONS)}::text[]))`;
  }
}

/**
 * The incidents a series of `grain` rows at geography `level` cannot hold: counted (§5.4
 * counts only active incidents) and too coarse in time or place. The same condition serves
 * the attack stats' `not_in_series` and the incident list's `notInSeries` filter, so the count
 * and the list always agree. Returns the condition and the `reason` expression
 * (`time:<precision>` or `place:<precision>`).
 */
export function notInSeriesSql(bind: Bind, grain: Grain, level: Level): { condition: string; reason: string } {
  const timeOk = `ic.time_precision = ANY(${bind.$(GRAIN_TIME_PRECISIONS[grain])}::text[])`;
  return {
    condition: `(ic.counted AND NOT (${timeOk} AND ${placeOk(bind, level)}))`,
    reason: `CASE WHEN NOT (${timeOk}) THEN 'time:' || ic.time_precision ELSE 'place:' || ic.place_precision END`,
  };
}
