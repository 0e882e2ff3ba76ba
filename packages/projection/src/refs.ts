import type { DomainEvent, Scope, SourceRef } from '@incidents/events';

export type RefKind =
  'source' | 'actor' | 'site' | 'incident' | 'operation' | 'claim' | 'assertion' | 'link';

export interface Ref {
  readonly kind: RefKind;
  readonly id: string;
}

export interface ScopeRef {
  readonly kind: 'incident' | 'operation';
  readonly id: string;
}

export function scopeRef(scope: Scope): ScopeRef {
  const s = scope as { incident_id?: string; operation_id?: string };
  return s.incident_id !== undefined
    ? { kind: 'incident', id: s.incident_id }
    : { kind: 'operation', id: s.operation_id ?? '' };
}

export function scopeKey(scope: ScopeRef): string {
  return `${scope.kind}/${scope.id}`;
}

/** Response side of a link: incidents, or one operation (exactly one is present). */
export function responseIds(data: {
  response_incident_ids?: readonly string[];
  response_operation_id?: string;
}): { incidents: readonly string[]; operation: string | null } {
  return data.response_operation_id !== undefined
    ? { incidents: [], operation: data.response_operation_id }
    : { incidents: data.response_incident_ids ?? [], operation: null };
}

/** The information source of a claim (`data.source`, §3.5), when the event has one. */
export function informationSource(event: DomainEvent): string | null {
  const ref = claimSource(event);
  return ref === undefined ? null : ref.source_id;
}

function claimSource(event: DomainEvent): SourceRef | undefined {
  switch (event.type) {
    case 'SourceRegistered':
    case 'SourceReliabilityRated':
    case 'ActorRegistered':
    case 'SiteRegistered':
    case 'IncidentMerged':
    case 'AttributionWithdrawn':
    case 'CasualtyClaimRetracted':
    case 'CasualtyEstimateAdopted':
    case 'ResponseLinkRemoved':
      return undefined;
    case 'ActorRelationAsserted':
    case 'DefensePostureReported':
    case 'IncidentReported':
    case 'IncidentAmended':
    case 'IncidentRetracted':
    case 'IncidentReinstated':
    case 'MunitionCountReported':
    case 'InterceptionReported':
    case 'DamageReported':
    case 'AttributionAsserted':
    case 'ResponsibilityClaimed':
    case 'ResponsibilityDenied':
    case 'CasualtyClaimReassigned':
    case 'CasualtyReported':
    case 'ResponseLinked':
    case 'ExternalStatisticReported':
    case 'SeedDocumentIngested':
      return event.data.source;
    default:
      return assertNever(event);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled event: ${JSON.stringify(value)}`);
}

/**
 * Every id an event names (§5.2 unresolved references, §6 timeline membership). Incident
 * refs are exactly the fields ending in `incident_id(s)` plus `scope.incident_id`.
 */
export function eventRefs(event: DomainEvent): Ref[] {
  const refs: Ref[] = [];
  const add = (kind: RefKind, id: string | null | undefined) => {
    if (id !== undefined && id !== null) refs.push({ kind, id });
  };
  const addScope = (scope: Scope) => {
    const s = scopeRef(scope);
    add(s.kind, s.id);
  };
  if (event.subject.startsWith('incident/'))
    add('incident', event.subject.slice('incident/'.length));
  add('source', informationSource(event));
  switch (event.type) {
    case 'SourceRegistered':
    case 'SourceReliabilityRated':
      add('source', event.data.source_id);
      break;
    case 'ActorRegistered':
      add('actor', event.data.actor_id);
      break;
    case 'ActorRelationAsserted':
      add('actor', event.data.from_actor_id);
      add('actor', event.data.to_actor_id);
      break;
    case 'SiteRegistered':
      add('site', event.data.site_id);
      for (const a of event.data.operator_actor_ids ?? []) add('actor', a);
      break;
    case 'DefensePostureReported':
      add('site', event.data.site_id);
      break;
    case 'IncidentReported':
      add('incident', event.data.incident_id);
      add('operation', event.data.operation_id);
      add('site', event.data.place.site_id);
      add('site', event.data.target?.site_id);
      add('actor', event.data.target?.target_actor_id);
      break;
    case 'IncidentAmended': {
      const c = event.data.changes;
      add('incident', event.data.incident_id);
      add('operation', c.operation_id);
      add('site', c.place?.site_id);
      add('site', c.target?.site_id);
      add('actor', c.target?.target_actor_id);
      break;
    }
    case 'IncidentMerged':
      add('incident', event.data.incident_id);
      add('incident', event.data.into_incident_id);
      break;
    case 'IncidentRetracted':
    case 'IncidentReinstated':
    case 'MunitionCountReported':
    case 'InterceptionReported':
    case 'DamageReported':
      add('incident', event.data.incident_id);
      break;
    case 'AttributionAsserted':
    case 'ResponsibilityClaimed':
    case 'ResponsibilityDenied':
      add('incident', event.data.incident_id);
      add('actor', event.data.actor_id);
      break;
    case 'AttributionWithdrawn':
      add('incident', event.data.incident_id);
      add('assertion', event.data.assertion_id);
      break;
    case 'CasualtyClaimReassigned':
      add('incident', event.data.from_incident_id);
      add('incident', event.data.to_incident_id);
      add('claim', event.data.claim_id);
      break;
    case 'CasualtyReported':
      addScope(event.data.scope);
      add('actor', event.data.segment.affiliation_actor_id);
      add('claim', event.data.supersedes_claim_id);
      break;
    case 'CasualtyClaimRetracted':
      addScope(event.data.scope);
      add('claim', event.data.claim_id);
      break;
    case 'CasualtyEstimateAdopted':
      addScope(event.data.scope);
      add('actor', event.data.segment.affiliation_actor_id);
      break;
    case 'ResponseLinked': {
      for (const id of event.data.trigger_incident_ids) add('incident', id);
      const r = responseIds(event.data);
      for (const id of r.incidents) add('incident', id);
      add('operation', r.operation);
      break;
    }
    case 'ResponseLinkRemoved':
      add('link', event.data.link_id);
      break;
    case 'ExternalStatisticReported':
    case 'SeedDocumentIngested':
      break;
    default:
      return assertNever(event);
  }
  return dedupeRefs(refs);
}

function dedupeRefs(refs: Ref[]): Ref[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.kind}/${r.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
