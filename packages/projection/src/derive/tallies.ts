import { sortByKey } from '../order.js';
import { scopeKey, type ScopeRef } from '../refs.js';
import type { CasualtyTallyPeriodRow, CasualtyTallyRow, Grain } from '../rows.js';
import { parseSegmentKey, umbrellaOf } from '../segments.js';
import { timeBuckets, type TimeBucket } from './buckets.js';
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

/** The sum of the figures of one group (segment key, side, affiliation). */
interface Acc {
  key: string;
  low: number;
  best: number;
  high: number;
  incomplete: boolean;
  figures: Figure[];
}

/**
 * The group a figure is summed in: its segment key, side and affiliation (`''` when absent).
 * Sums use the key (§3.4) and stay apart per side and affiliation so that tallies remain
 * groupable by them (§5.5, §6): a query summing over sides gets the per-key sum back.
 */
function groupOf(key: string, side: string | null, affiliation: string | null): string {
  return `${key}|${side ?? ''}|${affiliation ?? ''}`;
}

interface TallyGroup {
  readonly role: string;
  readonly outcome: string;
  readonly nationality: string;
  readonly side: string;
  readonly affiliation_actor_id: string;
}

function parseGroup(group: string): TallyGroup {
  const [key = '', side = '', affiliation = ''] = group.split('|');
  return { ...parseSegmentKey(key), side, affiliation_actor_id: affiliation };
}

/** Sums the given (uncovered) figures per segment key, side and affiliation; null components add 0 (§5.6). */
function sumFigures(figures: Iterable<Figure>): Map<string, Acc> {
  const accs = new Map<string, Acc>();
  for (const f of figures) {
    const g = groupOf(f.key, f.side, f.affiliation);
    let acc = accs.get(g);
    if (acc === undefined) {
      acc = { key: f.key, low: 0, best: 0, high: 0, incomplete: false, figures: [] };
      accs.set(g, acc);
    }
    const v = f.value;
    acc.low += v?.low ?? 0;
    acc.best += v?.best ?? 0;
    acc.high += v?.high ?? 0;
    acc.incomplete ||= f.incomplete || f.vagueSource;
    acc.figures.push(f);
  }
  return accs;
}

function toRow(
  scopeKind: CasualtyTallyRow['scope_kind'],
  scopeId: string,
  t: Acc,
): CasualtyTallyRow {
  const k = parseSegmentKey(t.key);
  const first = t.figures[0];
  const only = t.figures.length === 1 ? first : undefined;
  return {
    scope_kind: scopeKind,
    scope_id: scopeId,
    role: k.role,
    outcome: k.outcome,
    nationality: k.nationality,
    side: first?.side ?? '',
    affiliation_actor_id: first?.affiliation ?? '',
    low: t.low,
    best: t.best,
    high: t.high,
    source: only === undefined ? 'sum' : only.source,
    incomplete: t.incomplete,
    figure_count: t.figures.length,
  };
}

/**
 * One uncovered figure of a counted scope as it enters the overall tally (§5.6), with the
 * time buckets of its anchor. The overall tallies are folds of these items.
 */
export interface TallyItem {
  readonly key: string;
  readonly low: number;
  readonly best: number;
  readonly high: number;
  readonly incomplete: boolean;
  readonly side: string | null;
  readonly affiliation: string | null;
  readonly source: Figure['source'];
  readonly periods: readonly TimeBucket[];
}

/** A TallyAcc's numbers (see `TallyAcc.state`). */
export type TallyAccState = readonly [number, number, number, number, number, number];

/**
 * The tally row of one group (segment key, side, affiliation) over a multiset of items;
 * `add(item, -1)` removes an item added before. Sums add, `incomplete` is an OR (kept as a
 * count), `source` is the single item's source or `sum`.
 */
export class TallyAcc {
  low = 0;
  best = 0;
  high = 0;
  count = 0;
  private incomplete = 0;
  private adopted = 0;

  constructor(readonly group: string) {}

  /** The accumulator's numbers: low, best, high, count, incomplete, adopted. */
  state(): TallyAccState {
    return [this.low, this.best, this.high, this.count, this.incomplete, this.adopted];
  }

  static fromState(group: string, s: TallyAccState): TallyAcc {
    if (s.length !== 6 || !s.every(Number.isFinite)) throw new Error(`tally state of ${group}: six numbers expected`);
    const acc = new TallyAcc(group);
    [acc.low, acc.best, acc.high, acc.count, acc.incomplete, acc.adopted] = s;
    return acc;
  }

  add(item: TallyItem, sign: 1 | -1 = 1): void {
    this.low += sign * item.low;
    this.best += sign * item.best;
    this.high += sign * item.high;
    this.count += sign;
    if (item.incomplete) this.incomplete += sign;
    if (item.source === 'adopted') this.adopted += sign;
  }

  row(): Omit<CasualtyTallyRow, 'scope_kind' | 'scope_id'> {
    return {
      ...parseGroup(this.group),
      low: this.low,
      best: this.best,
      high: this.high,
      source: this.count === 1 ? (this.adopted === 1 ? 'adopted' : 'default') : 'sum',
      incomplete: this.incomplete > 0,
      figure_count: this.count,
    };
  }
}

export function tallyItem(f: Figure, lc: Lifecycle): TallyItem {
  const anchor = f.scope.kind === 'incident' ? f.scope.id : lc.operations.get(f.scope.id)?.anchor;
  const time =
    anchor === undefined || anchor === null ? undefined : lc.incidents.get(anchor)?.eff?.time;
  const v = f.value;
  return {
    key: f.key,
    low: v?.low ?? 0,
    best: v?.best ?? 0,
    high: v?.high ?? 0,
    incomplete: f.incomplete || f.vagueSource,
    side: f.side,
    affiliation: f.affiliation,
    source: f.source,
    periods: time === undefined ? [] : timeBuckets(time),
  };
}

/** OverallTallies' accumulators: [map key, numbers] (the group is in the key). */
export interface OverallTalliesState {
  readonly overall: readonly (readonly [string, TallyAccState])[];
  readonly byPeriod: readonly (readonly [string, TallyAccState])[];
}

/** The group of a `<grain>|<period>|<group>` key. */
function periodGroup(k: string): string {
  const [grain = '', period = ''] = k.split('|');
  return k.slice(grain.length + period.length + 2);
}

/** The overall tally and its per-period rows as folds of items (§5.6). */
export class OverallTallies {
  /** `<key>|<side>|<affiliation>` → accumulator */
  readonly overall = new Map<string, TallyAcc>();
  /** `<grain>|<period>|<key>|<side>|<affiliation>` → accumulator */
  readonly byPeriod = new Map<string, TallyAcc>();

  /** The accumulators as plain data (see `fromState`). */
  state(): OverallTalliesState {
    const of = (accs: Map<string, TallyAcc>) => [...accs].map(([k, acc]) => [k, acc.state()] as const);
    return { overall: of(this.overall), byPeriod: of(this.byPeriod) };
  }

  static fromState(s: OverallTalliesState): OverallTallies {
    const t = new OverallTallies();
    for (const [k, acc] of s.overall) t.overall.set(k, TallyAcc.fromState(k, acc));
    for (const [k, acc] of s.byPeriod) t.byPeriod.set(k, TallyAcc.fromState(periodGroup(k), acc));
    return t;
  }

  add(item: TallyItem, sign: 1 | -1 = 1, touched?: Set<string>): void {
    const group = groupOf(item.key, item.side, item.affiliation);
    this.fold(this.overall, group, group, item, sign, touched, '');
    for (const b of item.periods)
      this.fold(this.byPeriod, `${b.grain}|${b.period}|${group}`, group, item, sign, touched, 'p');
  }

  private fold(
    accs: Map<string, TallyAcc>,
    k: string,
    group: string,
    item: TallyItem,
    sign: 1 | -1,
    touched: Set<string> | undefined,
    tag: string,
  ): void {
    let acc = accs.get(k);
    if (acc === undefined) {
      acc = new TallyAcc(group);
      accs.set(k, acc);
    }
    acc.add(item, sign);
    if (acc.count === 0) accs.delete(k);
    touched?.add(`${tag}|${k}`);
  }

  /** The overall row of a group, or null when no figure is left. */
  overallRow(group: string): CasualtyTallyRow | null {
    const acc = this.overall.get(group);
    return acc === undefined ? null : { scope_kind: 'overall', scope_id: '', ...acc.row() };
  }

  /** The row of `<grain>|<period>|<group>`, or null when no figure is left. */
  periodRow(k: string): CasualtyTallyPeriodRow | null {
    const acc = this.byPeriod.get(k);
    if (acc === undefined) return null;
    const [grain = '', period = ''] = k.split('|');
    return { grain: grain as Grain, period, ...acc.row() };
  }

  /** The primary key columns of the overall row of a group (to delete it once it is gone). */
  static overallKey(group: string): Record<string, string> {
    return { scope_kind: 'overall', scope_id: '', ...parseGroup(group) };
  }

  /** The primary key columns of the row of `<grain>|<period>|<group>`. */
  static periodKey(k: string): Record<string, string> {
    const [grain = '', period = ''] = k.split('|');
    return { grain, period, ...parseGroup(periodGroup(k)) };
  }

  overallRows(): CasualtyTallyRow[] {
    return [...this.overall.keys()].map((k) => this.overallRow(k) as CasualtyTallyRow);
  }

  periodRows(): CasualtyTallyPeriodRow[] {
    return sortPeriodRows(
      [...this.byPeriod.keys()].map((k) => this.periodRow(k) as CasualtyTallyPeriodRow),
    );
  }
}

const GRAIN_RANK: Record<Grain, number> = { day: 0, week: 1, month: 2 };

function sortPeriodRows(rows: CasualtyTallyPeriodRow[]): CasualtyTallyPeriodRow[] {
  return sortByKey(rows, (r) => [
    GRAIN_RANK[r.grain],
    r.period,
    r.role,
    r.outcome,
    r.nationality,
    r.side,
    r.affiliation_actor_id,
  ]);
}

export interface Tallies {
  readonly rows: CasualtyTallyRow[];
  readonly byPeriod: CasualtyTallyPeriodRow[];
  /** best of each counted incident's own tally (for incidents_with_casualties) */
  readonly incidentBest: Map<string, number>;
  /** what each uncovered figure of a counted scope adds to the overall tallies */
  readonly items: TallyItem[];
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
  // §5.6 time-bucketed overall tallies: an incident's figures go to its own buckets, an
  // operation's to its anchor member's; covering was already applied over the whole set, so
  // operation figures cover their members' figures in every bucket.
  const items = overall.map((f) => tallyItem(f, lc));
  const tallies = new OverallTallies();
  for (const item of items) tallies.add(item);
  rows.push(...tallies.overallRows());

  sortByKey(rows, (r) => [
    r.scope_kind,
    r.scope_id,
    r.role,
    r.outcome,
    r.nationality,
    r.side,
    r.affiliation_actor_id,
  ]);
  return { rows, byPeriod: tallies.periodRows(), incidentBest, items };
}
