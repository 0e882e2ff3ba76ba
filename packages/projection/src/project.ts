import type { DomainEvent } from '@incidents/events';
import { emptyState, evolve, knowReference, type State } from './fold.js';
import { compareCodePoints, instantMicros, sortByKey } from './order.js';
import { scopeKey, type ScopeRef } from './refs.js';
import type {
  CasualtyFigure,
  CountFigure,
  DamageEntry,
  IncidentCurrentRow,
  OperationRow,
  Projection,
} from './rows.js';
import { parseSegmentKey } from './segments.js';
import { selectEvents, type Applied } from './select.js';
import { deriveAttribution, type Attribution } from './derive/attribution.js';
import { attackItems, deriveAttackCounts, type AttackItem } from './derive/counts.js';
import { deriveDiscrepancies } from './derive/discrepancies.js';
import { deriveFigures, type Figure, type Figures } from './derive/figures.js';
import { deriveLifecycle, type IncidentView, type Lifecycle } from './derive/lifecycle.js';
import {
  deriveActors,
  deriveDocuments,
  deriveExternalStats,
  deriveSites,
  deriveSources,
} from './derive/reference.js';
import { deriveReliabilities, type Reliabilities } from './derive/reliability.js';
import { deriveResponses } from './derive/responses.js';
import { revisions, type Citations, type Revisions } from './derive/revisions.js';
import {
  covering,
  deriveTallies,
  type Covering,
  type Tallies,
  type TallyItem,
} from './derive/tallies.js';
import { deriveTimeline } from './derive/timeline.js';

/** A bad argument to `project` (events themselves are validated upstream). */
export class ProjectionError extends Error {
  constructor(
    readonly code: 'INVALID_AS_OF',
    message: string,
  ) {
    super(message);
    this.name = 'ProjectionError';
  }
}

function asOfMicros(asOf: string | undefined): number | null {
  if (asOf === undefined) return null;
  try {
    return instantMicros(asOf);
  } catch {
    throw new ProjectionError(
      'INVALID_AS_OF',
      `asOf must be an RFC 3339 instant, got ${JSON.stringify(asOf)}`,
    );
  }
}

export interface ProjectOptions {
  /** Instant (RFC 3339, UTC): evaluate over the events with `time ≤ asOf` (§5.7). Default: all events. */
  asOf?: string;
}

/**
 * Projects a set of events into the read models of §6. A pure, deterministic function of
 * the set: input order and re-deliveries do not matter (§5.1, §5.2).
 */
export function project(events: readonly DomainEvent[], opts: ProjectOptions = {}): Projection {
  const { applied, rejected } = selectEvents(events, asOfMicros(opts.asOf));
  const d = derive(applied);
  return {
    ...clusterTables(d),
    attack_counts: deriveAttackCounts(d.attackItems()),
    casualty_tally: d.tallies.rows,
    casualty_tally_by_period: d.tallies.byPeriod,
    sources: deriveSources(d.s, d.rel),
    actors: deriveActors(d.s),
    sites: deriveSites(d.s),
    rejected,
  };
}

/** The tables whose rows each belong to one incident, operation, link, event, stat or doc. */
export type ClusterTables = Pick<
  Projection,
  | 'incident_current'
  | 'operations'
  | 'casualty_tally'
  | 'response_graph'
  | 'incident_timeline'
  | 'source_discrepancies'
  | 'revision_feed'
  | 'external_stats'
  | 'documents'
>;

/**
 * What a set of events adds to the tables that sum over incidents and scopes, split by what
 * adds it, so that those tables can be kept as sums when part of the events change.
 */
export interface Contributions {
  /** attack_counts is the sum of these (one per counted incident) */
  readonly attack: AttackItem[];
  /** the overall casualty tallies (and per period) fold these (one per uncovered figure) */
  readonly tally: TallyItem[];
  /** what the revision_feed rows of source and site registrations list */
  readonly citations: Citations;
  /**
   * The sources, actors and sites each applied event makes known (`<kind>/<id>`); those
   * tables have a row for every id some event names.
   */
  readonly named: { readonly source: string; readonly id: string; readonly refs: string[] }[];
}

export interface ProjectionParts {
  /** per-owner rows (`casualty_tally` without the overall rows); only when asked for */
  readonly tables: ClusterTables | null;
  readonly contributions: Contributions;
}

/**
 * The building blocks of `project` for incremental maintenance (no asOf): the rows that
 * belong to one owner each, and what the events contribute to the summed tables. For any
 * set of events, summing `contributions` with `AttackCounts` and `OverallTallies` gives
 * `project`'s attack_counts and overall tallies.
 */
export function projectParts(
  events: readonly DomainEvent[],
  opts: { tables: boolean },
): ProjectionParts {
  const { applied } = selectEvents(events, null);
  const d = derive(applied);
  const named: { source: string; id: string; refs: string[] }[] = [];
  for (const ev of d.s.events) {
    let refs: string[] | undefined;
    for (const r of d.s.refs[ev.seq] ?? []) {
      if (r.kind !== 'source' && r.kind !== 'actor' && r.kind !== 'site') continue;
      (refs ??= []).push(`${r.kind}/${r.id}`);
    }
    if (refs !== undefined) named.push({ source: ev.source, id: ev.id, refs });
  }
  let tables: ClusterTables | null = null;
  if (opts.tables) {
    const t = clusterTables(d);
    tables = { ...t, casualty_tally: t.casualty_tally.filter((r) => r.scope_kind !== 'overall') };
  }
  return {
    tables,
    contributions: {
      attack: d.attackItems(),
      tally: d.tallies.items,
      citations: d.revisions.citations(),
      named,
    },
  };
}

/**
 * sources, actors and sites from the reference events alone, with a row for each extra id
 * that other events name (`<kind>/<id>`).
 */
export function referenceTables(
  events: readonly DomainEvent[],
  named: Iterable<string>,
): Pick<Projection, 'sources' | 'actors' | 'sites'> {
  const { applied } = selectEvents(events, null);
  const s = emptyState();
  for (const ev of applied) evolve(s, ev);
  for (const ref of named) {
    const slash = ref.indexOf('/');
    const kind = ref.slice(0, slash);
    if (kind === 'source' || kind === 'actor' || kind === 'site')
      knowReference(s, kind, ref.slice(slash + 1));
  }
  return {
    sources: deriveSources(s, deriveReliabilities(s)),
    actors: deriveActors(s),
    sites: deriveSites(s),
  };
}

interface Derived {
  readonly s: State;
  readonly rel: Reliabilities;
  readonly lc: Lifecycle;
  readonly figs: Figures;
  readonly cover: Covering;
  readonly tallies: Tallies;
  readonly attribution: Attribution;
  readonly revisions: Revisions;
  attackItems(): AttackItem[];
}

function derive(applied: readonly Applied[]): Derived {
  const s = emptyState();
  for (const ev of applied) evolve(s, ev);
  const rel = deriveReliabilities(s);
  const lc = deriveLifecycle(s);
  const figs = deriveFigures(s, lc, rel);
  const cover = covering(figs, lc);
  const tallies = deriveTallies(figs, lc, cover);
  const attribution = deriveAttribution(s, lc, rel);
  return {
    s,
    rel,
    lc,
    figs,
    cover,
    tallies,
    attribution,
    revisions: revisions(s, lc, figs),
    attackItems: () => attackItems(lc, figs, attribution, tallies.incidentBest),
  };
}

function clusterTables(d: Derived): ClusterTables {
  const { s, rel, lc, figs, cover, attribution } = d;
  const discrepancies = deriveDiscrepancies(figs, rel);
  const flagged = new Set(
    discrepancies.filter((x) => x.flagged).map((x) => `${x.scope_kind}/${x.scope_id}`),
  );
  const timeline = deriveTimeline(s, lc, figs, attribution, rel);
  const casualtiesOf = indexByScope(figs);
  return {
    incident_current: incidentRows(
      s,
      lc,
      figs,
      cover,
      attribution,
      casualtiesOf,
      flagged,
      timeline.unresolved,
    ),
    operations: operationRows(lc, cover, casualtiesOf, flagged),
    casualty_tally: d.tallies.rows,
    response_graph: deriveResponses(s, lc),
    incident_timeline: timeline.rows,
    source_discrepancies: discrepancies,
    revision_feed: d.revisions.rows(),
    external_stats: deriveExternalStats(s),
    documents: deriveDocuments(s),
  };
}

function indexByScope(figs: Figures): (scope: ScopeRef) => Figure[] {
  const index = new Map<string, Figure[]>();
  for (const f of figs.casualties.values()) {
    const k = scopeKey(f.scope);
    const list = index.get(k);
    if (list === undefined) index.set(k, [f]);
    else list.push(f);
  }
  for (const list of index.values()) list.sort((a, b) => compareCodePoints(a.key, b.key));
  return (scope) => index.get(scopeKey(scope)) ?? [];
}

function casualtyFigure(f: Figure, cover: Covering): CasualtyFigure {
  const k = parseSegmentKey(f.key);
  return {
    role: k.role,
    outcome: k.outcome,
    nationality: k.nationality,
    side: f.side,
    affiliation_actor_id: f.affiliation,
    low: f.value?.low ?? null,
    best: f.value?.best ?? null,
    high: f.value?.high ?? null,
    source: f.source,
    covered: cover.byScope(f),
    covered_by_operation: cover.byOperation(f),
    delta_without_base: f.deltaWithoutBase,
    vague_source: f.vagueSource,
    incomplete: f.incomplete,
    via_merge: f.viaMerge,
    claim_ids: f.claimIds,
    adoption_event_id: f.adoption?.ev.id ?? null,
    adoption_policy: f.adoption?.data.policy ?? null,
  };
}

function countFigure(f: Figure | undefined): CountFigure | null {
  if (f === undefined || f.value === null) return null;
  return {
    ...f.value,
    incomplete: f.incomplete,
    source_count: f.series.length,
    via_merge: f.viaMerge,
  };
}

function damageByIncident(s: State, lc: Lifecycle): Map<string, DamageEntry[]> {
  const out = new Map<string, DamageEntry[]>();
  for (const { ev, data } of s.damage) {
    const incident = lc.resolve(data.incident_id);
    const entry: DamageEntry = {
      object: data.object,
      extent: data.extent,
      distance_from_target_km: data.distance_from_target_km ?? null,
      source_id: data.source.source_id,
      event_id: ev.id,
      time: ev.event.time,
      via_merge: incident !== data.incident_id,
    };
    const list = out.get(incident);
    if (list === undefined) out.set(incident, [entry]);
    else list.push(entry);
  }
  return out;
}

function incidentRows(
  s: State,
  lc: Lifecycle,
  figs: Figures,
  cover: Covering,
  attribution: Attribution,
  casualtiesOf: (scope: ScopeRef) => Figure[],
  flagged: ReadonlySet<string>,
  unresolved: ReadonlyMap<string, string[]>,
): IncidentCurrentRow[] {
  const damage = damageByIncident(s, lc);
  const rows: IncidentCurrentRow[] = [];
  for (const inc of lc.incidents.values()) {
    const attr = attribution.byIncident.get(inc.id);
    rows.push({
      incident_id: inc.id,
      status: inc.status,
      merged_into: inc.survivor,
      merge_loop: inc.loop,
      counted: inc.counted,
      ...reportFields(inc),
      munitions: countFigure(figs.munitions.get(inc.id)),
      intercepted: countFigure(figs.interceptions.get(inc.id)),
      casualties: casualtiesOf({ kind: 'incident', id: inc.id }).map((f) =>
        casualtyFigure(f, cover),
      ),
      damage: damage.get(inc.id) ?? [],
      top_perpetrator: attr?.top_perpetrator?.actor_id ?? null,
      top_perpetrator_likelihood: attr?.top_perpetrator?.likelihood ?? null,
      materiel_origin: attr?.materiel_origin?.actor_id ?? null,
      materiel_origin_likelihood: attr?.materiel_origin?.likelihood ?? null,
      attributions: attr?.entries ?? [],
      claimed_by: attr?.claimed_by ?? [],
      denied_by: attr?.denied_by ?? [],
      has_discrepancy: flagged.has(`incident/${inc.id}`),
      unresolved: unresolved.get(inc.id) ?? [],
    });
  }
  return sortByKey(rows, (r) => [r.incident_id]);
}

type ReportFields = Omit<
  IncidentCurrentRow,
  | 'incident_id'
  | 'status'
  | 'merged_into'
  | 'merge_loop'
  | 'counted'
  | 'munitions'
  | 'intercepted'
  | 'casualties'
  | 'damage'
  | 'top_perpetrator'
  | 'top_perpetrator_likelihood'
  | 'materiel_origin'
  | 'materiel_origin_likelihood'
  | 'attributions'
  | 'claimed_by'
  | 'denied_by'
  | 'has_discrepancy'
  | 'unresolved'
>;

function reportFields(inc: IncidentView): ReportFields {
  const report = inc.record.report;
  const eff = inc.eff;
  const place = inc.place;
  return {
    reported_at: report?.ev.event.time ?? null,
    report_event_id: report?.ev.id ?? null,
    reported_by: report?.data.source.source_id ?? null,
    amendment_count: inc.record.amendments.length,
    duplicate_report_count: inc.record.duplicateReports,
    kind: eff?.kind ?? null,
    method: eff?.method ?? null,
    operation_id: eff?.operation_id ?? null,
    platform: eff?.platform ?? null,
    target:
      eff?.target == null
        ? null
        : {
            site_id: eff.target.site_id ?? null,
            facility: eff.target.facility ?? null,
            target_actor_id: eff.target.target_actor_id ?? null,
          },
    acled:
      eff?.acled == null
        ? null
        : { event_type: eff.acled.event_type, sub_event_type: eff.acled.sub_event_type },
    cameo_code: eff?.cameo_code ?? null,
    local_date: eff?.time.local_date ?? null,
    time_precision: eff?.time.precision ?? null,
    time_start: eff?.time.start ?? null,
    time_end: eff?.time.end ?? null,
    time_tz: eff?.time.tz ?? null,
    place_precision: place?.precision ?? null,
    site_id: place?.site_id ?? null,
    site_registered: place?.site_registered ?? null,
    place_name: place?.name ?? null,
    country_iso3: place?.country_iso3 ?? null,
    admin1: place?.admin1 ?? null,
    admin2: place?.admin2 ?? null,
    admin3: place?.admin3 ?? null,
    lat: place?.lat ?? null,
    lon: place?.lon ?? null,
    radius_km: place?.radius_km ?? null,
  };
}

function operationRows(
  lc: Lifecycle,
  cover: Covering,
  casualtiesOf: (scope: ScopeRef) => Figure[],
  flagged: ReadonlySet<string>,
): OperationRow[] {
  const rows: OperationRow[] = [];
  for (const op of lc.operations.values()) {
    rows.push({
      operation_id: op.id,
      member_incident_ids: op.members,
      counted: op.counted,
      start: op.startText,
      anchor_incident_id: op.anchor,
      casualties: casualtiesOf({ kind: 'operation', id: op.id }).map((f) =>
        casualtyFigure(f, cover),
      ),
      has_discrepancy: flagged.has(`operation/${op.id}`),
    });
  }
  return sortByKey(rows, (r) => [r.operation_id]);
}
