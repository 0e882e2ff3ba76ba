import type { State } from '../fold.js';
import { compareCodePoints } from '../order.js';
import { assertNever, informationSource, responseIds, scopeRef, type ScopeRef } from '../refs.js';
import type { RevisionFeedRow } from '../rows.js';
import type { Figures } from './figures.js';
import type { Lifecycle } from './lifecycle.js';
import { ratingChangesGrade } from './reliability.js';

/**
 * revision_feed (§6): for every applied event, the incident and operation ids whose rows it
 * changes under the current resolution — the ids it names and where they resolve to through
 * merges, the scopes of the claims it affects (also through supersession and reassignment),
 * the incidents merged into a lifecycle target, the incidents' operations, and, for a source
 * registration, and a rating that changes its grade at some instant, every incident and
 * operation citing that source.
 */
/**
 * The incidents and operations whose rows a reference event changes (§6 revision_feed):
 * for a source, every incident and operation cited by an event of that source; for a site,
 * the incidents at the site; plus the operations of those incidents.
 */
export interface Cited {
  readonly incidents: Set<string>;
  readonly operations: Set<string>;
}

export interface Citations {
  /** source id → what a registration or rating of it lists */
  readonly sources: Map<string, Cited>;
  /** site id → what a registration of it lists */
  readonly sites: Map<string, Cited>;
}

export interface Revisions {
  rows(): RevisionFeedRow[];
  citations(): Citations;
}

/**
 * revision_feed (§6): for every applied event, the incident and operation ids whose rows it
 * changes under the current resolution — the ids it names and where they resolve to through
 * merges, the scopes of the claims it affects (also through supersession and reassignment),
 * the incidents merged into a lifecycle target, the incidents' operations, and, for a source
 * registration, and a rating that changes its grade at some instant, every incident and
 * operation citing that source.
 */
export function deriveRevisions(s: State, lc: Lifecycle, figs: Figures): RevisionFeedRow[] {
  return revisions(s, lc, figs).rows();
}

export function revisions(s: State, lc: Lifecycle, figs: Figures): Revisions {
  const touched = s.events.map((ev) => direct(s, lc, figs, ev.seq));

  const bySource = new Map<string, Touched>();
  for (const ev of s.events) {
    const src = informationSource(ev.event);
    if (src === null) continue;
    let acc = bySource.get(src);
    if (acc === undefined) {
      acc = new Touched();
      bySource.set(src, acc);
    }
    acc.addAll(touched[ev.seq] as Touched);
  }
  const bySite = new Map<string, string[]>();
  for (const inc of lc.incidents.values()) {
    const site = inc.eff?.place.site_id;
    if (site === undefined) continue;
    const list = bySite.get(site);
    if (list === undefined) bySite.set(site, [inc.id]);
    else list.push(inc.id);
  }

  const byOperation = new Map<string, string[]>();
  for (const inc of lc.incidents.values()) {
    const op = inc.eff?.operation_id;
    if (op === undefined || op === null) continue;
    const list = byOperation.get(op);
    if (list === undefined) byOperation.set(op, [inc.id]);
    else list.push(inc.id);
  }
  const withOperations = (t: Touched): Touched => {
    for (const id of t.incidents) {
      const op = lc.incidents.get(id)?.eff?.operation_id;
      if (op !== undefined && op !== null) t.operations.add(op);
    }
    return t;
  };

  return {
    citations() {
      const sources = new Map<string, Cited>();
      for (const [id, t] of bySource) {
        const c = new Touched();
        c.addAll(t);
        sources.set(id, withOperations(c));
      }
      const sites = new Map<string, Cited>();
      for (const [id, list] of bySite) {
        const c = new Touched();
        for (const inc of list) c.incidents.add(inc);
        sites.set(id, withOperations(c));
      }
      return { sources, sites };
    },
    rows() {
      return s.events.map((ev) => {
        const t = touched[ev.seq] as Touched;
        const e = ev.event;
        if (isCasualtyEvent(e.type)) {
          // an operation figure changes its members' covered_by_operation marks
          for (const op of t.operations)
            for (const id of byOperation.get(op) ?? []) t.incidents.add(id);
        }
        if (e.type === 'SourceRegistered' || (e.type === 'SourceReliabilityRated' && ratingChangesGrade(e, (s.sources.get(e.data.source_id)?.reliability ?? []).map((r) => r.ev)))) {
          const cited = bySource.get(e.data.source_id);
          if (cited !== undefined) t.addAll(cited);
        }
        if (e.type === 'SiteRegistered')
          for (const id of bySite.get(e.data.site_id) ?? []) t.incidents.add(id);
        withOperations(t);
        return revisionRow(e, t);
      });
    },
  };
}

/** The revision_feed row of `event` listing `cited`. */
export function revisionRow(
  e: { readonly time: string; readonly id: string; readonly source: string; readonly type: string },
  cited: Cited,
): RevisionFeedRow {
  return {
    time: e.time,
    event_id: e.id,
    event_source: e.source,
    type: e.type,
    incident_ids: [...cited.incidents].sort(compareCodePoints),
    operation_ids: [...cited.operations].sort(compareCodePoints),
  };
}

function isCasualtyEvent(type: string): boolean {
  return (
    type === 'CasualtyReported' ||
    type === 'CasualtyClaimRetracted' ||
    type === 'CasualtyClaimReassigned' ||
    type === 'CasualtyEstimateAdopted'
  );
}

class Touched {
  readonly incidents = new Set<string>();
  readonly operations = new Set<string>();
  addScope(scope: ScopeRef | undefined): void {
    if (scope === undefined) return;
    (scope.kind === 'incident' ? this.incidents : this.operations).add(scope.id);
  }
  addAll(other: Touched): void {
    for (const id of other.incidents) this.incidents.add(id);
    for (const id of other.operations) this.operations.add(id);
  }
}

function direct(s: State, lc: Lifecycle, figs: Figures, seq: number): Touched {
  const t = new Touched();
  const ev = s.events[seq];
  if (ev === undefined) return t;
  for (const ref of s.refs[seq] ?? []) {
    if (ref.kind === 'incident') {
      t.incidents.add(ref.id);
      t.incidents.add(lc.resolve(ref.id));
    } else if (ref.kind === 'operation') {
      t.operations.add(ref.id);
    }
  }
  const claimScope = (id: string | undefined) =>
    id === undefined ? undefined : figs.claims.get(id)?.scope;
  const e = ev.event;
  switch (e.type) {
    case 'IncidentReported':
    case 'IncidentAmended':
      for (const op of lc.operationChanges.get(seq) ?? []) t.operations.add(op);
      break;
    case 'IncidentMerged':
    case 'IncidentRetracted':
    case 'IncidentReinstated':
      // Everything merged into this incident may change its merged_into and its counting.
      for (const id of mergedInto(lc, e.data.incident_id)) t.incidents.add(id);
      // ... and every survivor it was ever merged into gains or loses its claims.
      for (const id of s.incidents.get(e.data.incident_id)?.mergeTargets ?? []) {
        t.incidents.add(id);
        t.incidents.add(lc.resolve(id));
      }
      break;
    case 'CasualtyReported':
      t.addScope(claimScope(e.data.claim_id));
      t.addScope(claimScope(e.data.supersedes_claim_id));
      break;
    case 'CasualtyClaimRetracted':
    case 'CasualtyClaimReassigned': {
      t.addScope(claimScope(e.data.claim_id));
      const claim = s.claims.get(e.data.claim_id);
      if (claim !== undefined) {
        const original = scopeRef(claim.data.scope);
        t.addScope(original);
        if (original.kind === 'incident') t.incidents.add(lc.resolve(original.id));
        t.addScope(claimScope(claim.data.supersedes_claim_id));
      }
      break;
    }
    case 'AttributionWithdrawn': {
      const a = s.assertions.get(e.data.assertion_id);
      if (a !== undefined) t.incidents.add(lc.resolve(a.data.incident_id));
      break;
    }
    case 'ResponseLinkRemoved': {
      const link = s.links.get(e.data.link_id);
      if (link !== undefined) {
        for (const id of link.data.trigger_incident_ids) t.incidents.add(lc.resolve(id));
        const r = responseIds(link.data);
        for (const id of r.incidents) t.incidents.add(lc.resolve(id));
        if (r.operation !== null) t.operations.add(r.operation);
      }
      break;
    }
    case 'SourceRegistered':
    case 'SourceReliabilityRated':
    case 'ActorRegistered':
    case 'ActorRelationAsserted':
    case 'SiteRegistered':
    case 'DefensePostureReported':
    case 'MunitionCountReported':
    case 'InterceptionReported':
    case 'DamageReported':
    case 'AttributionAsserted':
    case 'ResponsibilityClaimed':
    case 'ResponsibilityDenied':
    case 'CasualtyEstimateAdopted':
    case 'ResponseLinked':
    case 'ExternalStatisticReported':
    case 'SeedDocumentIngested':
      break;
    default:
      assertNever(e);
  }
  return t;
}

/** The incidents whose merge chain passes through `id` (transitively), excluding `id`. */
function mergedInto(lc: Lifecycle, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  const stack = [id];
  while (stack.length > 0) {
    const cur = stack.pop() as string;
    for (const from of lc.mergedFrom.get(cur) ?? []) {
      if (seen.has(from)) continue;
      seen.add(from);
      out.push(from);
      stack.push(from);
    }
  }
  return out;
}
