import type { State } from '../fold.js';
import { compareCodePoints } from '../order.js';
import { informationSource } from '../refs.js';
import type { TimelineRow } from '../rows.js';
import type { Attribution } from './attribution.js';
import type { Figures } from './figures.js';
import type { Lifecycle } from './lifecycle.js';
import type { Reliabilities } from './reliability.js';

/** incident_timeline (§6) and the unresolved references of each incident (§5.2). */

export interface Timeline {
  readonly rows: TimelineRow[];
  /** incident id → sorted `<kind>/<id>` references that do not resolve */
  readonly unresolved: Map<string, string[]>;
}

export function deriveTimeline(
  s: State,
  lc: Lifecycle,
  figs: Figures,
  attribution: Attribution,
  rel: Reliabilities,
): Timeline {
  // incident → seq → the merged incident it came through (null = names the incident itself)
  const entries = new Map<string, Map<number, string | null>>();
  for (const rec of s.incidents.values()) {
    entries.set(rec.id, new Map(rec.events.map((seq) => [seq, null])));
  }
  const mergedIds = [...lc.incidents.values()]
    .filter((inc) => inc.survivor !== null)
    .map((inc) => inc.id)
    .sort(compareCodePoints);
  for (const id of mergedIds) {
    const survivor = lc.incidents.get(id)?.survivor ?? null;
    const target = survivor === null ? undefined : entries.get(survivor);
    if (target === undefined) continue;
    for (const seq of s.incidents.get(id)?.events ?? []) if (!target.has(seq)) target.set(seq, id);
  }

  const rows: TimelineRow[] = [];
  const unresolved = new Map<string, string[]>();
  const incidentIds = [...entries.keys()].sort(compareCodePoints);
  for (const incidentId of incidentIds) {
    const seqs = [...(entries.get(incidentId) ?? new Map<number, string | null>())].sort(
      (a, b) => a[0] - b[0],
    );
    const missing = new Set<string>();
    for (const [seq, mergedFrom] of seqs) {
      rows.push(timelineRow(s, figs, attribution, rel, incidentId, seq, mergedFrom));
      for (const ref of s.refs[seq] ?? []) {
        if (
          !resolves(s, lc, ref.kind, ref.id) &&
          !(ref.kind === 'incident' && ref.id === incidentId)
        ) {
          missing.add(`${ref.kind}/${ref.id}`);
        }
      }
    }
    unresolved.set(incidentId, [...missing].sort(compareCodePoints));
  }
  return { rows, unresolved };
}

function resolves(s: State, lc: Lifecycle, kind: string, id: string): boolean {
  switch (kind) {
    case 'source':
      return s.sources.get(id)?.registration != null;
    case 'actor':
      return s.actors.get(id)?.registration != null;
    case 'site':
      return s.sites.get(id)?.registration != null;
    case 'incident':
      return lc.incidents.get(id)?.status !== 'unreported';
    case 'claim':
      return s.claims.has(id);
    case 'assertion':
      return s.assertions.has(id);
    case 'link':
      return s.links.has(id);
    default:
      return true;
  }
}

function timelineRow(
  s: State,
  figs: Figures,
  attribution: Attribution,
  rel: Reliabilities,
  incidentId: string,
  seq: number,
  mergedFrom: string | null,
): TimelineRow {
  const ev = s.events[seq];
  if (ev === undefined) throw new Error(`no event at seq ${seq}`);
  const e = ev.event;
  const duplicate = s.duplicates.has(seq);
  const flags: string[] = [];
  let superseded = false;
  let retracted = false;
  if (!duplicate) {
    if (e.type === 'CasualtyReported') {
      const claim = figs.claims.get(e.data.claim_id);
      superseded = claim?.superseded ?? false;
      retracted = claim?.retracted ?? false;
    } else if (e.type === 'AttributionAsserted' && attribution.withdrawn.has(e.data.assertion_id)) {
      flags.push('withdrawn');
    } else if (e.type === 'ResponseLinked' && s.linkRemovals.has(e.data.link_id)) {
      flags.push('link_removed');
    } else if (e.type === 'CasualtyClaimReassigned' && figs.reassignMismatches.has(seq)) {
      flags.push('from_incident_mismatch');
    }
  }
  const sourceId = informationSource(e);
  const data = e.data as { provenance?: unknown };
  return {
    incident_id: incidentId,
    time: e.time,
    event_id: e.id,
    event_source: e.source,
    type: e.type,
    subject: e.subject,
    via_merge: mergedFrom !== null,
    merged_from: mergedFrom,
    duplicate_entity: duplicate,
    superseded,
    retracted,
    flags,
    source_id: sourceId,
    source_reliability: sourceId === null ? null : rel.of(sourceId),
    source_registered: sourceId === null ? null : rel.registered(sourceId),
    provenance: data.provenance ?? null,
    data: e.data,
  };
}
