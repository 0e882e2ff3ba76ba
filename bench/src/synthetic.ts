/**
 * A deterministic, realistic synthetic event stream: registrations, incidents with
 * munition and casualty claims from several sources (totals, deltas, supersessions,
 * retractions, reassignments, adoptions), amendments, merges, retractions, reinstatements,
 * attributions, claims of responsibility, damage, operations and response links. Some
 * lifecycle events carry a `time` earlier than events written before them, so file order
 * and logical order differ. Every event is valid under the v1 contract.
 */
import { localDateOf, type DomainEvent } from '@incidents/events';

export interface SyntheticOptions {
  incidents: number;
  seed?: number;
  source?: string;
  /** Prefix of incident and event ids, so several streams can share a log. */
  prefix?: string;
}

/** mulberry32: a small seeded PRNG, so a stream (or a shuffle) can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
const METHODS = ['rocket', 'mortar', 'one_way_uav', 'ballistic_missile', 'ied', 'small_arms', 'unknown'] as const;
const STRIKES = ['airstrike_fixed_wing', 'armed_uav', 'rotary_wing', 'artillery'] as const;
const PRECISIONS = ['minute', 'minute', 'hour', 'day', 'day', 'day', 'days_2_6', 'week', 'month', 'year'] as const;
const LIKELIHOOD = ['unlikely', 'roughly_even', 'likely', 'very_likely', 'almost_certain'] as const;
const COUNTRIES = [
  { iso3: 'SYR', admin1: ['Deir ez-Zor', 'Al-Hasakah', 'Homs'], tz: 'Asia/Damascus' },
  { iso3: 'IRQ', admin1: ['Anbar', 'Erbil', 'Baghdad'], tz: 'Asia/Baghdad' },
] as const;
const SEGMENTS = [
  { role: 'service_member', outcome: 'wounded', nationality_iso3: 'USA', side: 'target' },
  { role: 'service_member', outcome: 'injured_tbi', nationality_iso3: 'USA', side: 'target' },
  { role: 'contractor', outcome: 'killed', nationality_iso3: 'USA', side: 'target' },
  { role: 'civilian', outcome: 'wounded', side: 'third_party' },
  { role: 'militant', outcome: 'killed', side: 'target' },
  // the same key on the other side (attackers killed): tallies keep sides apart (§5.5)
  { role: 'militant', outcome: 'killed', side: 'attacker' },
] as const;

/** Generates the stream in file order (the order a feed would post it). */
export function* syntheticEvents(options: SyntheticOptions): Generator<DomainEvent> {
  const random = rng(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const source = options.source ?? '/feeds/synthetic';
  const prefix = options.prefix ?? 'syn';
  let n = 0;
  const id = () => `${prefix}-e${(n++).toString(36)}`;
  const envelope = <T extends DomainEvent['type']>(type: T, subject: string, time: string, data: unknown): DomainEvent =>
    ({ specversion: '1.0', id: id(), source, type, subject, time, datacontenttype: 'application/json', data }) as DomainEvent;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const count = (best: number) =>
    chance(0.1)
      ? { low: null, best: null, high: null, qualifier: 'vague', raw: 'several' }
      : chance(0.3)
        ? { low: Math.max(0, best - 2), best, high: best + 3, qualifier: 'approx' }
        : { low: best, best, high: best, qualifier: 'exact' };

  const sources = Array.from({ length: 24 }, (_, i) => `${prefix}-src-${i}`);
  const actors = Array.from({ length: 12 }, (_, i) => `${prefix}-actor-${i}`);
  const sites = Array.from({ length: 40 }, (_, i) => ({ id: `${prefix}-site-${i}`, country: COUNTRIES[i % 2]!, admin1: COUNTRIES[i % 2]!.admin1[i % 3]! }));
  const start = Date.parse('2023-01-01T00:00:00Z');

  // Registrations; a few sources and one site stay unregistered (§5.8).
  for (const s of sources.slice(0, 22)) {
    yield envelope('SourceRegistered', `source/${s}`, iso(start), { source_id: s, name: `Source ${s}`, kind: 'wire', scale: 'International', reliability: pick(RELIABILITY) });
  }
  for (const a of actors) {
    yield envelope('ActorRegistered', `actor/${a}`, iso(start), { actor_id: a, name: `Actor ${a}`, actor_type: 3 });
  }
  for (const site of sites.slice(0, 39)) {
    yield envelope('SiteRegistered', `site/${site.id}`, iso(start), {
      site_id: site.id,
      names: [`Site ${site.id}`],
      kind: 'base',
      place: { name: `Base ${site.id}`, country_iso3: site.country.iso3, admin1: site.admin1, precision: 'site' },
    });
  }

  const incidents: string[] = [];
  let claimNo = 0;
  for (let i = 0; i < options.incidents; i += 1) {
    const incident = `${prefix}-i${i}`;
    incidents.push(incident);
    const subject = `incident/${incident}`;
    const when = start + Math.floor((i / Math.max(1, options.incidents)) * 700 * 86_400_000) + Math.floor(random() * 86_400_000);
    const country = pick(COUNTRIES);
    const precision = pick(PRECISIONS);
    const startIso = iso(when - (when % 60_000));
    const atSite = chance(0.6);
    const site = pick(sites);
    const tz = atSite ? site.country.tz : country.tz;
    const time =
      precision === 'minute' || precision === 'hour' || (precision === 'day' && chance(0.5))
        ? { start: startIso, local_date: localDateOf(startIso, tz)!, tz, precision }
        : { local_date: localDateOf(startIso, tz)!, tz, precision };
    const place = atSite
      ? { site_id: site.id, precision: chance(0.8) ? 'site' : 'near_site' }
      : { name: `Place ${i}`, country_iso3: country.iso3, admin1: pick(country.admin1), precision: pick(['adm1', 'adm2', 'region', 'country'] as const) };
    const strike = chance(0.15);
    const reportedAt = when + 3_600_000;
    const reporter = pick(sources);
    yield envelope('IncidentReported', subject, iso(reportedAt), {
      incident_id: incident,
      kind: strike ? 'response_strike' : 'attack',
      ...(strike && chance(0.5) ? { operation_id: `${prefix}-op${Math.floor(i / 20)}` } : {}),
      time,
      place,
      method: strike ? pick(STRIKES) : pick(METHODS),
      ...(chance(0.7) ? { munitions: count(1 + Math.floor(random() * 12)) } : {}),
      source: { source_id: reporter },
    });
    let t = reportedAt;
    const later = () => iso((t += 60_000 + Math.floor(random() * 7_200_000)));
    for (let k = 0, m = Math.floor(random() * 3); k < m; k += 1) {
      yield envelope('MunitionCountReported', subject, later(), { incident_id: incident, munitions: count(1 + Math.floor(random() * 12)), source: { source_id: pick(sources) } });
    }
    if (chance(0.2)) {
      yield envelope('InterceptionReported', subject, later(), { incident_id: incident, intercepted: count(Math.floor(random() * 3)), source: { source_id: pick(sources) } });
    }
    // Casualty series: totals, deltas, supersession, retraction, reassignment, adoption.
    const claims: string[] = [];
    for (let k = 0, m = Math.floor(random() * 4); k < m; k += 1) {
      const segment = pick(SEGMENTS);
      const claim = `${prefix}-c${claimNo++}`;
      const previous = claims.length > 0 && chance(0.3) ? claims[claims.length - 1] : undefined;
      const delta = !previous && chance(0.2);
      claims.push(claim);
      yield envelope('CasualtyReported', subject, later(), {
        claim_id: claim,
        scope: { incident_id: incident },
        segment,
        count: delta ? { low: 2, best: 2, high: 2, qualifier: 'exact' } : count(Math.floor(random() * 9)),
        mode: delta ? 'delta' : 'total',
        ...(previous && !delta ? { supersedes_claim_id: previous } : {}),
        source: { source_id: pick(sources) },
      });
    }
    if (claims.length > 0 && chance(0.1)) {
      yield envelope('CasualtyClaimRetracted', subject, later(), { claim_id: claims[0], scope: { incident_id: incident }, reason: 'source withdrew the figure' });
    }
    if (claims.length > 0 && incidents.length > 2 && chance(0.05)) {
      const target = incidents[Math.floor(random() * (incidents.length - 1))]!;
      yield envelope('CasualtyClaimReassigned', subject, later(), { claim_id: claims[claims.length - 1], from_incident_id: incident, to_incident_id: target });
    }
    if (chance(0.05)) {
      yield envelope('CasualtyEstimateAdopted', subject, later(), {
        scope: { incident_id: incident },
        segment: pick(SEGMENTS),
        count: { low: 1, best: 2, high: 4, qualifier: 'approx' },
        policy: 'editorial',
      });
    }
    if (chance(0.1)) {
      yield envelope('IncidentAmended', subject, later(), { incident_id: incident, changes: { method: strike ? pick(STRIKES) : pick(METHODS) }, reason: 'corrected method', source: { source_id: pick(sources) } });
    }
    if (chance(0.3)) {
      yield envelope('AttributionAsserted', subject, later(), {
        assertion_id: `${prefix}-a${i}`,
        incident_id: incident,
        actor_id: pick(actors),
        role: 'perpetrator',
        basis: 'official_assessment',
        likelihood: pick(LIKELIHOOD),
        source: { source_id: pick(sources) },
      });
      if (chance(0.1)) yield envelope('AttributionWithdrawn', subject, later(), { assertion_id: `${prefix}-a${i}`, incident_id: incident, reason: 'withdrawn' });
    }
    if (chance(0.1)) {
      yield envelope('ResponsibilityClaimed', subject, later(), { incident_id: incident, actor_id: pick(actors), channel: 'Telegram', source: { source_id: pick(sources) } });
    }
    if (chance(0.2)) {
      yield envelope('DamageReported', subject, later(), { incident_id: incident, object: 'facility', extent: pick(['none', 'minor', 'significant'] as const), source: { source_id: pick(sources) } });
    }
    if (strike && incidents.length > 1 && chance(0.5)) {
      yield envelope('ResponseLinked', `link/${prefix}-l${i}`, later(), {
        link_id: `${prefix}-l${i}`,
        response_incident_ids: [incident],
        trigger_incident_ids: [incidents[Math.floor(random() * (incidents.length - 1))]!],
        basis: 'self_declared',
        likelihood: pick(LIKELIHOOD),
        source: { source_id: pick(sources) },
      });
    }
    // Lifecycle: a merge into an earlier incident, a retraction, sometimes a reinstatement,
    // at times that may precede events already written (logical order ≠ file order).
    if (incidents.length > 1 && chance(0.03)) {
      const into = incidents[Math.floor(random() * (incidents.length - 1))]!;
      yield envelope('IncidentMerged', subject, iso(reportedAt + 30_000), { incident_id: incident, into_incident_id: into, reason: 'duplicate_report' });
      if (chance(0.2)) yield envelope('IncidentReinstated', subject, later(), { incident_id: incident, reason: 'not a duplicate after all' });
    } else if (chance(0.02)) {
      yield envelope('IncidentRetracted', subject, later(), { incident_id: incident, reason: 'did_not_occur' });
    }
  }
}
