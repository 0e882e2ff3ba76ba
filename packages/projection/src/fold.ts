import type {
  ActorRegistered,
  ActorRelationAsserted,
  AttributionAsserted,
  CasualtyClaimReassigned,
  CasualtyEstimateAdopted,
  CasualtyReported,
  Count,
  DamageReported,
  DefensePostureReported,
  ExternalStatisticReported,
  IncidentAmended,
  IncidentReported,
  ResponseLinked,
  SeedDocumentIngested,
  SiteRegistered,
  SourceRegistered,
} from '@incidents/events';
import { assertNever, eventRefs, scopeKey, scopeRef, type Ref } from './refs.js';
import type { Applied } from './select.js';
import { segmentKey } from './segments.js';

/**
 * The fold: events in logical order are recorded into indexes keyed by id. "First wins"
 * (entity creation) and "latest wins" (registrations, lifecycle, adoptions) fall out of the
 * order; everything that depends on several events (merges, supersession, figures) is
 * derived afterwards from these indexes, so a rule never depends on which of two related
 * events came first in the input. The accumulator is private to one `project` call and is
 * mutated in place to keep the fold linear.
 */

export interface Recorded<D> {
  readonly ev: Applied;
  readonly data: D;
}

export interface SourceRecord {
  registration: Recorded<SourceRegistered> | null;
  /** registrations and ratings, in logical order */
  reliability: {
    ev: Applied;
    via: 'registered' | 'rated';
    reliability: string;
    rationale: string | null;
  }[];
}

export interface ActorRecord {
  registration: Recorded<ActorRegistered> | null;
  relations: Recorded<ActorRelationAsserted>[];
}

export interface SiteRecord {
  registration: Recorded<SiteRegistered> | null;
  posture: Recorded<DefensePostureReported>[];
}

export type LifecycleKind = 'merged' | 'retracted' | 'reinstated';

export interface IncidentRecord {
  readonly id: string;
  report: Recorded<IncidentReported> | null;
  duplicateReports: number;
  amendments: Recorded<IncidentAmended>[];
  /** latest lifecycle event in logical order */
  lifecycle: { ev: Applied; kind: LifecycleKind; into: string | null } | null;
  /** every incident this one was ever declared merged into */
  mergeTargets: string[];
  /** seqs of the events naming this incident (its own timeline) */
  events: number[];
}

/** A munitions or interception claim: always a total for the incident (§5.5). */
export interface CountClaim {
  readonly incident: string;
  readonly sourceId: string;
  readonly count: Count;
  readonly ev: Applied;
}

export interface State {
  readonly events: Applied[];
  /** refs of each applied event, by seq */
  readonly refs: Ref[][];
  readonly duplicates: Set<number>;
  readonly sources: Map<string, SourceRecord>;
  readonly actors: Map<string, ActorRecord>;
  readonly sites: Map<string, SiteRecord>;
  readonly incidents: Map<string, IncidentRecord>;
  readonly operations: Set<string>;
  readonly claims: Map<string, Recorded<CasualtyReported>>;
  /** claim id → ids of (non-duplicate) claims naming it in `supersedes_claim_id` */
  readonly supersedersOf: Map<string, string[]>;
  readonly claimRetractions: Map<string, Applied[]>;
  readonly reassignments: Map<string, Recorded<CasualtyClaimReassigned>[]>;
  /** `<scope>|<segment key>` → latest adoption */
  readonly adoptions: Map<string, Recorded<CasualtyEstimateAdopted>>;
  readonly munitions: CountClaim[];
  readonly interceptions: CountClaim[];
  readonly damage: Recorded<DamageReported>[];
  readonly assertions: Map<string, Recorded<AttributionAsserted>>;
  readonly withdrawals: Map<string, Applied[]>;
  readonly responsibility: {
    ev: Applied;
    incident: string;
    actor: string;
    kind: 'claimed' | 'denied';
  }[];
  readonly links: Map<string, Recorded<ResponseLinked>>;
  readonly linkRemovals: Map<string, Applied[]>;
  readonly stats: Map<string, Recorded<ExternalStatisticReported>>;
  readonly docs: Map<string, Recorded<SeedDocumentIngested>>;
}

export function emptyState(): State {
  return {
    events: [],
    refs: [],
    duplicates: new Set(),
    sources: new Map(),
    actors: new Map(),
    sites: new Map(),
    incidents: new Map(),
    operations: new Set(),
    claims: new Map(),
    supersedersOf: new Map(),
    claimRetractions: new Map(),
    reassignments: new Map(),
    adoptions: new Map(),
    munitions: [],
    interceptions: [],
    damage: [],
    assertions: new Map(),
    withdrawals: new Map(),
    responsibility: [],
    links: new Map(),
    linkRemovals: new Map(),
    stats: new Map(),
    docs: new Map(),
  };
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  getOrCreate(map, key, () => [] as V[]).push(value);
}

function incidentRecord(s: State, id: string): IncidentRecord {
  return getOrCreate(s.incidents, id, () => ({
    id,
    report: null,
    duplicateReports: 0,
    amendments: [],
    lifecycle: null,
    mergeTargets: [],
    events: [],
  }));
}

function sourceRecord(s: State, id: string): SourceRecord {
  return getOrCreate(s.sources, id, () => ({ registration: null, reliability: [] }));
}
function actorRecord(s: State, id: string): ActorRecord {
  return getOrCreate(s.actors, id, () => ({ registration: null, relations: [] }));
}
function siteRecord(s: State, id: string): SiteRecord {
  return getOrCreate(s.sites, id, () => ({ registration: null, posture: [] }));
}

/** Makes a source, actor or site known without any event (a reference from elsewhere). */
export function knowReference(s: State, kind: 'source' | 'actor' | 'site', id: string): void {
  if (kind === 'source') sourceRecord(s, id);
  else if (kind === 'actor') actorRecord(s, id);
  else siteRecord(s, id);
}

/** Makes every referenced entity known (§5.2: a reference is never dropped). */
function recordRefs(s: State, ev: Applied, refs: readonly Ref[]): void {
  for (const ref of refs) {
    switch (ref.kind) {
      case 'source':
        sourceRecord(s, ref.id);
        break;
      case 'actor':
        actorRecord(s, ref.id);
        break;
      case 'site':
        siteRecord(s, ref.id);
        break;
      case 'incident':
        incidentRecord(s, ref.id).events.push(ev.seq);
        break;
      case 'operation':
        s.operations.add(ref.id);
        break;
      case 'claim':
      case 'assertion':
      case 'link':
        break;
      default:
        assertNever(ref.kind);
    }
  }
}

/**
 * A second creation of an entity (§5.2): the first in logical order wins, the later one
 * contributes nothing and only shows in the timeline.
 */
function isDuplicate(s: State, ev: Applied): boolean {
  const e = ev.event;
  switch (e.type) {
    case 'IncidentReported':
      return s.incidents.get(e.data.incident_id)?.report != null;
    case 'CasualtyReported':
      return s.claims.has(e.data.claim_id);
    case 'AttributionAsserted':
      return s.assertions.has(e.data.assertion_id);
    case 'ResponseLinked':
      return s.links.has(e.data.link_id);
    case 'ExternalStatisticReported':
      return s.stats.has(e.data.stat_id);
    case 'SeedDocumentIngested':
      return s.docs.has(e.data.doc_id);
    case 'SourceRegistered':
    case 'SourceReliabilityRated':
    case 'ActorRegistered':
    case 'ActorRelationAsserted':
    case 'SiteRegistered':
    case 'DefensePostureReported':
    case 'IncidentAmended':
    case 'IncidentMerged':
    case 'IncidentRetracted':
    case 'IncidentReinstated':
    case 'MunitionCountReported':
    case 'InterceptionReported':
    case 'DamageReported':
    case 'AttributionWithdrawn':
    case 'ResponsibilityClaimed':
    case 'ResponsibilityDenied':
    case 'CasualtyClaimReassigned':
    case 'CasualtyClaimRetracted':
    case 'CasualtyEstimateAdopted':
    case 'ResponseLinkRemoved':
      return false;
    default:
      return assertNever(e);
  }
}

/** Records one event; events must arrive in logical order. */
export function evolve(s: State, ev: Applied): void {
  s.events.push(ev);
  if (isDuplicate(s, ev)) {
    const named = eventRefs(ev.event).filter((r) => r.kind === 'incident');
    s.refs.push(named);
    s.duplicates.add(ev.seq);
    recordRefs(s, ev, named);
    if (ev.event.type === 'IncidentReported')
      incidentRecord(s, ev.event.data.incident_id).duplicateReports++;
    return;
  }
  const refs = eventRefs(ev.event);
  s.refs.push(refs);
  recordRefs(s, ev, refs);
  const e = ev.event;
  switch (e.type) {
    // reference data: a re-sent registration replaces the earlier one (§5.2)
    case 'SourceRegistered': {
      const src = sourceRecord(s, e.data.source_id);
      src.registration = { ev, data: e.data };
      src.reliability.push({
        ev,
        via: 'registered',
        reliability: e.data.reliability,
        rationale: null,
      });
      return;
    }
    case 'SourceReliabilityRated':
      sourceRecord(s, e.data.source_id).reliability.push({
        ev,
        via: 'rated',
        reliability: e.data.reliability,
        rationale: e.data.rationale ?? null,
      });
      return;
    case 'ActorRegistered':
      actorRecord(s, e.data.actor_id).registration = { ev, data: e.data };
      return;
    case 'ActorRelationAsserted':
      actorRecord(s, e.data.from_actor_id).relations.push({ ev, data: e.data });
      return;
    case 'SiteRegistered':
      siteRecord(s, e.data.site_id).registration = { ev, data: e.data };
      return;
    case 'DefensePostureReported':
      siteRecord(s, e.data.site_id).posture.push({ ev, data: e.data });
      return;

    // incident lifecycle
    case 'IncidentReported': {
      const inc = incidentRecord(s, e.data.incident_id);
      inc.report = { ev, data: e.data };
      if (e.data.munitions !== undefined) {
        s.munitions.push({
          incident: inc.id,
          sourceId: e.data.source.source_id,
          count: e.data.munitions,
          ev,
        });
      }
      return;
    }
    case 'IncidentAmended':
      incidentRecord(s, e.data.incident_id).amendments.push({ ev, data: e.data });
      return;
    case 'IncidentMerged': {
      const inc = incidentRecord(s, e.data.incident_id);
      inc.lifecycle = { ev, kind: 'merged', into: e.data.into_incident_id };
      inc.mergeTargets.push(e.data.into_incident_id);
      return;
    }
    case 'IncidentRetracted':
      incidentRecord(s, e.data.incident_id).lifecycle = { ev, kind: 'retracted', into: null };
      return;
    case 'IncidentReinstated':
      incidentRecord(s, e.data.incident_id).lifecycle = { ev, kind: 'reinstated', into: null };
      return;

    // figures
    case 'MunitionCountReported':
      s.munitions.push({
        incident: e.data.incident_id,
        sourceId: e.data.source.source_id,
        count: e.data.munitions,
        ev,
      });
      return;
    case 'InterceptionReported':
      s.interceptions.push({
        incident: e.data.incident_id,
        sourceId: e.data.source.source_id,
        count: e.data.intercepted,
        ev,
      });
      return;
    case 'DamageReported':
      s.damage.push({ ev, data: e.data });
      return;
    case 'CasualtyReported': {
      s.claims.set(e.data.claim_id, { ev, data: e.data });
      if (e.data.supersedes_claim_id !== undefined)
        pushTo(s.supersedersOf, e.data.supersedes_claim_id, e.data.claim_id);
      return;
    }
    case 'CasualtyClaimRetracted':
      pushTo(s.claimRetractions, e.data.claim_id, ev);
      return;
    case 'CasualtyClaimReassigned':
      pushTo(s.reassignments, e.data.claim_id, { ev, data: e.data });
      return;
    case 'CasualtyEstimateAdopted':
      s.adoptions.set(`${scopeKey(scopeRef(e.data.scope))}|${segmentKey(e.data.segment)}`, {
        ev,
        data: e.data,
      });
      return;

    // attribution
    case 'AttributionAsserted':
      s.assertions.set(e.data.assertion_id, { ev, data: e.data });
      return;
    case 'AttributionWithdrawn':
      pushTo(s.withdrawals, e.data.assertion_id, ev);
      return;
    case 'ResponsibilityClaimed':
      s.responsibility.push({
        ev,
        incident: e.data.incident_id,
        actor: e.data.actor_id,
        kind: 'claimed',
      });
      return;
    case 'ResponsibilityDenied':
      s.responsibility.push({
        ev,
        incident: e.data.incident_id,
        actor: e.data.actor_id,
        kind: 'denied',
      });
      return;

    // responses
    case 'ResponseLinked':
      s.links.set(e.data.link_id, { ev, data: e.data });
      return;
    case 'ResponseLinkRemoved':
      pushTo(s.linkRemovals, e.data.link_id, ev);
      return;

    // context
    case 'ExternalStatisticReported':
      s.stats.set(e.data.stat_id, { ev, data: e.data });
      return;
    case 'SeedDocumentIngested':
      s.docs.set(e.data.doc_id, { ev, data: e.data });
      return;
    default:
      assertNever(e);
  }
}
