import { sortByKey } from '../order.js';
import type { AttackCountRow, Grain } from '../rows.js';
import type { Attribution } from './attribution.js';
import { geoBuckets, inDaySeries, timeBuckets } from './buckets.js';
import type { Figures } from './figures.js';
import type { Lifecycle } from './lifecycle.js';

/** attack_counts (§5.4, §6): one row per bucket × dimensions, over counted incidents. */
export function deriveAttackCounts(
  lc: Lifecycle,
  figs: Figures,
  attribution: Attribution,
  incidentBest: ReadonlyMap<string, number>,
): AttackCountRow[] {
  const rows = new Map<string, AttackCountRow>();
  for (const inc of lc.incidents.values()) {
    if (!inc.counted || inc.eff === null || inc.place === null) continue;
    const top = attribution.byIncident.get(inc.id)?.top_perpetrator ?? null;
    const munitions = figs.munitions.get(inc.id)?.value ?? null;
    const intercepted = figs.interceptions.get(inc.id)?.value ?? null;
    const withCasualties = (incidentBest.get(inc.id) ?? 0) > 0 ? 1 : 0;
    const imprecise = inDaySeries(inc.eff.time) ? 0 : 1;
    for (const t of timeBuckets(inc.eff.time)) {
      for (const g of geoBuckets(inc.place)) {
        const key = [
          t.grain,
          t.period,
          g.level,
          g.key,
          inc.eff.kind,
          inc.eff.method,
          top?.actor_id ?? '',
          top?.likelihood ?? '',
        ];
        const k = key.join('\u0000');
        let row = rows.get(k);
        if (row === undefined) {
          row = {
            grain: t.grain,
            period: t.period,
            geo_level: g.level,
            geo_key: g.key,
            kind: inc.eff.kind,
            method: inc.eff.method,
            perpetrator: top?.actor_id ?? '',
            perpetrator_likelihood: top?.likelihood ?? '',
            incidents: 0,
            munitions_low: 0,
            munitions_best: 0,
            munitions_high: 0,
            munitions_unknown: 0,
            intercepted: 0,
            incidents_with_casualties: 0,
            imprecise: 0,
          };
          rows.set(k, row);
        }
        row.incidents++;
        row.munitions_low += munitions?.low ?? 0;
        row.munitions_best += munitions?.best ?? 0;
        row.munitions_high += munitions?.high ?? 0;
        if (munitions === null) row.munitions_unknown++;
        row.intercepted += intercepted?.best ?? 0;
        row.incidents_with_casualties += withCasualties;
        if (t.grain !== 'day') row.imprecise += imprecise;
      }
    }
  }
  const grainRank: Record<Grain, number> = { day: 0, week: 1, month: 2 };
  const levelRank = { all: 0, country: 1, admin1: 2, site: 3 };
  return sortByKey([...rows.values()], (r) => [
    grainRank[r.grain],
    r.period,
    levelRank[r.geo_level],
    r.geo_key,
    r.kind,
    r.method,
    r.perpetrator,
    r.perpetrator_likelihood,
  ]);
}
