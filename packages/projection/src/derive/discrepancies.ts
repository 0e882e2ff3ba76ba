import { sortByKey } from '../order.js';
import type { SourceDiscrepancyRow } from '../rows.js';
import type { Figure, Figures } from './figures.js';
import type { Reliabilities } from './reliability.js';

/**
 * source_discrepancies (§6): one row per (scope, field) with at least one current series,
 * flagged when two or more sources give different non-null `best` values.
 */
export function deriveDiscrepancies(figs: Figures, rel: Reliabilities): SourceDiscrepancyRow[] {
  const rows: SourceDiscrepancyRow[] = [];
  const add = (field: string, f: Figure) => {
    if (f.series.length === 0) return;
    const bests = new Set(f.series.map((x) => x.value.best).filter((b) => b !== null));
    rows.push({
      scope_kind: f.scope.kind,
      scope_id: f.scope.id,
      field,
      flagged: bests.size >= 2,
      series: f.series.map((x) => ({
        source_id: x.sourceId,
        reliability: rel.of(x.sourceId),
        low: x.value.low,
        best: x.value.best,
        high: x.value.high,
        claim_ids: x.claimIds,
        last_time: x.lastTime,
        delta_without_base: x.deltaWithoutBase,
        via_merge: x.viaMerge,
      })),
      figure: f.value,
      figure_source: f.source,
    });
  };
  for (const f of figs.munitions.values()) add('munitions', f);
  for (const f of figs.interceptions.values()) add('intercepted', f);
  for (const f of figs.casualties.values()) add(`casualties:${f.key}`, f);
  return sortByKey(rows, (r) => [r.scope_kind, r.scope_id, r.field]);
}
