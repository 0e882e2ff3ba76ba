import type { DomainEvent } from '@incidents/events';

/**
 * Read-model rows (§6). Field names are snake_case and map 1:1 to SQL columns; nested
 * objects and arrays are plain JSON (jsonb). Absent values are `null`, never `undefined`.
 */

export type IncidentStatus = 'unreported' | 'active' | 'merged' | 'retracted';
export type FigureSource = 'adopted' | 'default';

/** low / best / high of a figure; a component is null when no source gives it. */
export interface Triple {
  low: number | null;
  best: number | null;
  high: number | null;
}

/** Munitions or interceptions figure of an incident (always the default rule, §5.5). */
export interface CountFigure extends Triple {
  /** a component is null */
  incomplete: boolean;
  /** number of information sources with a series */
  source_count: number;
  /** some claim reached this incident through a merge */
  via_merge: boolean;
}

/** One casualty figure of a scope for one segment key (§5.5). */
export interface CasualtyFigure extends Triple {
  role: string;
  outcome: string;
  /** ISO3, '' when unknown */
  nationality: string;
  side: string | null;
  affiliation_actor_id: string | null;
  source: FigureSource;
  /** another figure of the same scope covers it (umbrella outcome, §5.6) */
  covered: boolean;
  /** the incident's operation has a figure that covers it (§5.6) */
  covered_by_operation: boolean;
  delta_without_base: boolean;
  vague_source: boolean;
  /** a component is null */
  incomplete: boolean;
  via_merge: boolean;
  /** current claims behind the default figure (also listed when an adoption overrides it) */
  claim_ids: string[];
  /** the adoption event, when `source` is `adopted` */
  adoption_event_id: string | null;
  adoption_policy: string | null;
}

export interface DamageEntry {
  object: string;
  extent: string;
  distance_from_target_km: number | null;
  source_id: string;
  event_id: string;
  time: string;
  via_merge: boolean;
}

export interface AttributionEntry {
  assertion_id: string;
  actor_id: string;
  role: string;
  likelihood: string;
  basis: string;
  source_id: string;
  as_stated: string | null;
  time: string;
  via_merge: boolean;
}

export interface IncidentCurrentRow {
  incident_id: string;
  status: IncidentStatus;
  /** final survivor of the merge chain when status is `merged` */
  merged_into: string | null;
  /** the incident is in, or its merge chain reaches, a merge loop; it counts as retracted */
  merge_loop: boolean;
  /** enters counts and tallies (status `active`) */
  counted: boolean;
  reported_at: string | null;
  report_event_id: string | null;
  reported_by: string | null;
  amendment_count: number;
  duplicate_report_count: number;
  kind: string | null;
  method: string | null;
  operation_id: string | null;
  platform: string | null;
  target: {
    site_id: string | null;
    facility: string | null;
    target_actor_id: string | null;
  } | null;
  acled: { event_type: string; sub_event_type: string } | null;
  cameo_code: string | null;
  local_date: string | null;
  time_precision: string | null;
  time_start: string | null;
  time_end: string | null;
  time_tz: string | null;
  place_precision: string | null;
  site_id: string | null;
  /** null without a site_id */
  site_registered: boolean | null;
  place_name: string | null;
  country_iso3: string | null;
  admin1: string | null;
  admin2: string | null;
  admin3: string | null;
  lat: number | null;
  lon: number | null;
  radius_km: number | null;
  munitions: CountFigure | null;
  intercepted: CountFigure | null;
  casualties: CasualtyFigure[];
  damage: DamageEntry[];
  top_perpetrator: string | null;
  top_perpetrator_likelihood: string | null;
  materiel_origin: string | null;
  materiel_origin_likelihood: string | null;
  attributions: AttributionEntry[];
  claimed_by: string[];
  denied_by: string[];
  has_discrepancy: boolean;
  /** `<kind>/<id>` references (source, actor, site, incident, claim, assertion) not seen yet */
  unresolved: string[];
}

export interface OperationRow {
  operation_id: string;
  member_incident_ids: string[];
  counted: boolean;
  /** earliest member start at minute/hour precision (§5.9) */
  start: string | null;
  /** member whose buckets hold the operation's figures (§5.6) */
  anchor_incident_id: string | null;
  casualties: CasualtyFigure[];
  has_discrepancy: boolean;
}

export type Grain = 'day' | 'week' | 'month';
export type GeoLevel = 'all' | 'country' | 'admin1' | 'site';

export interface AttackCountRow {
  grain: Grain;
  /** '2023-03-24' | '2023-W12' | '2023-03' */
  period: string;
  geo_level: GeoLevel;
  /** '' for `all`; ISO3; `<ISO3>/<admin1>`; site id */
  geo_key: string;
  kind: string;
  method: string;
  /** top perpetrator actor id, '' when unattributed */
  perpetrator: string;
  /** its likelihood, '' when unattributed */
  perpetrator_likelihood: string;
  incidents: number;
  munitions_low: number;
  munitions_best: number;
  munitions_high: number;
  munitions_unknown: number;
  intercepted: number;
  incidents_with_casualties: number;
  /** incidents of this row missing from the day series (always 0 on day rows) */
  imprecise: number;
}

export type TallySource = 'adopted' | 'default' | 'sum';

export interface CasualtyTallyRow {
  scope_kind: 'overall' | 'incident' | 'operation';
  /** '' for overall */
  scope_id: string;
  role: string;
  outcome: string;
  /** ISO3, '' when unknown */
  nationality: string;
  /** the summed figures' side (§5.5); '' when a figure's claims disagree on it */
  side: string;
  /** the summed figures' affiliation (§5.5); '' when absent or when a figure's claims disagree */
  affiliation_actor_id: string;
  low: number;
  best: number;
  high: number;
  source: TallySource;
  incomplete: boolean;
  /** number of uncovered figures summed */
  figure_count: number;
}

/** Overall tally per time bucket (§5.6, last paragraph). */
export interface CasualtyTallyPeriodRow extends Omit<CasualtyTallyRow, 'scope_kind' | 'scope_id'> {
  grain: Grain;
  period: string;
}

export interface ResponseEdgeRow {
  link_id: string;
  trigger_incident_id: string;
  response_kind: 'incident' | 'operation';
  response_id: string;
  basis: string;
  likelihood: string;
  as_stated: string | null;
  also_cites: string | null;
  source_id: string;
  linked_at: string;
  lag_minutes: number | null;
  trigger_status: IncidentStatus;
  /** incident status, or `active` / `no_members` for an operation */
  response_status: IncidentStatus | 'no_members';
  via_merge: boolean;
  /** smallest `incident/<id>` or `operation/<id>` node of the connected component */
  component_id: string;
}

export interface TimelineRow {
  incident_id: string;
  time: string;
  event_id: string;
  event_source: string;
  type: string;
  subject: string;
  via_merge: boolean;
  /** the merged incident through which the event reached this timeline */
  merged_from: string | null;
  duplicate_entity: boolean;
  superseded: boolean;
  retracted: boolean;
  /** other markers: `withdrawn`, `link_removed`, `from_incident_mismatch` */
  flags: string[];
  source_id: string | null;
  source_reliability: string | null;
  source_registered: boolean | null;
  provenance: unknown;
  data: unknown;
}

export interface SeriesValue extends Triple {
  source_id: string;
  reliability: string;
  /** casualty claim ids, or event ids for munitions/interceptions, in logical order */
  claim_ids: string[];
  last_time: string;
  delta_without_base: boolean;
  via_merge: boolean;
}

export interface SourceDiscrepancyRow {
  scope_kind: 'incident' | 'operation';
  scope_id: string;
  /** `munitions`, `intercepted` or `casualties:<role>/<outcome>/<nationality>` */
  field: string;
  flagged: boolean;
  series: SeriesValue[];
  figure: Triple | null;
  figure_source: FigureSource;
}

export interface RevisionFeedRow {
  time: string;
  event_id: string;
  event_source: string;
  type: string;
  incident_ids: string[];
  operation_ids: string[];
}

export interface ExternalStatRow {
  stat_id: string;
  metric: string;
  low: number | null;
  best: number | null;
  high: number | null;
  qualifier: string;
  raw: string | null;
  period_from: string;
  period_to: string;
  geography: string[];
  issuer: string;
  source_id: string;
  time: string;
  event_id: string;
  provenance: unknown;
}

export interface DocumentRow {
  doc_id: string;
  published_at: string;
  outlet: string | null;
  extracted_claims: { text: string; event_ids: string[] }[];
  source_id: string;
  time: string;
  event_id: string;
}

export interface ReliabilityChange {
  time: string;
  event_id: string;
  via: 'registered' | 'rated';
  reliability: string;
  rationale: string | null;
}

export interface SourceRow {
  source_id: string;
  registered: boolean;
  name: string | null;
  kind: string | null;
  scale: string | null;
  language: string | null;
  /** effective reliability (§5.8): latest registration or rating; F when unregistered */
  reliability: string;
  reliability_history: ReliabilityChange[];
}

export interface ActorRelation {
  from_actor_id: string;
  to_actor_id: string;
  relation: string;
  likelihood: string;
  basis: string;
  source_id: string;
  time: string;
  event_id: string;
}

export interface ActorRow {
  actor_id: string;
  registered: boolean;
  name: string | null;
  actor_type: number | null;
  home_country_iso3: string | null;
  aliases: string[];
  /** relations asserted from this actor */
  relations: ActorRelation[];
  /** relations asserted towards this actor */
  related_from: ActorRelation[];
}

export interface DefensePostureEntry {
  system: string;
  status: string;
  at: unknown;
  source_id: string;
  time: string;
  event_id: string;
}

export interface SiteRow {
  site_id: string;
  registered: boolean;
  names: string[];
  kind: string | null;
  place: unknown;
  country_iso3: string | null;
  admin1: string | null;
  operator_actor_ids: string[];
  defense_posture: DefensePostureEntry[];
}

export interface RejectedEvent {
  source: string;
  id: string;
  type: string;
  time: string;
  code: 'CONFLICTING_DUPLICATE';
  reason: string;
  event: DomainEvent;
}

export interface Projection {
  incident_current: IncidentCurrentRow[];
  operations: OperationRow[];
  attack_counts: AttackCountRow[];
  casualty_tally: CasualtyTallyRow[];
  casualty_tally_by_period: CasualtyTallyPeriodRow[];
  response_graph: ResponseEdgeRow[];
  incident_timeline: TimelineRow[];
  source_discrepancies: SourceDiscrepancyRow[];
  revision_feed: RevisionFeedRow[];
  external_stats: ExternalStatRow[];
  documents: DocumentRow[];
  sources: SourceRow[];
  actors: ActorRow[];
  sites: SiteRow[];
  rejected: RejectedEvent[];
}
