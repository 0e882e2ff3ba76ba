import type { DomainEvent } from '@incidents/events';
import { assertNever, eventRefs } from '../refs.js';

/**
 * Which events can interact under §5. Two events whose rows may depend on each other share
 * an entity key (incident, operation, claim, assertion, link, stat or doc id) or are
 * variants of one (source, id). Reference data (sources, actors, sites) is global input:
 * every other event may read it.
 */

/** The types of reference data (§4 "Reference data"). */
export const REFERENCE_EVENT_TYPES = [
  'SourceRegistered',
  'SourceReliabilityRated',
  'ActorRegistered',
  'ActorRelationAsserted',
  'SiteRegistered',
  'DefensePostureReported',
] as const satisfies readonly DomainEvent['type'][];

const REFERENCE_TYPES: ReadonlySet<string> = new Set(REFERENCE_EVENT_TYPES);

/** Registrations and other reference data (§4 "Reference data"). */
export function isReferenceEvent(event: Pick<DomainEvent, 'type'>): boolean {
  return REFERENCE_TYPES.has(event.type);
}

/** The key of a (source, id) pair: all its variants share it. */
export function pairKey(event: { readonly source: string; readonly id: string }): string {
  return `event/${event.source}\u0000${event.id}`;
}

/**
 * The entity keys of a non-reference event (`<kind>/<id>`) plus its pair key. Events are in
 * one cluster when their keys connect: a merge joins its two incidents, a claim its scope,
 * what it supersedes and its reassignments, a link its triggers and responses, an incident
 * every operation its report or amendments name, and so on.
 */
export function clusterKeys(event: DomainEvent): string[] {
  const keys = [pairKey(event)];
  for (const ref of eventRefs(event)) {
    switch (ref.kind) {
      case 'incident':
      case 'operation':
      case 'claim':
      case 'assertion':
      case 'link':
        keys.push(`${ref.kind}/${ref.id}`);
        break;
      case 'source':
      case 'actor':
      case 'site':
        break;
      default:
        assertNever(ref.kind);
    }
  }
  const e = event;
  switch (e.type) {
    case 'CasualtyReported':
      keys.push(`claim/${e.data.claim_id}`);
      break;
    case 'AttributionAsserted':
      keys.push(`assertion/${e.data.assertion_id}`);
      break;
    case 'ResponseLinked':
      keys.push(`link/${e.data.link_id}`);
      break;
    case 'ExternalStatisticReported':
      keys.push(`stat/${e.data.stat_id}`);
      break;
    case 'SeedDocumentIngested':
      keys.push(`doc/${e.data.doc_id}`);
      break;
    default:
      break;
  }
  return keys;
}

/** The sources, actors and sites an event names (`<kind>/<id>`): its rows may read them. */
export function namedReferences(event: DomainEvent): string[] {
  const out: string[] = [];
  for (const ref of eventRefs(event))
    if (ref.kind === 'source' || ref.kind === 'actor' || ref.kind === 'site')
      out.push(`${ref.kind}/${ref.id}`);
  return out;
}

/**
 * The references whose meaning a reference event changes for other events: a source's
 * reliability and registration (§5.8), an actor's or a site's registration (unresolved
 * references, a site's place). Relations and defence posture only show in their own rows.
 */
export function referenceChanges(event: DomainEvent): string[] {
  switch (event.type) {
    case 'SourceRegistered':
    case 'SourceReliabilityRated':
      return [`source/${event.data.source_id}`];
    case 'ActorRegistered':
      return [`actor/${event.data.actor_id}`];
    case 'SiteRegistered':
      return [`site/${event.data.site_id}`];
    default:
      return [];
  }
}
