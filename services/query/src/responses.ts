import { z } from 'zod';
import { INCIDENT_STATUSES } from './params.js';

/**
 * Response bodies as strict zod schemas. They feed the OpenAPI document, and the tests
 * validate real answers against that document: a field added, renamed or mistyped in a
 * handler fails there.
 */

const int = z.number().int();
const nint = int.nullable();
const num = z.number().nullable();
const str = z.string();
const nstr = z.string().nullable();
const bool = z.boolean();
const json = z.unknown();

const meta = {
  as_of: nstr.describe('The asOf instant the answer was computed for (UTC, microseconds); null = current state.'),
  stale: bool.describe('true when the position token was not reached within the wait: the answer may miss your writes.'),
};

const Status = z.enum(INCIDENT_STATUSES);

export const Triple = z.strictObject({ low: nint, best: nint, high: nint });

export const CountFigure = z
  .strictObject({ low: nint, best: nint, high: nint, incomplete: bool, source_count: int, via_merge: bool })
  .nullable()
  .describe('Default figure (§5.5); null = unknown (no claim with a number).');

export const Series = z.strictObject({
  source_id: str,
  reliability: str,
  low: nint,
  best: nint,
  high: nint,
  claim_ids: z.array(str),
  last_time: str,
  delta_without_base: bool,
  via_merge: bool,
});

export const IncidentSummary = z.strictObject({
  incident_id: str,
  href: str,
  status: Status,
  merged_into: nstr,
  counted: bool,
  kind: nstr,
  method: nstr,
  operation_id: nstr,
  local_date: nstr,
  time_precision: nstr,
  time_start: nstr,
  time_end: nstr,
  time_tz: nstr,
  place_precision: nstr,
  site_id: nstr,
  place_name: nstr,
  country_iso3: nstr,
  admin1: nstr,
  lat: num,
  lon: num,
  munitions: CountFigure,
  intercepted: CountFigure,
  top_perpetrator: nstr,
  top_perpetrator_likelihood: nstr,
  has_casualties: bool,
  has_discrepancy: bool,
  reported_at: nstr,
});

export const IncidentList = z.strictObject({
  ...meta,
  items: z.array(IncidentSummary),
  next_cursor: nstr.describe('Pass as cursor for the next page; null on the last page.'),
  limit: int,
});

const IncidentDetailFields = IncidentSummary.extend({
  merge_loop: bool,
  reported_by: nstr,
  report_event_id: nstr,
  amendment_count: int,
  duplicate_report_count: int,
  platform: nstr,
  target: z.strictObject({ site_id: nstr, facility: nstr, target_actor_id: nstr }).nullable(),
  acled: z.strictObject({ event_type: str, sub_event_type: str }).nullable(),
  cameo_code: nstr,
  site_registered: bool.nullable(),
  admin2: nstr,
  admin3: nstr,
  radius_km: num,
  unresolved: z.array(str),
});

export const CasualtyFigure = z.strictObject({
  role: str,
  outcome: str,
  nationality: nstr.describe('ISO3; null when unknown'),
  side: nstr,
  affiliation_actor_id: nstr,
  low: nint,
  best: nint,
  high: nint,
  source: z.enum(['adopted', 'default']),
  covered: bool,
  covered_by_operation: bool,
  delta_without_base: bool,
  vague_source: bool,
  incomplete: bool,
  via_merge: bool,
  claim_ids: z.array(str),
  adoption_event_id: nstr,
  adoption_policy: nstr,
  claims: z.array(Series).describe("Each source's current series value behind the figure."),
});

export const ResponseEdge = z.strictObject({
  link_id: str,
  trigger: z.strictObject({ incident_id: str, status: str }),
  response: z.strictObject({ kind: z.enum(['incident', 'operation']), id: str, status: str }),
  basis: str,
  likelihood: str,
  lag_minutes: nint,
  as_stated: nstr,
  also_cites: nstr,
  source_id: str,
  linked_at: str,
  via_merge: bool,
  component_id: str,
});

export const Discrepancy = z.strictObject({
  scope_kind: z.enum(['incident', 'operation']),
  scope_id: str,
  field: str,
  flagged: bool,
  figure: Triple.nullable(),
  figure_source: str,
  series: z.array(Series),
});

export const TimelineEntry = z.strictObject({
  time: str,
  event_id: str,
  event_source: str,
  type: str,
  subject: str,
  via_merge: bool,
  merged_from: nstr,
  duplicate_entity: bool,
  superseded: bool,
  retracted: bool,
  flags: z.array(str),
  source_id: nstr,
  source_reliability: nstr,
  source_registered: bool.nullable(),
  provenance: json,
  data: json,
});

export const IncidentDetail = z.strictObject({
  ...meta,
  incident: IncidentDetailFields,
  merged_into: z
    .strictObject({ incident_id: str, href: str })
    .nullable()
    .describe('For a merged incident: the incident it was merged into (final survivor).'),
  munitions: z.strictObject({ figure: CountFigure, claims: z.array(Series) }),
  intercepted: z.strictObject({ figure: CountFigure, claims: z.array(Series) }),
  casualties: z.array(CasualtyFigure),
  operation: z
    .strictObject({
      operation_id: str,
      member_incident_ids: z.array(str),
      counted: bool,
      start: nstr,
      anchor_incident_id: nstr,
      casualties: z.array(CasualtyFigure),
      has_discrepancy: bool,
    })
    .nullable(),
  damage: z.array(
    z.strictObject({
      object: str,
      extent: str,
      distance_from_target_km: num,
      source_id: str,
      event_id: str,
      time: str,
      via_merge: bool,
    }),
  ),
  attribution: z.strictObject({
    top_perpetrator: z.strictObject({ actor_id: str, likelihood: str }).nullable(),
    materiel_origin: z.strictObject({ actor_id: str, likelihood: str }).nullable(),
    assertions: z.array(
      z.strictObject({
        assertion_id: str,
        actor_id: str,
        role: str,
        likelihood: str,
        basis: str,
        source_id: str,
        as_stated: nstr,
        time: str,
        via_merge: bool,
      }),
    ),
    claimed_by: z.array(str),
    denied_by: z.array(str),
  }),
  responses: z.strictObject({
    triggered: z.array(ResponseEdge).describe('Responses this incident triggered.'),
    answered: z.array(ResponseEdge).describe('Attacks this incident (or its operation) answered.'),
  }),
  discrepancies: z.array(Discrepancy).describe('Flagged fields of the incident and of its operation.'),
  timeline: z.array(TimelineEntry),
});

const attackNumbers = {
  incidents: int,
  munitions: z.strictObject({ low: int, best: int, high: int, unknown: int.describe('incidents without a munitions figure') }),
  intercepted: int,
  incidents_with_casualties: int,
};

export const AttackStats = z.strictObject({
  ...meta,
  grain: z.enum(['day', 'week', 'month']).nullable(),
  group_by: z.array(str),
  from: nstr,
  to: nstr,
  rows: z.array(
    z.strictObject({
      period: str.optional(),
      country: str.optional(),
      admin1: str.optional(),
      site: str.optional(),
      kind: str.optional(),
      method: str.optional(),
      perpetrator: nstr.optional(),
      perpetrator_likelihood: nstr.optional(),
      ...attackNumbers,
      imprecise: int.describe('incidents of this row missing from the day series'),
    }),
  ),
  totals: z.strictObject(attackNumbers),
  not_in_series: z
    .strictObject({
      incidents: int,
      by_precision: z.record(str, int),
      incident_ids: z.array(str).describe('the first 100 of them in code-point order'),
      incident_ids_complete: bool.describe('incident_ids lists all of them'),
      incidents_url: str.describe('the incident list (`notInSeries` filter) that pages through all of them'),
    })
    .describe('Counted incidents matching the filters whose time or place precision is too coarse for the rows (§5.4): counted here, never dropped.'),
});

export const CasualtyStats = z.strictObject({
  ...meta,
  scope: z.enum(['overall', 'incident', 'operation']),
  grain: z.enum(['day', 'week', 'month']).nullable(),
  group_by: z.array(str),
  rows: z.array(
    z.strictObject({
      period: str.optional(),
      incident_id: str.optional(),
      operation_id: str.optional(),
      side: nstr.optional(),
      affiliation: nstr.optional(),
      nationality: nstr.optional(),
      role: str.optional(),
      outcome: str.optional(),
      low: int,
      best: int,
      high: int,
      incomplete: bool.describe('a summed figure had a null component or a vague source'),
      source: z.enum(['adopted', 'default', 'sum']).describe('adopted or default: the row is one figure of that kind; sum: several figures added up'),
      figure_count: int,
    }),
  ),
});

export const ResponseList = z.strictObject({
  ...meta,
  items: z.array(ResponseEdge),
  next_cursor: nstr,
  limit: int,
});

export const ExternalStatList = z.strictObject({
  ...meta,
  note: str,
  items: z.array(
    z.strictObject({
      stat_id: str,
      metric: str,
      value: z.strictObject({ low: nint, best: nint, high: nint, qualifier: str, raw: nstr }),
      period: z.strictObject({ from: str, to: str }),
      geography: z.array(str),
      issuer: str,
      source_id: str,
      time: str,
      event_id: str,
      provenance: json,
    }),
  ),
});

export const SourceList = z.strictObject({
  ...meta,
  items: z.array(
    z.strictObject({
      source_id: str,
      registered: bool,
      name: nstr,
      kind: nstr,
      scale: nstr,
      language: nstr,
      reliability: str,
      reliability_history: z.array(json),
    }),
  ),
});

export const ActorList = z.strictObject({
  ...meta,
  items: z.array(
    z.strictObject({
      actor_id: str,
      registered: bool,
      name: nstr,
      actor_type: nint,
      home_country_iso3: nstr,
      aliases: z.array(str),
      relations: z.array(json),
      related_from: z.array(json),
    }),
  ),
});

export const SiteList = z.strictObject({
  ...meta,
  items: z.array(
    z.strictObject({
      site_id: str,
      registered: bool,
      names: z.array(str),
      kind: nstr,
      place: json,
      country_iso3: nstr,
      admin1: nstr,
      operator_actor_ids: z.array(str),
      defense_posture: z.array(json),
    }),
  ),
});

export const ChangeList = z.strictObject({
  ...meta,
  items: z.array(
    z.strictObject({
      change: z.enum(['new', 'amended', 'merged', 'retracted', 'reinstated', 'updated', 'reference']),
      type: str,
      time: str.describe('the event time (upstream transaction time)'),
      recorded_at: str.describe('when this service stored the event'),
      event_id: str,
      event_source: str,
      incident_ids: z.array(str),
      operation_ids: z.array(str),
    }),
  ),
  next_cursor: str.describe('Pass as cursor to get only what changed after this answer.'),
});

export const ProjectionList = z.strictObject({
  kafka: z.enum(['ok', 'unreachable', 'not_configured']),
  serving: str.describe('the projection version whose tables answer reads'),
  projections: z.array(
    z.strictObject({
      projection: str,
      schema: str,
      state: z.enum(['serving', 'building', 'retired', 'scratch', 'idle']).describe('blue/green state; idle = the base schema while another version serves'),
      events_applied: nint,
      updated_at: nstr,
      dead_letters: int,
      lag_events: nint,
      lag_seconds: num,
      partitions: z.array(
        z.strictObject({
          topic: str,
          partition: int,
          next_offset: str.describe('next offset the read models reflect'),
          stored_offset: str.describe('next offset whose event is stored (may run ahead while a recomputation is pending)'),
          log_end: nstr,
          lag_events: nint,
          lag_seconds: num.describe('0 when caught up; else seconds since the partition last advanced (an upper bound of the wait)'),
          last_event_time: nstr,
          updated_at: nstr,
        }),
      ),
    }),
  ),
});
