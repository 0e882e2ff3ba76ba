import type { AttributionAsserted } from '@incidents/events';
import type { Recorded, State } from '../fold.js';
import { compareCodePoints } from '../order.js';
import type { AttributionEntry } from '../rows.js';
import type { Lifecycle } from './lifecycle.js';
import { reliabilityRank, type Reliabilities } from './reliability.js';

/** Attribution, claims and denials of responsibility (§5.9). */

const LIKELIHOOD: readonly string[] = [
  'almost_no_chance',
  'very_unlikely',
  'unlikely',
  'roughly_even',
  'likely',
  'very_likely',
  'almost_certain',
];

export interface Ranked {
  readonly actor_id: string;
  readonly likelihood: string;
}

export interface IncidentAttribution {
  entries: AttributionEntry[];
  top_perpetrator: Ranked | null;
  materiel_origin: Ranked | null;
  claimed_by: string[];
  denied_by: string[];
}

export interface Attribution {
  readonly byIncident: Map<string, IncidentAttribution>;
  /** withdrawn assertion ids */
  readonly withdrawn: Set<string>;
}

function top(
  assertions: readonly Recorded<AttributionAsserted>[],
  role: AttributionAsserted['role'],
  rel: Reliabilities,
): Ranked | null {
  let best: Recorded<AttributionAsserted> | null = null;
  for (const a of assertions) {
    if (a.data.role !== role) continue;
    if (best === null || outranks(a, best, rel)) best = a;
  }
  return best === null ? null : { actor_id: best.data.actor_id, likelihood: best.data.likelihood };
}

// Highest likelihood, then the more reliable source, then the latest in logical order.
function outranks(
  a: Recorded<AttributionAsserted>,
  b: Recorded<AttributionAsserted>,
  rel: Reliabilities,
): boolean {
  const byLikelihood =
    LIKELIHOOD.indexOf(a.data.likelihood) - LIKELIHOOD.indexOf(b.data.likelihood);
  if (byLikelihood !== 0) return byLikelihood > 0;
  const byReliability =
    reliabilityRank(rel.of(b.data.source.source_id)) -
    reliabilityRank(rel.of(a.data.source.source_id));
  if (byReliability !== 0) return byReliability > 0;
  return a.ev.seq > b.ev.seq;
}

export function deriveAttribution(s: State, lc: Lifecycle, rel: Reliabilities): Attribution {
  const withdrawn = new Set(s.withdrawals.keys());
  const current = new Map<string, Recorded<AttributionAsserted>[]>();
  const byIncident = new Map<string, IncidentAttribution>();
  const get = (id: string): IncidentAttribution => {
    let a = byIncident.get(id);
    if (a === undefined) {
      a = {
        entries: [],
        top_perpetrator: null,
        materiel_origin: null,
        claimed_by: [],
        denied_by: [],
      };
      byIncident.set(id, a);
    }
    return a;
  };

  for (const rec of s.assertions.values()) {
    if (withdrawn.has(rec.data.assertion_id)) continue;
    const incident = lc.resolve(rec.data.incident_id);
    const list = current.get(incident);
    if (list === undefined) current.set(incident, [rec]);
    else list.push(rec);
    get(incident).entries.push({
      assertion_id: rec.data.assertion_id,
      actor_id: rec.data.actor_id,
      role: rec.data.role,
      likelihood: rec.data.likelihood,
      basis: rec.data.basis,
      source_id: rec.data.source.source_id,
      as_stated: rec.data.as_stated ?? null,
      time: rec.ev.event.time,
      via_merge: incident !== rec.data.incident_id,
    });
  }
  for (const [incident, list] of current) {
    const a = get(incident);
    a.top_perpetrator = top(list, 'perpetrator', rel);
    a.materiel_origin = top(list, 'materiel_origin', rel);
    a.entries.sort((x, y) => compareCodePoints(x.assertion_id, y.assertion_id));
  }

  const claimed = new Map<string, Set<string>>();
  const denied = new Map<string, Set<string>>();
  for (const r of s.responsibility) {
    const target = r.kind === 'claimed' ? claimed : denied;
    const incident = lc.resolve(r.incident);
    let set = target.get(incident);
    if (set === undefined) {
      set = new Set();
      target.set(incident, set);
    }
    set.add(r.actor);
  }
  for (const [incident, set] of claimed)
    get(incident).claimed_by = [...set].sort(compareCodePoints);
  for (const [incident, set] of denied) get(incident).denied_by = [...set].sort(compareCodePoints);
  return { byIncident, withdrawn };
}
