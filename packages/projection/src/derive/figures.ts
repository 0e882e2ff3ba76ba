import type { CasualtyEstimateAdopted, Count } from '@incidents/events';
import type { CountClaim, Recorded, State } from '../fold.js';
import { compareCodePoints } from '../order.js';
import { scopeKey, scopeRef, type ScopeRef } from '../refs.js';
import type { FigureSource, Triple } from '../rows.js';
import { segmentKey } from '../segments.js';
import type { Lifecycle } from './lifecycle.js';
import { reliabilityRank, type Reliabilities } from './reliability.js';

/** Series, default figures and adoptions (§5.5). */

export interface Series {
  readonly scope: ScopeRef;
  /** segment key for casualties; `munitions` / `intercepted` otherwise */
  readonly key: string;
  readonly sourceId: string;
  value: Triple;
  /** casualty claim ids, or event ids for munitions/interceptions, in logical order */
  readonly claimIds: string[];
  lastT: number;
  lastTime: string;
  lastSeq: number;
  deltaWithoutBase: boolean;
  viaMerge: boolean;
  /** side and affiliation of each claim (for the grouping attributes) */
  readonly segments: { side: string; affiliation: string | null }[];
}

export interface Figure {
  readonly scope: ScopeRef;
  readonly key: string;
  /** null when no series gives any number (unknown figure) */
  readonly value: Triple | null;
  readonly source: FigureSource;
  readonly series: Series[];
  readonly deltaWithoutBase: boolean;
  readonly vagueSource: boolean;
  readonly incomplete: boolean;
  readonly viaMerge: boolean;
  readonly side: string | null;
  readonly affiliation: string | null;
  readonly claimIds: string[];
  readonly adoption: Recorded<CasualtyEstimateAdopted> | null;
}

export interface ClaimView {
  readonly id: string;
  /** scope after the latest reassignment and merges */
  readonly scope: ScopeRef;
  readonly viaMerge: boolean;
  readonly retracted: boolean;
  readonly superseded: boolean;
}

export interface Figures {
  readonly claims: Map<string, ClaimView>;
  /** seqs of CasualtyClaimReassigned events whose from_incident_id did not match */
  readonly reassignMismatches: Set<number>;
  /** `<scope>|<segment key>` → casualty figure */
  readonly casualties: Map<string, Figure>;
  /** incident id → munitions / interceptions figure (default rule) */
  readonly munitions: Map<string, Figure>;
  readonly interceptions: Map<string, Figure>;
}

export function figureKey(scope: ScopeRef, key: string): string {
  return `${scopeKey(scope)}|${key}`;
}

function triple(count: Pick<Count, 'low' | 'best' | 'high'>): Triple {
  return { low: count.low, best: count.best, high: count.high };
}

function addComponent(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function isUnknown(t: Triple): boolean {
  return t.low === null && t.best === null && t.high === null;
}

/**
 * Default figure over the series of one scope and key: bounds are the min/max, `best` comes
 * from the most reliable source, ties to the latest last claim, then the greatest claim id.
 */
function defaultValue(series: readonly Series[], rel: Reliabilities): Triple | null {
  let low: number | null = null;
  let high: number | null = null;
  let pick: Series | null = null;
  for (const s of series) {
    const l = s.value.low ?? s.value.best;
    const h = s.value.high ?? s.value.best;
    if (l !== null && (low === null || l < low)) low = l;
    if (h !== null && (high === null || h > high)) high = h;
    if (s.value.best !== null && (pick === null || compareForBest(s, pick, rel) < 0)) pick = s;
  }
  const best = pick?.value.best ?? null;
  return low === null && best === null && high === null ? null : { low, best, high };
}

function compareForBest(a: Series, b: Series, rel: Reliabilities): number {
  return (
    reliabilityRank(rel.of(a.sourceId)) - reliabilityRank(rel.of(b.sourceId)) ||
    b.lastT - a.lastT ||
    compareCodePoints(
      b.claimIds[b.claimIds.length - 1] ?? '',
      a.claimIds[a.claimIds.length - 1] ?? '',
    ) ||
    b.lastSeq - a.lastSeq
  );
}

function newSeries(scope: ScopeRef, key: string, sourceId: string): Series {
  return {
    scope,
    key,
    sourceId,
    value: { low: 0, best: 0, high: 0 },
    claimIds: [],
    lastT: 0,
    lastTime: '',
    lastSeq: -1,
    deltaWithoutBase: false,
    viaMerge: false,
    segments: [],
  };
}

function viewClaims(
  s: State,
  lc: Lifecycle,
): { claims: Map<string, ClaimView>; mismatches: Set<number> } {
  const mismatches = new Set<number>();
  const retracted = (id: string) => s.claimRetractions.has(id);
  const claims = new Map<string, ClaimView>();
  for (const [id, { data }] of s.claims) {
    let scope = scopeRef(data.scope);
    for (const r of s.reassignments.get(id) ?? []) {
      if (scope.kind !== 'incident' || scope.id !== r.data.from_incident_id)
        mismatches.add(r.ev.seq);
      scope = { kind: 'incident', id: r.data.to_incident_id };
    }
    let viaMerge = false;
    if (scope.kind === 'incident') {
      const survivor = lc.resolve(scope.id);
      viaMerge = survivor !== scope.id;
      scope = { kind: 'incident', id: survivor };
    }
    claims.set(id, {
      id,
      scope,
      viaMerge,
      retracted: retracted(id),
      // Superseded when any claim that is not retracted names it, whatever its scope (§5.5).
      superseded: (s.supersedersOf.get(id) ?? []).some((by) => !retracted(by)),
    });
  }
  return { claims, mismatches };
}

function casualtySeries(s: State, claims: Map<string, ClaimView>): Map<string, Series[]> {
  const bySeries = new Map<string, Series>();
  // s.claims iterates in logical order, so each series folds in logical order.
  for (const [id, { ev, data }] of s.claims) {
    const view = claims.get(id);
    if (view === undefined || view.retracted || view.superseded) continue;
    const key = segmentKey(data.segment);
    const seriesKey = `${figureKey(view.scope, key)}|${data.source.source_id}`;
    let series = bySeries.get(seriesKey);
    if (series === undefined) {
      series = newSeries(view.scope, key, data.source.source_id);
      bySeries.set(seriesKey, series);
      if (data.mode === 'delta') series.deltaWithoutBase = true;
    }
    const v = triple(data.count);
    series.value =
      data.mode === 'total'
        ? v
        : {
            low: addComponent(series.value.low, v.low),
            best: addComponent(series.value.best, v.best),
            high: addComponent(series.value.high, v.high),
          };
    series.claimIds.push(id);
    series.lastT = ev.t;
    series.lastTime = ev.event.time;
    series.lastSeq = ev.seq;
    series.viaMerge ||= view.viaMerge;
    series.segments.push({
      side: data.segment.side,
      affiliation: data.segment.affiliation_actor_id ?? null,
    });
  }
  return groupByFigure(bySeries.values());
}

function groupByFigure(series: Iterable<Series>): Map<string, Series[]> {
  const byFigure = new Map<string, Series[]>();
  for (const x of series) {
    const k = figureKey(x.scope, x.key);
    const list = byFigure.get(k);
    if (list === undefined) byFigure.set(k, [x]);
    else list.push(x);
  }
  for (const list of byFigure.values())
    list.sort((a, b) => compareCodePoints(a.sourceId, b.sourceId));
  return byFigure;
}

function shared<T>(values: readonly T[]): T | null {
  const first = values[0];
  if (first === undefined) return null;
  return values.every((v) => v === first) ? first : null;
}

function defaultFigure(
  scope: ScopeRef,
  key: string,
  series: Series[],
  rel: Reliabilities,
  casualty: boolean,
): Figure {
  const value = defaultValue(series, rel);
  const segments = series.flatMap((x) => x.segments);
  return {
    scope,
    key,
    value,
    source: 'default',
    series,
    deltaWithoutBase: series.some((x) => x.deltaWithoutBase),
    vagueSource: casualty && value !== null && series.some((x) => isUnknown(x.value)),
    incomplete: value === null || value.low === null || value.best === null || value.high === null,
    viaMerge: series.some((x) => x.viaMerge),
    side: shared(segments.map((x) => x.side)),
    affiliation: shared(segments.map((x) => x.affiliation)),
    claimIds: series.flatMap((x) => x.claimIds).sort(compareCodePoints),
    adoption: null,
  };
}

function countFigures(
  claims: readonly CountClaim[],
  lc: Lifecycle,
  rel: Reliabilities,
  key: string,
): Map<string, Figure> {
  const bySeries = new Map<string, Series>();
  for (const c of claims) {
    const incident = lc.resolve(c.incident);
    const seriesKey = `${incident}|${c.sourceId}`;
    let series = bySeries.get(seriesKey);
    if (series === undefined) {
      series = newSeries({ kind: 'incident', id: incident }, key, c.sourceId);
      bySeries.set(seriesKey, series);
    }
    // Every munitions/interception claim is a total (§5.5): the latest replaces the value.
    series.value = triple(c.count);
    series.claimIds.push(c.ev.id);
    series.lastT = c.ev.t;
    series.lastTime = c.ev.event.time;
    series.lastSeq = c.ev.seq;
    series.viaMerge ||= incident !== c.incident;
  }
  const figures = new Map<string, Figure>();
  for (const list of groupByFigure(bySeries.values()).values()) {
    const first = list[0] as Series;
    figures.set(first.scope.id, defaultFigure(first.scope, key, list, rel, false));
  }
  return figures;
}

export function deriveFigures(s: State, lc: Lifecycle, rel: Reliabilities): Figures {
  const { claims, mismatches } = viewClaims(s, lc);
  const casualties = new Map<string, Figure>();
  for (const [k, list] of casualtySeries(s, claims)) {
    const first = list[0] as Series;
    casualties.set(k, defaultFigure(first.scope, first.key, list, rel, true));
  }
  for (const [k, adoption] of s.adoptions) {
    const scope = scopeRef(adoption.data.scope);
    // A merged incident's own adoptions are ignored (§5.3).
    if (scope.kind === 'incident' && lc.resolve(scope.id) !== scope.id) continue;
    const seg = adoption.data.segment;
    const base = casualties.get(k);
    casualties.set(k, {
      scope,
      key: segmentKey(seg),
      value: triple(adoption.data.count),
      source: 'adopted',
      series: base?.series ?? [],
      deltaWithoutBase: false,
      vagueSource: false,
      incomplete:
        adoption.data.count.low === null ||
        adoption.data.count.best === null ||
        adoption.data.count.high === null,
      viaMerge: false,
      side: seg.side,
      affiliation: seg.affiliation_actor_id ?? null,
      claimIds: base?.claimIds ?? [],
      adoption,
    });
  }
  return {
    claims,
    reassignMismatches: mismatches,
    casualties,
    munitions: countFigures(s.munitions, lc, rel, 'munitions'),
    interceptions: countFigures(s.interceptions, lc, rel, 'intercepted'),
  };
}
