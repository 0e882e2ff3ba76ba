import { sortByKey } from '../order.js';
import { scopeKey, type ScopeRef } from '../refs.js';
import type { CasualtyTallyPeriodRow, CasualtyTallyRow, Grain } from '../rows.js';
import { parseSegmentKey, umbrellaOf } from '../segments.js';
import { timeBuckets } from './buckets.js';
import { figureKey, type Figure, type Figures } from './figures.js';
import type { Lifecycle } from './lifecycle.js';

/** Covering and tallies (§5.6). */

export interface Covering {
  /** another figure of the same scope covers it (umbrella outcome) */
  byScope(fig: Figure): boolean;
  /** the figure's incident belongs (by effective operation_id) to an operation whose figure covers it */
  byOperation(fig: Figure): boolean;
}

export function covering(figs: Figures, lc: Lifecycle): Covering {
  const has = (scope: ScopeRef, key: string | null) =>
    key !== null && figs.casualties.has(figureKey(scope, key));
  return {
    byScope: (fig) => has(fig.scope, umbrellaOf(fig.key)),
    byOperation(fig) {
      if (fig.scope.kind !== 'incident') return false;
      const op = lc.incidents.get(fig.scope.id)?.eff?.operation_id ?? null;
      if (op === null) return false;
      const opScope: ScopeRef = { kind: 'operation', id: op };
      return has(opScope, fig.key) || has(opScope, umbrellaOf(fig.key));
    },
  };
}

interface Acc {
  low: number;
  best: number;
  high: number;
  incomplete: boolean;
  figures: Figure[];
}

export interface TallyValue {
  readonly key: string;
  readonly low: number;
  readonly best: number;
  readonly high: number;
  readonly incomplete: boolean;
  readonly figures: readonly Figure[];
}

/** Sums the given (uncovered) figures per segment key; null components add 0 (§5.6). */
function sumFigures(figures: Iterable<Figure>): Map<string, TallyValue> {
  const accs = new Map<string, Acc>();
  for (const f of figures) {
    let acc = accs.get(f.key);
    if (acc === undefined) {
      acc = { low: 0, best: 0, high: 0, incomplete: false, figures: [] };
      accs.set(f.key, acc);
    }
    const v = f.value;
    acc.low += v?.low ?? 0;
    acc.best += v?.best ?? 0;
    acc.high += v?.high ?? 0;
    acc.incomplete ||= f.incomplete || f.vagueSource;
    acc.figures.push(f);
  }
  const out = new Map<string, TallyValue>();
  for (const [key, acc] of accs) out.set(key, { key, ...acc });
  return out;
}

function shared(values: readonly (string | null)[]): string | null {
  const first = values[0] ?? null;
  return values.every((v) => v === first) ? first : null;
}

function toRow(
  scopeKind: CasualtyTallyRow['scope_kind'],
  scopeId: string,
  t: TallyValue,
): CasualtyTallyRow {
  const k = parseSegmentKey(t.key);
  const only = t.figures.length === 1 ? t.figures[0] : undefined;
  return {
    scope_kind: scopeKind,
    scope_id: scopeId,
    role: k.role,
    outcome: k.outcome,
    nationality: k.nationality,
    side: shared(t.figures.map((f) => f.side)),
    affiliation_actor_id: shared(t.figures.map((f) => f.affiliation)),
    low: t.low,
    best: t.best,
    high: t.high,
    source: only === undefined ? 'sum' : only.source,
    incomplete: t.incomplete,
    figure_count: t.figures.length,
  };
}

export interface Tallies {
  readonly rows: CasualtyTallyRow[];
  readonly byPeriod: CasualtyTallyPeriodRow[];
  /** best of each counted incident's own tally (for incidents_with_casualties) */
  readonly incidentBest: Map<string, number>;
}

export function deriveTallies(figs: Figures, lc: Lifecycle, cover: Covering): Tallies {
  const byScope = new Map<string, Figure[]>();
  for (const f of figs.casualties.values()) {
    const k = scopeKey(f.scope);
    const list = byScope.get(k);
    if (list === undefined) byScope.set(k, [f]);
    else list.push(f);
  }
  const figuresOf = (scope: ScopeRef) => byScope.get(scopeKey(scope)) ?? [];
  const rows: CasualtyTallyRow[] = [];
  const incidentBest = new Map<string, number>();

  for (const inc of lc.incidents.values()) {
    if (!inc.counted) continue;
    const own = figuresOf({ kind: 'incident', id: inc.id }).filter((f) => !cover.byScope(f));
    let best = 0;
    for (const t of sumFigures(own).values()) {
      rows.push(toRow('incident', inc.id, t));
      best += t.best;
    }
    incidentBest.set(inc.id, best);
  }

  // In a set that holds an incident's operation, the operation's figures cover the incident's.
  const uncoveredInOperationSet = (f: Figure) => !cover.byScope(f) && !cover.byOperation(f);
  const overall: Figure[] = [];
  for (const op of lc.operations.values()) {
    if (!op.counted) continue;
    const set = [
      ...figuresOf({ kind: 'operation', id: op.id }),
      ...op.members.flatMap((m) => figuresOf({ kind: 'incident', id: m })),
    ].filter(uncoveredInOperationSet);
    for (const t of sumFigures(set).values()) rows.push(toRow('operation', op.id, t));
    overall.push(...figuresOf({ kind: 'operation', id: op.id }).filter(uncoveredInOperationSet));
  }
  for (const inc of lc.incidents.values()) {
    if (inc.counted)
      overall.push(...figuresOf({ kind: 'incident', id: inc.id }).filter(uncoveredInOperationSet));
  }
  for (const t of sumFigures(overall).values()) rows.push(toRow('overall', '', t));

  sortByKey(rows, (r) => [r.scope_kind, r.scope_id, r.role, r.outcome, r.nationality]);
  return { rows, byPeriod: periodTallies(overall, lc), incidentBest };
}

/**
 * §5.6 time-bucketed overall tallies: an incident's figures go to its own buckets, an
 * operation's to its anchor member's; covering was already applied over the whole set, so
 * operation figures cover their members' figures in every bucket.
 */
function periodTallies(uncovered: readonly Figure[], lc: Lifecycle): CasualtyTallyPeriodRow[] {
  const buckets = new Map<string, { grain: Grain; period: string; figures: Figure[] }>();
  for (const f of uncovered) {
    const anchor = f.scope.kind === 'incident' ? f.scope.id : lc.operations.get(f.scope.id)?.anchor;
    const time =
      anchor === undefined || anchor === null ? undefined : lc.incidents.get(anchor)?.eff?.time;
    if (time === undefined) continue;
    for (const b of timeBuckets(time)) {
      const k = `${b.grain}|${b.period}`;
      let bucket = buckets.get(k);
      if (bucket === undefined) {
        bucket = { grain: b.grain, period: b.period, figures: [] };
        buckets.set(k, bucket);
      }
      bucket.figures.push(f);
    }
  }
  const rows: CasualtyTallyPeriodRow[] = [];
  for (const b of buckets.values()) {
    for (const t of sumFigures(b.figures).values()) {
      const { scope_kind: _k, scope_id: _i, ...row } = toRow('overall', '', t);
      rows.push({ grain: b.grain, period: b.period, ...row });
    }
  }
  const grainRank: Record<Grain, number> = { day: 0, week: 1, month: 2 };
  return sortByKey(rows, (r) => [grainRank[r.grain], r.period, r.role, r.outcome, r.nationality]);
}
