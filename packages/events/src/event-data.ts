import { z } from 'zod';
import {
  CalendarDate,
  EventId,
  Iso3,
  Lang,
  Name,
  Note,
  PubTime,
  Quote,
  Short,
  Slug,
  issue,
  onceValid,
  report,
  uniqueArray,
} from './primitives.js';
import {
  Basis,
  Count,
  Likelihood,
  PlaceSpec,
  Provenance,
  Reliability,
  Scope,
  Segment,
  SitePlace,
  SourceRef,
  TimeSpec,
} from './value-objects.js';

/** A `data` object: the given fields plus the optional `provenance` every event may carry. */
function eventData<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject({ ...shape, provenance: Provenance.optional() });
}

function atLeastOneKey(value: object): boolean {
  return Object.values(value).some((v) => v !== undefined);
}

// Reference data

export const SourceKind = z.enum([
  'official_gov',
  'military',
  'monitor_ngo',
  'wire',
  'national_media',
  'local_media',
  'partisan_media',
  'armed_group_channel',
  'social',
  'seed_document',
]);
export type SourceKind = z.infer<typeof SourceKind>;

const SCALES = [
  'Local partner',
  'Local',
  'Subnational',
  'National',
  'Regional',
  'International',
  'New media',
  'Other',
];

/** ACLED `source_scale`: one or more scales joined by `-`, e.g. `Local partner-International`. */
export const SourceScale = z.string().refine(
  (s) => {
    const parts = s.split('-');
    return parts.every((p) => SCALES.includes(p)) && new Set(parts).size === parts.length;
  },
  issue(
    'invalid_value',
    `must be one or more of ${SCALES.join(', ')} joined by -, without repeats`,
  ),
);
export type SourceScale = z.infer<typeof SourceScale>;

export const SourceRegistered = eventData({
  source_id: Slug,
  name: Name,
  kind: SourceKind,
  scale: SourceScale,
  reliability: Reliability,
  language: Lang.optional(),
});
export type SourceRegistered = z.infer<typeof SourceRegistered>;

export const SourceReliabilityRated = eventData({
  source_id: Slug,
  reliability: Reliability,
  rationale: Note.optional(),
});
export type SourceReliabilityRated = z.infer<typeof SourceReliabilityRated>;

export const ActorRegistered = eventData({
  actor_id: Slug,
  name: Name,
  actor_type: z.int().min(1).max(8),
  home_country_iso3: Iso3.optional(),
  aliases: uniqueArray(Name, 1, 50).optional(),
});
export type ActorRegistered = z.infer<typeof ActorRegistered>;

export const ActorRelation = z.enum(['facade_of', 'wing_of', 'sponsored_by', 'affiliated_with']);
export type ActorRelation = z.infer<typeof ActorRelation>;

export const ActorRelationAsserted = eventData({
  from_actor_id: Slug,
  to_actor_id: Slug,
  relation: ActorRelation,
  likelihood: Likelihood,
  basis: Basis,
  source: SourceRef,
});
export type ActorRelationAsserted = z.infer<typeof ActorRelationAsserted>;

export const SiteKind = z.enum(['base', 'mission_support_site', 'city_district', 'field', 'other']);
export type SiteKind = z.infer<typeof SiteKind>;

export const SiteRegistered = eventData({
  site_id: Slug,
  names: uniqueArray(Name, 1, 20),
  kind: SiteKind,
  place: SitePlace,
  operator_actor_ids: uniqueArray(Slug, 1, 20).optional(),
});
export type SiteRegistered = z.infer<typeof SiteRegistered>;

export const DefenseStatus = z.enum(['operational', 'degraded', 'not_fully_operational']);
export type DefenseStatus = z.infer<typeof DefenseStatus>;

export const DefensePostureReported = eventData({
  site_id: Slug,
  system: Name,
  status: DefenseStatus,
  at: TimeSpec,
  source: SourceRef,
});
export type DefensePostureReported = z.infer<typeof DefensePostureReported>;

// Incidents

export const IncidentKind = z.enum(['attack', 'response_strike', 'interception', 'other']);
export type IncidentKind = z.infer<typeof IncidentKind>;

export const Method = z.enum([
  'rocket',
  'mortar',
  'one_way_uav',
  'armed_uav',
  'ballistic_missile',
  'cruise_missile',
  'ied',
  'small_arms',
  'airstrike_fixed_wing',
  'rotary_wing',
  'artillery',
  'unknown',
]);
export type Method = z.infer<typeof Method>;

/** What was aimed at; at least one key. */
export const Target = z
  .strictObject({
    site_id: Slug.optional(),
    facility: Name.optional(),
    target_actor_id: Slug.optional(),
  })
  .refine(atLeastOneKey, {
    ...issue('at_least_one', 'needs at least one of site_id, facility, target_actor_id'),
    ...onceValid(),
  });
export type Target = z.infer<typeof Target>;

/** ACLED event classification. */
export const Acled = z.strictObject({
  event_type: z.enum([
    'Battles',
    'Explosions/Remote violence',
    'Violence against civilians',
    'Protests',
    'Riots',
    'Strategic developments',
  ]),
  sub_event_type: Short,
});
export type Acled = z.infer<typeof Acled>;

export const CameoCode = z
  .string()
  .regex(/^[0-9]{2,4}$/, issue('invalid_format', 'must be 2 to 4 digits'));
export type CameoCode = z.infer<typeof CameoCode>;

export const IncidentReported = eventData({
  incident_id: Slug,
  kind: IncidentKind,
  operation_id: Slug.optional(),
  time: TimeSpec,
  place: PlaceSpec,
  method: Method,
  platform: Name.optional(),
  target: Target.optional(),
  munitions: Count.optional(),
  acled: Acled.optional(),
  cameo_code: CameoCode.optional(),
  source: SourceRef,
});
export type IncidentReported = z.infer<typeof IncidentReported>;

/** Each key replaces the whole field; `null` removes an optional field. */
export const IncidentChanges = z
  .strictObject({
    kind: IncidentKind.optional(),
    operation_id: Slug.nullable().optional(),
    time: TimeSpec.optional(),
    place: PlaceSpec.optional(),
    method: Method.optional(),
    platform: Name.nullable().optional(),
    target: Target.nullable().optional(),
    acled: Acled.nullable().optional(),
    cameo_code: CameoCode.nullable().optional(),
  })
  .refine(atLeastOneKey, { ...issue('at_least_one', 'needs at least one change'), ...onceValid() });
export type IncidentChanges = z.infer<typeof IncidentChanges>;

export const IncidentAmended = eventData({
  incident_id: Slug,
  changes: IncidentChanges,
  reason: Note,
  source: SourceRef,
});
export type IncidentAmended = z.infer<typeof IncidentAmended>;

export const IncidentMerged = eventData({
  incident_id: Slug,
  into_incident_id: Slug,
  reason: z.literal('duplicate_report'),
}).refine((d) => d.into_incident_id !== d.incident_id, {
  path: ['into_incident_id'],
  ...issue('self_reference', 'an incident cannot be merged into itself'),
  ...onceValid('incident_id', 'into_incident_id'),
});
export type IncidentMerged = z.infer<typeof IncidentMerged>;

export const IncidentRetracted = eventData({
  incident_id: Slug,
  reason: z.enum(['did_not_occur', 'out_of_scope', 'misdated', 'duplicate']),
  source: SourceRef.optional(),
});
export type IncidentRetracted = z.infer<typeof IncidentRetracted>;

export const IncidentReinstated = eventData({
  incident_id: Slug,
  reason: Note,
  source: SourceRef.optional(),
});
export type IncidentReinstated = z.infer<typeof IncidentReinstated>;

export const MunitionCountReported = eventData({
  incident_id: Slug,
  munitions: Count,
  source: SourceRef,
});
export type MunitionCountReported = z.infer<typeof MunitionCountReported>;

export const InterceptionReported = eventData({
  incident_id: Slug,
  intercepted: Count,
  system: Name.optional(),
  source: SourceRef,
});
export type InterceptionReported = z.infer<typeof InterceptionReported>;

export const DamageReported = eventData({
  incident_id: Slug,
  object: z.enum(['facility', 'civilian_house', 'vehicle', 'aircraft', 'other']),
  extent: z.enum(['none', 'minor', 'significant', 'destroyed']),
  distance_from_target_km: z.number().min(0).max(20000).optional(),
  source: SourceRef,
});
export type DamageReported = z.infer<typeof DamageReported>;

export const AttributionRole = z.enum(['perpetrator', 'operator', 'sponsor', 'materiel_origin']);
export type AttributionRole = z.infer<typeof AttributionRole>;

export const AttributionAsserted = eventData({
  assertion_id: Slug,
  incident_id: Slug,
  actor_id: Slug,
  role: AttributionRole,
  basis: Basis,
  likelihood: Likelihood,
  as_stated: Quote.optional(),
  source: SourceRef,
});
export type AttributionAsserted = z.infer<typeof AttributionAsserted>;

export const AttributionWithdrawn = eventData({
  assertion_id: Slug,
  incident_id: Slug,
  reason: Note,
});
export type AttributionWithdrawn = z.infer<typeof AttributionWithdrawn>;

export const ResponsibilityClaimed = eventData({
  incident_id: Slug,
  actor_id: Slug,
  channel: Short.optional(),
  claimed_target_name: Name.optional(),
  claimed_effects: Quote.optional(),
  stated_motive: Quote.optional(),
  source: SourceRef,
});
export type ResponsibilityClaimed = z.infer<typeof ResponsibilityClaimed>;

export const ResponsibilityDenied = eventData({
  incident_id: Slug,
  actor_id: Slug,
  channel: Short.optional(),
  source: SourceRef,
});
export type ResponsibilityDenied = z.infer<typeof ResponsibilityDenied>;

export const CasualtyClaimReassigned = eventData({
  claim_id: Slug,
  from_incident_id: Slug,
  to_incident_id: Slug,
  source: SourceRef.optional(),
});
export type CasualtyClaimReassigned = z.infer<typeof CasualtyClaimReassigned>;

// Casualties

export const CasualtyReported = eventData({
  claim_id: Slug,
  scope: Scope,
  segment: Segment,
  count: Count,
  mode: z.enum(['total', 'delta']),
  supersedes_claim_id: Slug.optional(),
  diagnosed_at: CalendarDate.optional(),
  source: SourceRef,
})
  .superRefine((d, ctx) => {
    if (d.supersedes_claim_id !== undefined && d.mode !== 'total') {
      report(ctx, ['supersedes_claim_id'], 'not_allowed', 'only a total can supersede');
    }
  }, onceValid('mode'))
  .superRefine(
    (d, ctx) => {
      if (d.supersedes_claim_id === d.claim_id) {
        report(ctx, ['supersedes_claim_id'], 'self_reference', 'a claim cannot supersede itself');
      }
    },
    onceValid('claim_id', 'supersedes_claim_id'),
  );
export type CasualtyReported = z.infer<typeof CasualtyReported>;

export const CasualtyClaimRetracted = eventData({
  claim_id: Slug,
  scope: Scope,
  reason: Note,
});
export type CasualtyClaimRetracted = z.infer<typeof CasualtyClaimRetracted>;

export const EstimatePolicy = z.enum([
  'acled_conservative',
  'ucdp_best',
  'corroborated_min2',
  'editorial',
]);
export type EstimatePolicy = z.infer<typeof EstimatePolicy>;

/** An editorial figure: `count.low`, `best` and `high` must all be numbers. */
export const CasualtyEstimateAdopted = eventData({
  scope: Scope,
  segment: Segment,
  count: Count,
  policy: EstimatePolicy,
  claim_ids: uniqueArray(Slug, 1, 200).optional(),
  rationale: Note.optional(),
  ambiguity: Note.optional(),
}).superRefine((d, ctx) => {
  for (const key of ['low', 'best', 'high'] as const) {
    if (d.count[key] === null) {
      report(ctx, ['count', key], 'not_null', 'an adopted estimate needs low, best and high');
    }
  }
}, onceValid('count'));
export type CasualtyEstimateAdopted = z.infer<typeof CasualtyEstimateAdopted>;

// Responses

type ResponseShape =
  | { response_incident_ids: string[]; response_operation_id?: never }
  | { response_operation_id: string; response_incident_ids?: never };

/** Exactly one of `response_incident_ids` and `response_operation_id`. */
export const ResponseLinked = eventData({
  link_id: Slug,
  response_incident_ids: uniqueArray(Slug, 1, 50).optional(),
  response_operation_id: Slug.optional(),
  trigger_incident_ids: uniqueArray(Slug, 1, 50),
  also_cites: Quote.optional(),
  basis: Basis,
  likelihood: Likelihood,
  as_stated: Quote.optional(),
  source: SourceRef,
}).refine(
  (d): d is typeof d & ResponseShape =>
    (d.response_incident_ids === undefined) !== (d.response_operation_id === undefined),
  {
    ...issue('exactly_one', 'needs exactly one of response_incident_ids and response_operation_id'),
    ...onceValid(),
  },
);
export type ResponseLinked = z.infer<typeof ResponseLinked>;

export const ResponseLinkRemoved = eventData({
  link_id: Slug,
  reason: Note,
});
export type ResponseLinkRemoved = z.infer<typeof ResponseLinkRemoved>;

// Context

/** A closed range of calendar dates, `from ≤ to`. */
export const DatePeriod = z
  .strictObject({ from: CalendarDate, to: CalendarDate })
  .refine((p) => p.from <= p.to, {
    path: ['to'],
    ...issue('out_of_order', 'to must not precede from'),
    ...onceValid('from', 'to'),
  });
export type DatePeriod = z.infer<typeof DatePeriod>;

export const ExternalStatisticReported = eventData({
  stat_id: Slug,
  metric: Slug,
  value: Count,
  period: DatePeriod,
  geography: uniqueArray(Iso3, 1, 50),
  issuer: Name,
  source: SourceRef,
});
export type ExternalStatisticReported = z.infer<typeof ExternalStatisticReported>;

export const ExtractedClaim = z.strictObject({
  text: Quote,
  event_ids: uniqueArray(EventId, 1, 50),
});
export type ExtractedClaim = z.infer<typeof ExtractedClaim>;

export const SeedDocumentIngested = eventData({
  doc_id: Slug,
  published_at: PubTime,
  outlet: Name.optional(),
  extracted_claims: uniqueArray(ExtractedClaim, 1, 200),
  source: SourceRef,
});
export type SeedDocumentIngested = z.infer<typeof SeedDocumentIngested>;

/** Every event type of the v1 contract (events.md §4), in catalog order. */
export const EVENT_TYPES = [
  'SourceRegistered',
  'SourceReliabilityRated',
  'ActorRegistered',
  'ActorRelationAsserted',
  'SiteRegistered',
  'DefensePostureReported',
  'IncidentReported',
  'IncidentAmended',
  'IncidentMerged',
  'IncidentRetracted',
  'IncidentReinstated',
  'MunitionCountReported',
  'InterceptionReported',
  'DamageReported',
  'AttributionAsserted',
  'AttributionWithdrawn',
  'ResponsibilityClaimed',
  'ResponsibilityDenied',
  'CasualtyClaimReassigned',
  'CasualtyReported',
  'CasualtyClaimRetracted',
  'CasualtyEstimateAdopted',
  'ResponseLinked',
  'ResponseLinkRemoved',
  'ExternalStatisticReported',
  'SeedDocumentIngested',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The `data` schema of each event type. */
export const EVENT_DATA_SCHEMAS = {
  SourceRegistered,
  SourceReliabilityRated,
  ActorRegistered,
  ActorRelationAsserted,
  SiteRegistered,
  DefensePostureReported,
  IncidentReported,
  IncidentAmended,
  IncidentMerged,
  IncidentRetracted,
  IncidentReinstated,
  MunitionCountReported,
  InterceptionReported,
  DamageReported,
  AttributionAsserted,
  AttributionWithdrawn,
  ResponsibilityClaimed,
  ResponsibilityDenied,
  CasualtyClaimReassigned,
  CasualtyReported,
  CasualtyClaimRetracted,
  CasualtyEstimateAdopted,
  ResponseLinked,
  ResponseLinkRemoved,
  ExternalStatisticReported,
  SeedDocumentIngested,
} as const satisfies { readonly [T in EventType]: z.ZodType };

/** The `data` payload of event type `T`. */
export type DataOf<T extends EventType> = z.infer<(typeof EVENT_DATA_SCHEMAS)[T]>;

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

/** True when `type` is an event type of the v1 contract. */
export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && EVENT_TYPE_SET.has(type);
}
