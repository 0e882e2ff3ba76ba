// Hand-built fixtures for the convergence property and the rule tests (helpers, not a suite).
import type { DomainEvent } from '@incidents/events';
import {
  Given,
  approx,
  atLeast,
  atSite,
  day,
  exact,
  inAdmin1,
  minute,
  seg,
  src,
  vague,
  week,
} from './fixtures.test.js';

/** `2024-01-<dd>T<hh>:00:00Z` */
export const at = (dd: number, hh = 0) =>
  `2024-01-${String(dd).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00Z`;

/**
 * One world with every kind of revision: several claims per source series (totals, deltas,
 * supersession across scopes, a retraction reviving a superseded claim, reassignments with a
 * mismatching `from`), adoptions (also on a merged incident), amendments older than the report,
 * merge / retract / reinstate sequences listed out of time order, a merge loop, references to
 * incidents, sources and sites that arrive later, duplicate entities and a (source, id) pair
 * posted with two contents. Within each subject the file order differs from the time order.
 */
export function richWorld(): DomainEvent[] {
  const g = new Given('rw');
  // reference data; s-b's rating is listed before its registration but is later in time
  g.add('SourceReliabilityRated', at(5), {
    source_id: 's-b',
    reliability: 'D',
    rationale: 'retracted twice',
  });
  g.add('SourceRegistered', at(1), {
    source_id: 's-a',
    name: 'Source A',
    kind: 'wire',
    scale: 'International',
    reliability: 'A',
  });
  g.add('SourceRegistered', at(1), {
    source_id: 's-b',
    name: 'Source B',
    kind: 'national_media',
    scale: 'National',
    reliability: 'B',
  });
  g.add('SourceRegistered', at(1), {
    source_id: 's-c',
    name: 'Source C',
    kind: 'monitor_ngo',
    scale: 'Local',
    reliability: 'C',
  });
  g.add('SourceReliabilityRated', at(2), { source_id: 's-unreg', reliability: 'A' });
  g.add('ActorRegistered', at(1), { actor_id: 'act-1', name: 'Actor One', actor_type: 3 });
  g.add('ActorRelationAsserted', at(3), {
    from_actor_id: 'act-2',
    to_actor_id: 'act-1',
    relation: 'wing_of',
    likelihood: 'likely',
    basis: 'analyst',
    source: src('s-c'),
  });
  g.add('SiteRegistered', at(1), {
    site_id: 'site-y',
    names: ['Y'],
    kind: 'base',
    place: { name: 'Y', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'site' },
  });
  g.add('SiteRegistered', at(4), {
    site_id: 'site-y',
    names: ['Y2'],
    kind: 'base',
    place: { name: 'Y2', country_iso3: 'IRQ', admin1: 'Ninawa', precision: 'near_site' },
  });
  g.add('DefensePostureReported', at(3), {
    site_id: 'site-x',
    system: 'C-RAM',
    status: 'degraded',
    at: day('2024-01-02'),
    source: src('s-a'),
  });

  // inc-a: amendments listed before the report, one of them older than the report
  g.add('IncidentAmended', at(6), {
    incident_id: 'inc-a',
    changes: { operation_id: 'op-1' },
    reason: 'back in op-1',
    source: src('s-a'),
  });
  g.add('IncidentAmended', at(4), {
    incident_id: 'inc-a',
    changes: { operation_id: null, platform: 'truck' },
    reason: 'not part of op',
    source: src('s-a'),
  });
  g.add('IncidentAmended', at(1, 12), {
    incident_id: 'inc-a',
    changes: { method: 'mortar' },
    reason: 'early correction',
    source: src('s-b'),
  });
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-a',
    kind: 'attack',
    operation_id: 'op-1',
    time: minute('2024-01-02T10:00:00Z'),
    place: atSite('site-x'),
    method: 'rocket',
    munitions: exact(5),
    source: src('s-a'),
  });
  g.add('MunitionCountReported', at(4), {
    incident_id: 'inc-a',
    munitions: exact(6),
    source: src('s-b'),
  });
  g.add('MunitionCountReported', at(3), {
    incident_id: 'inc-a',
    munitions: exact(7),
    source: src('s-b'),
  });
  g.add('MunitionCountReported', at(3), {
    incident_id: 'inc-a',
    munitions: atLeast(4),
    source: src('s-late'),
  });
  g.add('InterceptionReported', at(3), {
    incident_id: 'inc-a',
    intercepted: exact(2),
    source: src('s-a'),
  });

  // inc-a casualty series: s-a total 5, delta +2 (later superseded), delta +1 (retracted), total 6
  g.add('CasualtyClaimRetracted', at(5), {
    claim_id: 'ca3',
    scope: { incident_id: 'inc-a' },
    reason: 'double count',
  });
  g.add('CasualtyReported', at(6), {
    claim_id: 'ca8',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(6),
    mode: 'total',
    supersedes_claim_id: 'ca2',
    source: src('s-a'),
  });
  g.add('CasualtyReported', at(4), {
    claim_id: 'ca3',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(1),
    mode: 'delta',
    source: src('s-a'),
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'ca2',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(2),
    mode: 'delta',
    source: src('s-a'),
  });
  g.add('CasualtyReported', at(2), {
    claim_id: 'ca1',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(5),
    mode: 'total',
    source: src('s-a'),
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'ca4',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(3),
    mode: 'delta',
    source: src('s-b'),
  });
  g.add('CasualtyReported', at(2), {
    claim_id: 'ca5',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(10),
    mode: 'total',
    source: src('s-c'),
  });
  g.add('CasualtyReported', at(2, 6), {
    claim_id: 'ca-tbi',
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'injured_tbi', 'USA'),
    count: approx(1, 2, 4),
    mode: 'total',
    source: src('s-c'),
  });
  // ca6 (other scope, other source) supersedes ca5, then is retracted: ca5 revives
  g.add('CasualtyClaimRetracted', at(6), {
    claim_id: 'ca6',
    scope: { incident_id: 'inc-d' },
    reason: 'wrong incident',
  });
  g.add('CasualtyReported', at(5), {
    claim_id: 'ca6',
    scope: { incident_id: 'inc-d' },
    segment: seg('service_member', 'wounded', 'USA'),
    count: exact(8),
    mode: 'total',
    supersedes_claim_id: 'ca5',
    source: src('s-late'),
  });
  // adoptions: the later one wins; one on the merged inc-c is ignored
  g.add('CasualtyEstimateAdopted', at(7), {
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded_or_injured', 'USA'),
    count: approx(8, 9, 12),
    policy: 'editorial',
  });
  g.add('CasualtyEstimateAdopted', at(6), {
    scope: { incident_id: 'inc-a' },
    segment: seg('service_member', 'wounded_or_injured', 'USA'),
    count: approx(1, 1, 1),
    policy: 'ucdp_best',
  });
  g.add('CasualtyEstimateAdopted', at(5), {
    scope: { incident_id: 'inc-c' },
    segment: seg('civilian', 'killed', 'SYR'),
    count: approx(50, 50, 50),
    policy: 'editorial',
  });

  // inc-b: a second report of the same incident is a duplicate entity
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-b',
    kind: 'attack',
    operation_id: 'op-1',
    time: day('2024-01-02'),
    place: inAdmin1('Homs'),
    method: 'ied',
    source: src('s-b'),
  });
  g.add('IncidentReported', at(3), {
    incident_id: 'inc-b',
    kind: 'other',
    time: day('2024-01-03'),
    place: inAdmin1('Hama'),
    method: 'unknown',
    munitions: exact(100),
    source: src('s-c'),
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'cb-mil',
    scope: { incident_id: 'inc-b' },
    segment: seg('militant', 'killed'),
    count: exact(4),
    mode: 'total',
    source: src('s-b'),
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'cop-mil',
    scope: { operation_id: 'op-1' },
    segment: seg('militant', 'killed'),
    count: approx(10, 20, 30),
    mode: 'total',
    source: src('s-a'),
  });

  // inc-c: merge, retract, reinstate, merge again — listed out of time order
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-c',
    kind: 'attack',
    time: week('2024-01-04'),
    place: inAdmin1('Deir ez-Zor'),
    method: 'rocket',
    munitions: exact(9),
    source: src('s-c'),
  });
  g.add('IncidentMerged', at(6), {
    incident_id: 'inc-c',
    into_incident_id: 'inc-e',
    reason: 'duplicate_report',
  });
  g.add('IncidentReinstated', at(5), { incident_id: 'inc-c', reason: 'not a duplicate after all' });
  g.add('IncidentMerged', at(4), {
    incident_id: 'inc-c',
    into_incident_id: 'inc-d',
    reason: 'duplicate_report',
  });
  g.add('IncidentRetracted', at(3), { incident_id: 'inc-c', reason: 'misdated' });
  g.add('DamageReported', at(3), {
    incident_id: 'inc-c',
    object: 'vehicle',
    extent: 'destroyed',
    source: src('s-c'),
  });
  g.add('AttributionAsserted', at(3), {
    assertion_id: 'as-c',
    incident_id: 'inc-c',
    actor_id: 'act-2',
    role: 'perpetrator',
    basis: 'media',
    likelihood: 'unlikely',
    source: src('s-c'),
  });

  // inc-d and the vague claim
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-d',
    kind: 'attack',
    time: day('2024-01-02'),
    place: atSite('site-y'),
    method: 'one_way_uav',
    source: src('s-a'),
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'cd-v',
    scope: { incident_id: 'inc-d' },
    segment: seg('civilian', 'killed', 'SYR'),
    count: vague('a number of civilians'),
    mode: 'total',
    source: src('s-c'),
  });
  g.add('CasualtyReported', at(4), {
    claim_id: 'cd-3',
    scope: { incident_id: 'inc-d' },
    segment: seg('civilian', 'killed', 'SYR'),
    count: exact(3),
    mode: 'total',
    source: src('s-a'),
  });

  // a claim reassigned twice (the later reassignment has a mismatching from), landing via merge
  g.add('CasualtyClaimReassigned', at(5), {
    claim_id: 'cb1',
    from_incident_id: 'inc-x',
    to_incident_id: 'inc-c',
  });
  g.add('CasualtyClaimReassigned', at(3), {
    claim_id: 'cb1',
    from_incident_id: 'inc-d',
    to_incident_id: 'inc-a',
    source: src('s-b'),
  });
  g.add('CasualtyReported', at(2), {
    claim_id: 'cb1',
    scope: { incident_id: 'inc-d' },
    segment: seg('civilian', 'wounded', 'SYR'),
    count: exact(2),
    mode: 'total',
    source: src('s-b'),
  });

  // inc-e: claims arrive before the report
  g.add('CasualtyReported', at(3), {
    claim_id: 'ce1',
    scope: { incident_id: 'inc-e' },
    segment: seg('civilian', 'wounded', 'SYR'),
    count: exact(1),
    mode: 'total',
    source: src('s-a'),
  });
  g.add('IncidentReported', at(7), {
    incident_id: 'inc-e',
    kind: 'attack',
    time: day('2024-01-04', 'Asia/Baghdad'),
    place: atSite('site-x', 'near_site'),
    method: 'rocket',
    munitions: exact(11),
    source: src('s-a'),
  });

  // a merge loop f -> g -> f, and h reaching it
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-f',
    kind: 'attack',
    time: day('2024-01-02'),
    place: inAdmin1('Homs'),
    method: 'rocket',
    source: src('s-a'),
  });
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-g',
    kind: 'attack',
    time: day('2024-01-02'),
    place: inAdmin1('Homs'),
    method: 'rocket',
    source: src('s-a'),
  });
  g.add('IncidentReported', at(2), {
    incident_id: 'inc-h',
    kind: 'attack',
    time: day('2024-01-02'),
    place: inAdmin1('Homs'),
    method: 'rocket',
    source: src('s-a'),
  });
  g.add('IncidentMerged', at(3), {
    incident_id: 'inc-f',
    into_incident_id: 'inc-g',
    reason: 'duplicate_report',
  });
  g.add('IncidentMerged', at(3), {
    incident_id: 'inc-g',
    into_incident_id: 'inc-f',
    reason: 'duplicate_report',
  });
  g.add('IncidentMerged', at(3), {
    incident_id: 'inc-h',
    into_incident_id: 'inc-f',
    reason: 'duplicate_report',
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'cf1',
    scope: { incident_id: 'inc-f' },
    segment: seg('civilian', 'killed', 'SYR'),
    count: exact(7),
    mode: 'total',
    source: src('s-a'),
  });

  // attribution: withdrawal listed (and timed) before its assertion; a duplicate assertion id
  g.add('AttributionWithdrawn', at(2), {
    assertion_id: 'as2',
    incident_id: 'inc-a',
    reason: 'source retracted',
  });
  g.add('AttributionAsserted', at(3), {
    assertion_id: 'as2',
    incident_id: 'inc-a',
    actor_id: 'act-2',
    role: 'perpetrator',
    basis: 'media',
    likelihood: 'very_likely',
    source: src('s-c'),
  });
  g.add('AttributionAsserted', at(3), {
    assertion_id: 'as1',
    incident_id: 'inc-a',
    actor_id: 'act-1',
    role: 'perpetrator',
    basis: 'official_assessment',
    likelihood: 'likely',
    source: src('s-b'),
  });
  g.add('AttributionAsserted', at(4), {
    assertion_id: 'as1',
    incident_id: 'inc-a',
    actor_id: 'act-3',
    role: 'perpetrator',
    basis: 'media',
    likelihood: 'almost_certain',
    source: src('s-a'),
  });
  g.add('ResponsibilityClaimed', at(3), {
    incident_id: 'inc-a',
    actor_id: 'act-2',
    source: src('s-c'),
  });
  g.add('ResponsibilityDenied', at(3), {
    incident_id: 'inc-a',
    actor_id: 'act-1',
    source: src('s-c'),
  });

  // responses: a link to an unreported incident, a removed link, a duplicate link id
  g.add('ResponseLinked', at(4), {
    link_id: 'l1',
    trigger_incident_ids: ['inc-a'],
    response_incident_ids: ['inc-c', 'inc-u'],
    basis: 'analyst',
    likelihood: 'likely',
    source: src('s-a'),
  });
  g.add('ResponseLinkRemoved', at(4), { link_id: 'l2', reason: 'not a response' });
  g.add('ResponseLinked', at(3), {
    link_id: 'l2',
    trigger_incident_ids: ['inc-d'],
    response_operation_id: 'op-1',
    basis: 'media',
    likelihood: 'unlikely',
    source: src('s-c'),
  });
  g.add('ResponseLinked', at(5), {
    link_id: 'l1',
    trigger_incident_ids: ['inc-d'],
    response_operation_id: 'op-1',
    basis: 'media',
    likelihood: 'unlikely',
    source: src('s-c'),
  });
  g.add('CasualtyReported', at(3), {
    claim_id: 'cu1',
    scope: { incident_id: 'inc-u' },
    segment: seg('civilian', 'killed', 'SYR'),
    count: exact(1),
    mode: 'total',
    source: src('s-a'),
  });

  // late registrations
  g.add('SourceRegistered', at(10), {
    source_id: 's-late',
    name: 'Late source',
    kind: 'local_media',
    scale: 'Local',
    reliability: 'A',
  });
  g.add('SiteRegistered', at(8), {
    site_id: 'site-x',
    names: ['X'],
    kind: 'base',
    place: { name: 'X', country_iso3: 'SYR', admin1: 'Deir ez-Zor', precision: 'site' },
  });

  // context, with a duplicate stat id
  g.add('ExternalStatisticReported', at(3), {
    stat_id: 'x1',
    metric: 'attacks',
    value: exact(40),
    period: { from: '2023-01-01', to: '2023-12-31' },
    geography: ['SYR'],
    issuer: 'Someone',
    source: src('s-a'),
  });
  g.add('ExternalStatisticReported', at(4), {
    stat_id: 'x1',
    metric: 'attacks',
    value: exact(41),
    period: { from: '2023-01-01', to: '2023-12-31' },
    geography: ['SYR'],
    issuer: 'Someone',
    source: src('s-a'),
  });

  // the same (source, id) posted with two contents
  g.add(
    'MunitionCountReported',
    at(5),
    { incident_id: 'inc-d', munitions: exact(3), source: src('s-a') },
    { id: 'conflict-1' },
  );
  g.add(
    'MunitionCountReported',
    at(5),
    { incident_id: 'inc-d', munitions: exact(30), source: src('s-a') },
    { id: 'conflict-1' },
  );
  return g.events;
}

/** All instants at which something happens in `events`, plus one before and one after. */
export function instantsOf(events: readonly DomainEvent[]): string[] {
  return [
    ...new Set(events.map((e) => e.time)),
    '2000-01-01T00:00:00Z',
    '2100-01-01T00:00:00Z',
  ].sort();
}
