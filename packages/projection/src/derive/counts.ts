import { sortByKey } from '../order.js';
import type { AttackCountRow, Grain, Triple } from '../rows.js';
import type { Attribution } from './attribution.js';
import {
  geoBuckets,
  inDaySeries,
  timeBuckets,
  type GeoBucket,
  type TimeBucket,
} from './buckets.js';
import type { Figures } from './figures.js';
import type { Lifecycle } from './lifecycle.js';

/**
 * What one counted incident adds to attack_counts (§5.4, §6): one row per time bucket × geo
 * bucket with its dimensions. attack_counts is the sum of these items, so it can also be
 * kept up to date by adding and subtracting them.
 */
export interface AttackItem {
  readonly incident_id: string;
  readonly time: readonly TimeBucket[];
  readonly geo: readonly GeoBucket[];
  readonly kind: string;
  readonly method: string;
  readonly perpetrator: string;
  readonly perpetrator_likelihood: string;
  readonly munitions: Triple | null;
  readonly intercepted: number;
  readonly withCasualties: 0 | 1;
  readonly imprecise: 0 | 1;
}

export function attackItems(
  lc: Lifecycle,
  figs: Figures,
  attribution: Attribution,
  incidentBest: ReadonlyMap<string, number>,
): AttackItem[] {
  const items: AttackItem[] = [];
  for (const inc of lc.incidents.values()) {
    if (!inc.counted || inc.eff === null || inc.place === null) continue;
    const top = attribution.byIncident.get(inc.id)?.top_perpetrator ?? null;
    items.push({
      incident_id: inc.id,
      time: timeBuckets(inc.eff.time),
      geo: geoBuckets(inc.place),
      kind: inc.eff.kind,
      method: inc.eff.method,
      perpetrator: top?.actor_id ?? '',
      perpetrator_likelihood: top?.likelihood ?? '',
      munitions: figs.munitions.get(inc.id)?.value ?? null,
      intercepted: figs.interceptions.get(inc.id)?.value?.best ?? 0,
      withCasualties: (incidentBest.get(inc.id) ?? 0) > 0 ? 1 : 0,
      imprecise: inDaySeries(inc.eff.time) ? 0 : 1,
    });
  }
  return items;
}

/** The primary key of an attack_counts row, as one string. */
export function attackKey(
  r: Pick<
    AttackCountRow,
    | 'grain'
    | 'period'
    | 'geo_level'
    | 'geo_key'
    | 'kind'
    | 'method'
    | 'perpetrator'
    | 'perpetrator_likelihood'
  >,
): string {
  return [
    r.grain,
    r.period,
    r.geo_level,
    r.geo_key,
    r.kind,
    r.method,
    r.perpetrator,
    r.perpetrator_likelihood,
  ].join('\u0000');
}

/**
 * attack_counts rows as sums of items. `add(item, -1)` subtracts an item added before; with
 * `prune`, a row whose incident count drops to 0 is removed (it then holds only zeros).
 */
export class AttackCounts {
  readonly rows = new Map<string, AttackCountRow>();

  constructor(private readonly prune = true) {}

  add(item: AttackItem, sign: 1 | -1 = 1): void {
    const m = item.munitions;
    for (const t of item.time) {
      for (const g of item.geo) {
        const k = [
          t.grain,
          t.period,
          g.level,
          g.key,
          item.kind,
          item.method,
          item.perpetrator,
          item.perpetrator_likelihood,
        ].join('\u0000');
        let row = this.rows.get(k);
        if (row === undefined) {
          row = {
            grain: t.grain,
            period: t.period,
            geo_level: g.level,
            geo_key: g.key,
            kind: item.kind,
            method: item.method,
            perpetrator: item.perpetrator,
            perpetrator_likelihood: item.perpetrator_likelihood,
            incidents: 0,
            munitions_low: 0,
            munitions_best: 0,
            munitions_high: 0,
            munitions_unknown: 0,
            intercepted: 0,
            incidents_with_casualties: 0,
            imprecise: 0,
          };
          this.rows.set(k, row);
        }
        row.incidents += sign;
        row.munitions_low += sign * (m?.low ?? 0);
        row.munitions_best += sign * (m?.best ?? 0);
        row.munitions_high += sign * (m?.high ?? 0);
        if (m === null) row.munitions_unknown += sign;
        row.intercepted += sign * item.intercepted;
        row.incidents_with_casualties += sign * item.withCasualties;
        if (t.grain !== 'day') row.imprecise += sign * item.imprecise;
        if (this.prune && row.incidents === 0) this.rows.delete(k);
      }
    }
  }

  sorted(): AttackCountRow[] {
    return sortAttackCounts([...this.rows.values()]);
  }
}

const GRAIN_RANK: Record<Grain, number> = { day: 0, week: 1, month: 2 };
const LEVEL_RANK = { all: 0, country: 1, admin1: 2, site: 3 };

export function sortAttackCounts(rows: AttackCountRow[]): AttackCountRow[] {
  return sortByKey(rows, (r) => [
    GRAIN_RANK[r.grain],
    r.period,
    LEVEL_RANK[r.geo_level],
    r.geo_key,
    r.kind,
    r.method,
    r.perpetrator,
    r.perpetrator_likelihood,
  ]);
}

/** attack_counts (§5.4, §6): one row per bucket × dimensions, over counted incidents. */
export function deriveAttackCounts(items: readonly AttackItem[]): AttackCountRow[] {
  const counts = new AttackCounts();
  for (const item of items) counts.add(item);
  return counts.sorted();
}
