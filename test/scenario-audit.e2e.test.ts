// Audit scenario: a world other than the seed (Tower 22, 28 Jan 2024, and the US strikes of
// 2 Feb 2024 in Iraq and Syria), with revisions, a merge, a retraction, a reassignment, deltas,
// supersessions, an adoption and a reliability re-rating. The events are posted through the
// public ingest API in a shuffled order (each subject's own order kept, which is not always
// time order), some in batches, one twice, and read back through the public query API.
// Every expected value was derived by hand from shared/domain/events.md; the derivation is
// next to each expectation. a / b / c is low / best / high.
import { request } from './support/http.js';
import { auditEvents, auditSuite, lbh, type AttackStats, type AuditEvent, type Detail, type Edge, type Figure, type Summary, type Tally } from './support/audit.js';

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

const FEED = '/feeds/audit-desk';
const OP = 'op-2024-02-02-us-strikes';

const ev = auditEvents('aud-', FEED);

const exact = (n: number) => ({ low: n, best: n, high: n, qualifier: 'exact' });
const USA_SM = (outcome: string) => ({ side: 'target', affiliation_actor_id: 'us-mil', nationality_iso3: 'USA', role: 'service_member', outcome });
const MILITANT = (outcome: string, nat?: string) => ({ side: 'target', affiliation_actor_id: 'iri', ...(nat ? { nationality_iso3: nat } : {}), role: 'militant', outcome });
const REF = '2024-01-01T00:00:00Z';

const claim = (id: string, scope: Record<string, string>, time: string, segment: object, count: object, src: string, extra: object = {}) =>
  ev(id, 'CasualtyReported', scope.incident_id ? `incident/${scope.incident_id}` : `operation/${scope.operation_id}`, time, {
    claim_id: id,
    scope,
    segment,
    count,
    mode: 'total',
    source: { source_id: src },
    ...extra,
  });

/** Each subject's events in the order they are posted (deliberately not always time order). */
const streams: AuditEvent[][] = [
  // Reference data. reuters is B until it is re-rated A on 8 Feb (§5.2, §5.8).
  [ev('src-dod', 'SourceRegistered', 'source/dod', REF, { source_id: 'dod', name: 'U.S. Department of Defense', kind: 'official_gov', scale: 'International', reliability: 'B' })],
  [ev('src-centcom', 'SourceRegistered', 'source/centcom', REF, { source_id: 'centcom', name: 'U.S. Central Command', kind: 'military', scale: 'International', reliability: 'B' })],
  [
    ev('src-reuters', 'SourceRegistered', 'source/reuters', REF, { source_id: 'reuters', name: 'Reuters', kind: 'wire', scale: 'International', reliability: 'B', language: 'en' }),
    ev('src-reuters-rated', 'SourceReliabilityRated', 'source/reuters', '2024-02-08T00:00:00Z', { source_id: 'reuters', reliability: 'A', rationale: 'editorial re-grade' }),
  ],
  [ev('src-sohr', 'SourceRegistered', 'source/sohr', REF, { source_id: 'sohr', name: 'Syrian Observatory for Human Rights', kind: 'monitor_ngo', scale: 'Local partner-International', reliability: 'C' })],
  [ev('src-iraq-gov', 'SourceRegistered', 'source/iraq-gov', REF, { source_id: 'iraq-gov', name: 'Government of Iraq (spokesperson)', kind: 'official_gov', scale: 'National', reliability: 'C' })],
  [ev('src-iri-telegram', 'SourceRegistered', 'source/iri-telegram', REF, { source_id: 'iri-telegram', name: 'Islamic Resistance in Iraq (Telegram)', kind: 'armed_group_channel', scale: 'New media', reliability: 'E' })],
  [ev('act-iri', 'ActorRegistered', 'actor/iri', REF, { actor_id: 'iri', name: 'Islamic Resistance in Iraq', actor_type: 3 })],
  [
    ev('act-kh', 'ActorRegistered', 'actor/kataib-hezbollah', REF, { actor_id: 'kataib-hezbollah', name: 'Kataib Hezbollah', actor_type: 3, home_country_iso3: 'IRQ' }),
    ev('act-kh-rel', 'ActorRelationAsserted', 'actor/kataib-hezbollah', '2024-01-30T00:00:00Z', {
      from_actor_id: 'kataib-hezbollah',
      to_actor_id: 'iri',
      relation: 'affiliated_with',
      likelihood: 'likely',
      basis: 'analyst',
      source: { source_id: 'reuters' },
    }),
  ],
  [ev('act-iran', 'ActorRegistered', 'actor/iran-state', REF, { actor_id: 'iran-state', name: 'Military Forces of Iran (1989-)', actor_type: 8, home_country_iso3: 'IRN' })],
  [ev('act-usmil', 'ActorRegistered', 'actor/us-mil', REF, { actor_id: 'us-mil', name: 'Military Forces of the United States (2021-)', actor_type: 8, home_country_iso3: 'USA' })],
  // Tower 22 is registered only after the attack is reported (§5.4, §5.8), and re-sent with a corrected admin1;
  // the correction is posted first, the registration it replaces (earlier in logical order) second (§5.2).
  [
    ev('site-t22-fix', 'SiteRegistered', 'site/tower-22', '2024-01-29T06:00:00Z', {
      site_id: 'tower-22',
      names: ['Tower 22'],
      kind: 'base',
      place: { name: 'Tower 22, near Rukban', country_iso3: 'JOR', admin1: 'Mafraq', lat: 33.32, lon: 38.69, precision: 'site' },
      operator_actor_ids: ['us-mil'],
    }),
    ev('site-t22', 'SiteRegistered', 'site/tower-22', '2024-01-29T00:00:00Z', {
      site_id: 'tower-22',
      names: ['Tower 22'],
      kind: 'base',
      place: { name: 'Tower 22', country_iso3: 'JOR', admin1: 'Al-Mafraq', precision: 'site' },
    }),
    ev('site-t22-posture', 'DefensePostureReported', 'site/tower-22', '2024-01-29T06:30:00Z', {
      site_id: 'tower-22',
      system: 'base air defence',
      status: 'degraded',
      at: { local_date: '2024-01-28', tz: 'Asia/Amman', precision: 'day' },
      source: { source_id: 'reuters' },
    }),
  ],
  // Rating an unregistered source does not register it: it stays F (§5.8).
  [ev('src-x-osint-rated', 'SourceReliabilityRated', 'source/x-osint', '2024-01-30T00:00:00Z', { source_id: 'x-osint', reliability: 'A' })],
  [ev('site-shaddadi', 'SiteRegistered', 'site/shaddadi', REF, { site_id: 'shaddadi', names: ['Al-Shaddadi base'], kind: 'base', place: { name: 'Al-Shaddadi', country_iso3: 'SYR', admin1: 'Al-Hasakah', precision: 'site' } })],
  [
    ev('stat-attacks', 'ExternalStatisticReported', 'context/x-attacks-since-oct', '2024-01-29T20:00:00Z', {
      stat_id: 'x-attacks-since-oct',
      metric: 'attacks_on_us_forces',
      value: { low: 165, best: null, high: null, qualifier: 'at_least', raw: 'more than 165 attacks' },
      period: { from: '2023-10-17', to: '2024-01-28' },
      geography: ['IRQ', 'SYR', 'JOR'],
      issuer: 'Pentagon press secretary',
      source: { source_id: 'dod' },
    }),
  ],

  // Tower 22. The retraction of x-osint's claim and w2 (which supersedes w1) are posted before
  // their targets, and reuters' 10:00 claim after dod's 20:00 one (§5.2).
  [
    ev('t22-kx-retract', 'CasualtyClaimRetracted', 'incident/t22-uav', '2024-01-29T09:00:00Z', { claim_id: 'c-t22-kx', scope: { incident_id: 't22-uav' }, reason: 'unsourced figure' }),
    claim('c-t22-kx', { incident_id: 't22-uav' }, '2024-01-28T09:00:00Z', USA_SM('killed'), exact(4), 'x-osint'),
    ev('t22-report', 'IncidentReported', 'incident/t22-uav', '2024-01-28T15:00:00Z', {
      incident_id: 't22-uav',
      kind: 'attack',
      time: { local_date: '2024-01-28', tz: 'Asia/Amman', precision: 'day' },
      place: { site_id: 'tower-22', precision: 'site' },
      method: 'one_way_uav',
      target: { site_id: 'tower-22', facility: 'containerized housing units', target_actor_id: 'us-mil' },
      munitions: exact(1),
      acled: { event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike' },
      source: { source_id: 'dod' },
    }),
    // Same reliability (B) and same time as dod's report → the greater event id wins the best (§5.5).
    ev('t22-z-munitions', 'MunitionCountReported', 'incident/t22-uav', '2024-01-28T15:00:00Z', { incident_id: 't22-uav', munitions: exact(2), source: { source_id: 'centcom' } }),
    ev('t22-claim', 'ResponsibilityClaimed', 'incident/t22-uav', '2024-01-28T10:00:00Z', { incident_id: 't22-uav', actor_id: 'iri', channel: 'Telegram', claimed_target_name: 'Rukban base', source: { source_id: 'iri-telegram' } }),
    // Same claim_id, later time, posted first: the first in logical order wins (§5.2).
    ev('t22-k-dup', 'CasualtyReported', 'incident/t22-uav', '2024-01-28T19:00:00Z', { claim_id: 'c-t22-k', scope: { incident_id: 't22-uav' }, segment: USA_SM('killed'), count: exact(30), mode: 'total', source: { source_id: 'dod' } }),
    claim('c-t22-k', { incident_id: 't22-uav' }, '2024-01-28T18:00:00Z', USA_SM('killed'), exact(3), 'dod'),
    claim('c-t22-w2', { incident_id: 't22-uav' }, '2024-01-29T20:00:00Z', USA_SM('wounded_or_injured'), exact(34), 'dod', { supersedes_claim_id: 'c-t22-w1' }),
    claim('c-t22-w1', { incident_id: 't22-uav' }, '2024-01-28T18:00:00Z', USA_SM('wounded_or_injured'), { low: 25, best: null, high: null, qualifier: 'at_least', raw: 'more than 25' }, 'dod'),
    ev('t22-damage', 'DamageReported', 'incident/t22-uav', '2024-01-28T18:00:00Z', { incident_id: 't22-uav', object: 'facility', extent: 'significant', source: { source_id: 'dod' } }),
    claim('c-t22-w-reuters', { incident_id: 't22-uav' }, '2024-01-29T20:00:00.500Z', USA_SM('wounded_or_injured'), { low: 25, best: 30, high: 35, qualifier: 'approx' }, 'reuters'),
    ev('t22-denied', 'ResponsibilityDenied', 'incident/t22-uav', '2024-01-29T08:00:00Z', { incident_id: 't22-uav', actor_id: 'iran-state', source: { source_id: 'reuters' } }),
    ev('t22-intercept', 'InterceptionReported', 'incident/t22-uav', '2024-01-29T20:00:00Z', { incident_id: 't22-uav', intercepted: exact(0), source: { source_id: 'dod' } }),
    ev('t22-a-iri-dup', 'AttributionAsserted', 'incident/t22-uav', '2024-01-29T19:00:00Z', {
      assertion_id: 'a-t22-iri',
      incident_id: 't22-uav',
      actor_id: 'iri',
      role: 'perpetrator',
      basis: 'official_assessment',
      likelihood: 'almost_certain',
      source: { source_id: 'dod' },
    }),
    ev('t22-a-iri', 'AttributionAsserted', 'incident/t22-uav', '2024-01-29T18:00:00Z', {
      assertion_id: 'a-t22-iri',
      incident_id: 't22-uav',
      actor_id: 'iri',
      role: 'perpetrator',
      basis: 'official_assessment',
      likelihood: 'likely',
      as_stated: 'radical Iran-backed militant groups operating in Syria and Iraq',
      source: { source_id: 'dod' },
    }),
    ev('t22-amend', 'IncidentAmended', 'incident/t22-uav', '2024-01-30T12:00:00Z', {
      incident_id: 't22-uav',
      changes: { time: { start: '2024-01-28T02:30:30Z', local_date: '2024-01-28', tz: 'Asia/Amman', precision: 'minute' } },
      reason: 'DoD gave the time of the strike',
      source: { source_id: 'dod' },
    }),
    ev('t22-a-kh', 'AttributionAsserted', 'incident/t22-uav', '2024-01-30T18:00:00Z', {
      assertion_id: 'a-t22-kh',
      incident_id: 't22-uav',
      actor_id: 'kataib-hezbollah',
      role: 'perpetrator',
      basis: 'official_assessment',
      likelihood: 'very_likely',
      as_stated: 'it bears the footprints of Kataib Hezbollah',
      source: { source_id: 'dod' },
    }),
    ev('t22-a-mat', 'AttributionAsserted', 'incident/t22-uav', '2024-01-30T18:00:00Z', {
      assertion_id: 'a-t22-mat',
      incident_id: 't22-uav',
      actor_id: 'iran-state',
      role: 'materiel_origin',
      basis: 'intelligence_assessment',
      likelihood: 'likely',
      source: { source_id: 'dod' },
    }),
    ev('t22-a-irn', 'AttributionAsserted', 'incident/t22-uav', '2024-01-31T00:00:00Z', {
      assertion_id: 'a-t22-irn',
      incident_id: 't22-uav',
      actor_id: 'iran-state',
      role: 'perpetrator',
      basis: 'analyst',
      likelihood: 'very_likely',
      source: { source_id: 'x-osint' },
    }),
    // A merge entered in error (t22 into the report already merged into it: a loop), undone 4 hours later;
    // the reinstatement is posted first.
    ev('t22-reinstated', 'IncidentReinstated', 'incident/t22-uav', '2024-01-31T06:00:00Z', { incident_id: 't22-uav', reason: 'merge entered in error', source: { source_id: 'dod' } }),
    ev('t22-merged-wrong', 'IncidentMerged', 'incident/t22-uav', '2024-01-31T02:00:00Z', { incident_id: 't22-uav', into_incident_id: 'rukban-uav-claimed', reason: 'duplicate_report' }),
    claim('c-t22-w4', { incident_id: 't22-uav' }, '2024-01-31T15:00:00Z', USA_SM('wounded_or_injured'), exact(6), 'dod', { mode: 'delta' }),
    ev('t22-a-kh-withdrawn', 'AttributionWithdrawn', 'incident/t22-uav', '2024-02-03T00:00:00Z', { assertion_id: 'a-t22-kh', incident_id: 't22-uav', reason: 'single-source assessment not confirmed' }),
    claim('c-t22-tbi', { incident_id: 't22-uav' }, '2024-02-05T16:00:00Z', USA_SM('injured_tbi'), exact(8), 'dod', { mode: 'delta', diagnosed_at: '2024-02-05' }),
  ],

  // A duplicate report of the same attack placed at Rukban (Syria); the merge is posted before
  // the report it merges (§5.2: it still applies once the report arrives).
  [
    ev('rk-merged-early', 'IncidentMerged', 'incident/rukban-uav-claimed', '2024-01-29T00:00:00Z', { incident_id: 'rukban-uav-claimed', into_incident_id: 't22-uav', reason: 'duplicate_report' }),
    ev('rk-reinstated', 'IncidentReinstated', 'incident/rukban-uav-claimed', '2024-01-29T12:00:00Z', { incident_id: 'rukban-uav-claimed', reason: 'the claim may describe a separate attack on Rukban' }),
    ev('rk-merged', 'IncidentMerged', 'incident/rukban-uav-claimed', '2024-01-30T13:00:00Z', { incident_id: 'rukban-uav-claimed', into_incident_id: 't22-uav', reason: 'duplicate_report' }),
    ev('rk-report', 'IncidentReported', 'incident/rukban-uav-claimed', '2024-01-28T11:00:00Z', {
      incident_id: 'rukban-uav-claimed',
      kind: 'attack',
      time: { local_date: '2024-01-28', tz: 'Asia/Damascus', precision: 'day' },
      place: { name: 'Rukban base', country_iso3: 'SYR', admin1: 'Homs', precision: 'near_site' },
      method: 'one_way_uav',
      munitions: { low: null, best: 2, high: null, qualifier: 'approx', raw: 'drones' },
      source: { source_id: 'iri-telegram' },
    }),
    claim('c-rk-k', { incident_id: 'rukban-uav-claimed' }, '2024-01-28T11:30:00Z', USA_SM('killed'), exact(5), 'iri-telegram'),
    // An adopted estimate on the duplicate: ignored once it is merged (§5.3), so it never reaches t22.
    ev('rk-adopt', 'CasualtyEstimateAdopted', 'incident/rukban-uav-claimed', '2024-01-30T20:00:00Z', {
      scope: { incident_id: 'rukban-uav-claimed' },
      segment: USA_SM('killed'),
      count: { low: 10, best: 10, high: 10, qualifier: 'exact' },
      policy: 'editorial',
    }),
  ],

  // A claimed rocket attack on Shaddadi, retracted the next day.
  [
    ev('sh-report', 'IncidentReported', 'incident/shaddadi-rockets', '2024-01-28T12:00:00Z', {
      incident_id: 'shaddadi-rockets',
      kind: 'attack',
      time: { local_date: '2024-01-28', tz: 'Asia/Damascus', precision: 'day' },
      place: { site_id: 'shaddadi', precision: 'site' },
      method: 'rocket',
      munitions: { low: null, best: 4, high: null, qualifier: 'approx' },
      source: { source_id: 'iri-telegram' },
    }),
    claim('c-x-w', { incident_id: 'shaddadi-rockets' }, '2024-01-28T13:00:00Z', USA_SM('wounded'), exact(8), 'x-osint'),
    ev('sh-retracted', 'IncidentRetracted', 'incident/shaddadi-rockets', '2024-01-29T12:00:00Z', { incident_id: 'shaddadi-rockets', reason: 'did_not_occur', source: { source_id: 'dod' } }),
    // The claim moves to the Rukban report, and with its (final) merge to t22 (§5.5 claim scope, resolved through merges).
    ev('sh-reassign', 'CasualtyClaimReassigned', 'incident/shaddadi-rockets', '2024-01-29T18:00:00Z', { claim_id: 'c-x-w', from_incident_id: 'shaddadi-rockets', to_incident_id: 'rukban-uav-claimed' }),
  ],

  // The US strikes of 2 Feb 2024 (21:00Z = 00:00 on 3 Feb local time).
  [
    ev('aq-report', 'IncidentReported', 'incident/s-alqaim', '2024-02-02T23:00:00Z', {
      incident_id: 's-alqaim',
      kind: 'response_strike',
      operation_id: OP,
      time: { start: '2024-02-02T21:00:00Z', local_date: '2024-02-03', tz: 'Asia/Baghdad', precision: 'hour' },
      place: { name: "Al-Qa'im", country_iso3: 'IRQ', admin1: 'Anbar', admin2: "Al-Qa'im", precision: 'adm2' },
      method: 'airstrike_fixed_wing',
      platform: 'B-1B',
      target: { target_actor_id: 'iri' },
      source: { source_id: 'centcom' },
    }),
    claim('c-aq-k', { incident_id: 's-alqaim' }, '2024-02-03T12:00:00Z', MILITANT('killed', 'IRQ'), exact(16), 'iraq-gov'),
    claim('c-aq-k-sohr', { incident_id: 's-alqaim' }, '2024-02-03T12:00:00Z', { ...MILITANT('killed', 'IRQ'), affiliation_actor_id: 'kataib-hezbollah' }, exact(14), 'sohr'),
    // The retraction of c-aq-k2 is posted before it; retracting the superseding claim revives c-aq-k (§5.5).
    ev('aq-k2-retract', 'CasualtyClaimRetracted', 'incident/s-alqaim', '2024-02-05T08:00:00Z', { claim_id: 'c-aq-k2', scope: { incident_id: 's-alqaim' }, reason: 'figure withdrawn by the spokesperson' }),
    claim('c-aq-k2', { incident_id: 's-alqaim' }, '2024-02-04T08:00:00Z', MILITANT('killed', 'IRQ'), exact(17), 'iraq-gov', { supersedes_claim_id: 'c-aq-k' }),
    claim('c-aq-civ-vague', { incident_id: 's-alqaim' }, '2024-02-03T12:00:00Z', { side: 'third_party', nationality_iso3: 'IRQ', role: 'civilian', outcome: 'killed' }, { low: null, best: null, high: null, qualifier: 'vague', raw: 'civilians among the dead' }, 'iraq-gov'),
    ev('aq-amend', 'IncidentAmended', 'incident/s-alqaim', '2024-02-04T06:00:00Z', { incident_id: 's-alqaim', changes: { target: null }, reason: 'target not confirmed', source: { source_id: 'centcom' } }),
    claim('c-aq-civ-2', { incident_id: 's-alqaim' }, '2024-02-04T09:00:00Z', { side: 'third_party', nationality_iso3: 'IRQ', role: 'civilian', outcome: 'killed' }, exact(2), 'x-local'),
  ],
  [
    // The reassignment is posted before the claim it moves (§5.2).
    ev('ak-reassign', 'CasualtyClaimReassigned', 'incident/s-akashat', '2024-02-04T12:00:00Z', { claim_id: 'c-ak-w', from_incident_id: 's-akashat', to_incident_id: 's-alqaim', source: { source_id: 'iraq-gov' } }),
    // Retracted at 09:00Z, reinstated at 15:00Z; posted reinstatement first (§5.2, §5.3 logical order).
    ev('ak-reinstated', 'IncidentReinstated', 'incident/s-akashat', '2024-02-03T15:00:00Z', { incident_id: 's-akashat', reason: 'date confirmed within the week of 29 January', source: { source_id: 'iraq-gov' } }),
    ev('ak-report', 'IncidentReported', 'incident/s-akashat', '2024-02-03T06:00:00Z', {
      incident_id: 's-akashat',
      kind: 'response_strike',
      operation_id: OP,
      time: { local_date: '2024-02-01', tz: 'Asia/Baghdad', precision: 'week' },
      place: { name: 'Akashat', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'adm1' },
      method: 'airstrike_fixed_wing',
      source: { source_id: 'iraq-gov' },
    }),
    ev('ak-retracted', 'IncidentRetracted', 'incident/s-akashat', '2024-02-03T09:00:00Z', { incident_id: 's-akashat', reason: 'misdated', source: { source_id: 'iraq-gov' } }),
    claim('c-ak-w', { incident_id: 's-akashat' }, '2024-02-03T12:00:00Z', MILITANT('wounded', 'IRQ'), exact(25), 'iraq-gov'),
  ],
  [
    // A second IncidentReported for the same id, later in logical order but posted first:
    // it contributes nothing (§5.2), in particular not its munitions or method.
    ev('bk-report-dup', 'IncidentReported', 'incident/s-bukamal', '2024-02-03T08:00:00Z', {
      incident_id: 's-bukamal',
      kind: 'response_strike',
      operation_id: OP,
      time: { local_date: '2024-02-02', tz: 'Asia/Damascus', precision: 'day' },
      place: { name: 'Al-Bukamal', country_iso3: 'SYR', admin1: 'Deir ez-Zor', precision: 'adm1' },
      method: 'rotary_wing',
      munitions: exact(6),
      source: { source_id: 'sohr' },
    }),
    ev('bk-report', 'IncidentReported', 'incident/s-bukamal', '2024-02-03T02:00:00Z', {
      incident_id: 's-bukamal',
      kind: 'response_strike',
      operation_id: OP,
      time: { local_date: '2024-02-03', tz: 'Asia/Damascus', precision: 'day' },
      place: { name: 'Al-Bukamal', country_iso3: 'SYR', admin1: 'Deir ez-Zor', admin2: 'Al-Bukamal', precision: 'adm2' },
      method: 'airstrike_fixed_wing',
      source: { source_id: 'centcom' },
    }),
    // An amendment whose time precedes the report's still applies, in logical order (§5.3).
    ev('bk-amend', 'IncidentAmended', 'incident/s-bukamal', '2024-02-03T01:00:00Z', { incident_id: 's-bukamal', changes: { platform: 'F-15E' }, reason: 'platform from the first CENTCOM note', source: { source_id: 'centcom' } }),
    claim('c-bk-1', { incident_id: 's-bukamal' }, '2024-02-03T06:00:00Z', MILITANT('killed'), exact(18), 'sohr'),
    claim('c-bk-2', { incident_id: 's-bukamal' }, '2024-02-03T20:00:00Z', MILITANT('killed'), { low: 5, best: 5, high: null, qualifier: 'at_least' }, 'sohr', { mode: 'delta' }),
  ],
  [
    // Adoption posted before the claim it follows in time.
    ev('op-adopt', 'CasualtyEstimateAdopted', `operation/${OP}`, '2024-02-06T10:00:00Z', {
      scope: { operation_id: OP },
      segment: MILITANT('killed'),
      count: { low: 23, best: 34, high: 45, qualifier: 'approx' },
      policy: 'editorial',
      claim_ids: ['c-bk-1', 'c-bk-2', 'c-op-k'],
    }),
    // A second content for the same (source, id), posted first: the variant whose canonical JSON sorts first
    // ("best":39 < "best":41) is the one applied, whatever the arrival order (§5.1).
    claim('c-op-k', { operation_id: OP }, '2024-02-04T10:00:00Z', MILITANT('killed'), { low: null, best: 41, high: null, qualifier: 'approx', raw: 'nearly 40 killed' }, 'reuters'),
    claim('c-op-k', { operation_id: OP }, '2024-02-04T10:00:00Z', MILITANT('killed'), { low: null, best: 39, high: null, qualifier: 'approx', raw: 'nearly 40 killed' }, 'reuters'),
    // An earlier adoption posted after the later one: the latest by time is the figure (§5.5).
    ev('op-adopt-early', 'CasualtyEstimateAdopted', `operation/${OP}`, '2024-02-05T20:00:00Z', {
      scope: { operation_id: OP },
      segment: MILITANT('killed'),
      count: { low: 30, best: 39, high: 41, qualifier: 'approx' },
      policy: 'ucdp_best',
    }),
    claim('c-op-sohr', { operation_id: OP }, '2024-02-05T06:00:00Z', MILITANT('killed'), exact(30), 'sohr'),
    // An operation-level umbrella: covers s-alqaim's militant wounded IRQ (§5.6, both conditions at once).
    claim('c-op-woi', { operation_id: OP }, '2024-02-05T12:00:00Z', MILITANT('wounded_or_injured', 'IRQ'), exact(30), 'iraq-gov'),
  ],
  [
    ev('link-0202', 'ResponseLinked', 'link/rl-0202', '2024-02-02T22:00:00Z', {
      link_id: 'rl-0202',
      response_operation_id: OP,
      trigger_incident_ids: ['t22-uav'],
      also_cites: 'attacks on US forces since October',
      basis: 'self_declared',
      likelihood: 'almost_certain',
      source: { source_id: 'dod' },
    }),
  ],
  [
    ev('link-misdated', 'ResponseLinked', 'link/rl-misdated', '2024-02-04T00:00:00Z', {
      link_id: 'rl-misdated',
      response_incident_ids: ['t22-uav'],
      trigger_incident_ids: ['s-alqaim'],
      basis: 'inference',
      likelihood: 'almost_no_chance',
      source: { source_id: 'x-osint' },
    }),
  ],
  [
    ev('link-sh', 'ResponseLinked', 'link/rl-sh', '2024-02-03T01:00:00Z', {
      link_id: 'rl-sh',
      response_incident_ids: ['s-alqaim'],
      trigger_incident_ids: ['shaddadi-rockets'],
      basis: 'inference',
      likelihood: 'unlikely',
      source: { source_id: 'x-osint' },
    }),
  ],
  [
    ev('link-claimed', 'ResponseLinked', 'link/rl-claimed', '2024-02-03T10:00:00Z', {
      link_id: 'rl-claimed',
      response_incident_ids: ['s-bukamal'],
      trigger_incident_ids: ['rukban-uav-claimed'],
      basis: 'media',
      likelihood: 'roughly_even',
      source: { source_id: 'reuters' },
    }),
    ev('link-claimed-removed', 'ResponseLinkRemoved', 'link/rl-claimed', '2024-02-04T10:00:00Z', { link_id: 'rl-claimed', reason: 'no source ties the strike to the Rukban report' }),
  ],
];

const ALL_EVENTS = streams.flat();
const REPOSTED = 'aud-c-bk-2'; // posted twice; counts once (§1, §5.1)

// ---------------------------------------------------------------------------------------------
// Stack
// ---------------------------------------------------------------------------------------------

const audit = auditSuite(streams, REPOSTED, 20240128);
const get = audit.get;
const fig = (c: Figure) => `${c.role}/${c.outcome}/${c.nationality ?? '-'} ${c.low} / ${c.best} / ${c.high} ${c.source}${c.covered ? ' covered' : ''}${c.covered_by_operation ? ' covered_by_operation' : ''}`;
const id = (s: string) => s.replace(/^aud-/, '');

// ---------------------------------------------------------------------------------------------

it('posted the events in an order that is not time-sorted (the harness checks the rest)', () => {
  const times = audit.stack().postedOrder.map((e) => Date.parse(e.time));
  expect(times.some((t, i) => i > 0 && t < times[i - 1]!)).toBe(true);
  expect(audit.stack().postedOrder.filter((e) => e.id === 'aud-c-op-k').map((e) => (e.data.count as { best: number }).best)).toEqual([41, 39]);
});

describe('GET /v1/incidents', () => {
  it('lists every incident with status, merge pointer, effective fields and figures (final)', async () => {
    const body = await get<{ items: Summary[] }>('/v1/incidents?status=all&sort=id&limit=500');
    expect(
      body.items.map((r) => [r.incident_id, r.status, r.merged_into, r.counted, `${r.kind}/${r.method}`, `${r.local_date} (${r.time_precision})`, `${r.place_precision}/${r.site_id ?? '-'}/${r.country_iso3}/${r.admin1}`, r.operation_id, r.counted ? lbh(r.munitions) : '-', lbh(r.intercepted), r.top_perpetrator, r.has_casualties, r.has_discrepancy]),
    ).toEqual([
      // §5.3: merged, counted nowhere; its own time and place are kept on its row.
      ['rukban-uav-claimed', 'merged', 't22-uav', false, 'attack/one_way_uav', '2024-01-28 (day)', 'near_site/-/SYR/Homs', null, '-', null, null, false, false],
      // §3.2 week precision: local_date is the Thursday of 2024-W05. No claims left after the reassignment (§5.5) → no casualties. Munitions: no claim → unknown.
      ['s-akashat', 'active', null, true, 'response_strike/airstrike_fixed_wing', '2024-02-01 (week)', 'adm1/-/IRQ/Anbar', OP, null, null, null, false, false],
      // §3.2: 21:00Z on 2 Feb is 00:00 on 3 Feb in Asia/Baghdad.
      // has_discrepancy: militant killed IRQ, iraq-gov 16 vs sohr 14 (§6).
      ['s-alqaim', 'active', null, true, 'response_strike/airstrike_fixed_wing', '2024-02-03 (hour)', 'adm2/-/IRQ/Anbar', OP, null, null, null, true, true],
      // §5.2: the later duplicate IncidentReported (rotary_wing, 6 munitions, adm1) contributes nothing.
      // The operation's flagged discrepancy (reuters 39 vs sohr 30) does not propagate to members (§6).
      ['s-bukamal', 'active', null, true, 'response_strike/airstrike_fixed_wing', '2024-02-03 (day)', 'adm2/-/SYR/Deir ez-Zor', OP, null, null, null, true, false],
      // §5.3 retracted: row kept, not counted.
      ['shaddadi-rockets', 'retracted', null, false, 'attack/rocket', '2024-01-28 (day)', 'site/shaddadi/SYR/Al-Hasakah', null, '-', null, null, false, false],
      // §5.3 amendment → minute precision; §3.3 place from the site; §5.5 munitions dod 1 (B), centcom 2 (B), iri-telegram
      // 2 (E, via merge) → low 1, high 2; best: dod and centcom tie on B and on time → greater event id (t22-z-munitions) → 2;
      // intercepted dod 0; §5.9 top perpetrator: a-t22-kh withdrawn →
      // a-t22-irn (very_likely) beats a-t22-iri (likely); discrepancies in munitions, killed and wounded_or_injured (§6).
      ['t22-uav', 'active', null, true, 'attack/one_way_uav', '2024-01-28 (minute)', 'site/tower-22/JOR/Mafraq', null, '1 / 2 / 2', '0 / 0 / 0', 'iran-state', true, true],
    ]);
  });

  it.each([
    ['', ['s-akashat', 's-alqaim', 's-bukamal', 't22-uav']], // default status=active (README)
    ['status=merged', ['rukban-uav-claimed']],
    ['status=retracted', ['shaddadi-rockets']],
    [`operation=${OP}`, ['s-akashat', 's-alqaim', 's-bukamal']], // §5.3 members
    ['country=IRQ', ['s-akashat', 's-alqaim']],
    ['country=JOR', ['t22-uav']], // country taken from the site (§3.3)
    ['admin1=SYR/Deir%20ez-Zor', ['s-bukamal']],
    ['site=tower-22', ['t22-uav']],
    ['hasCasualties=false', ['s-akashat']], // the reassignment left s-akashat without figures (§5.5)
    ['perpetrator=none', ['s-akashat', 's-alqaim', 's-bukamal']],
    ['perpetrator=iran-state&minLikelihood=very_likely', ['t22-uav']],
    ['from=2024-02-01&to=2024-02-03', ['s-akashat', 's-alqaim', 's-bukamal']],
  ])('filters %s', async (q, ids) => {
    const body = await get<{ items: Summary[] }>(`/v1/incidents?sort=id${q ? `&${q}` : ''}`);
    expect(body.items.map((r) => r.incident_id)).toEqual(ids);
  });

  it('as of 2024-01-28T12:00Z: t22 is not reported yet (its claim waits as unreported, §5.2); the Rukban and Shaddadi reports are active', async () => {
    const body = await get<{ items: Summary[] }>('/v1/incidents?status=all&sort=id&asOf=2024-01-28T12:00:00Z');
    expect(body.items.map((r) => [r.incident_id, r.status, r.counted, lbh(r.munitions)])).toEqual([
      // §5.5: approx {null, 2, null} → low = min(low ?? best) = 2, high = max(high ?? best) = 2.
      ['rukban-uav-claimed', 'active', true, '2 / 2 / 2'],
      ['shaddadi-rockets', 'active', true, '4 / 4 / 4'],
      // §5.2: x-osint's claim (09:00Z) names t22-uav before its report (15:00Z) → an unreported row.
      ['t22-uav', 'unreported', false, null],
    ]);
  });
});

describe('GET /v1/incidents/{id}', () => {
  it('t22-uav: figures behind each key, covering, merge, attribution, responses, damage (final)', async () => {
    const d = await get<Detail>('/v1/incidents/t22-uav');
    expect(d.incident).toMatchObject({ status: 'active', time_precision: 'minute', local_date: '2024-01-28', amendment_count: 1, top_perpetrator: 'iran-state', top_perpetrator_likelihood: 'very_likely' });
    expect(Date.parse(d.incident.time_start!)).toBe(Date.parse('2024-01-28T02:30:30Z'));
    expect(d.merged_into).toBeNull();

    // §5.5 munitions: every IncidentReported.munitions is a total claim, the merged report's too (§5.3, via_merge).
    expect(lbh(d.munitions.figure)).toBe('1 / 2 / 2');
    expect(d.munitions.claims.map((c) => [c.source_id, c.reliability, c.best, c.via_merge]).sort()).toEqual([
      ['centcom', 'B', 2, false],
      ['dod', 'B', 1, false],
      ['iri-telegram', 'E', 2, true],
    ]);
    expect(lbh(d.intercepted.figure)).toBe('0 / 0 / 0');

    expect(d.casualties.map(fig).sort()).toEqual(
      [
        // killed: dod 3 (B); x-osint 4 retracted → left out; iri-telegram 5 (E, via merge). low 3, high 5, best from B = 3.
        'service_member/killed/USA 3 / 3 / 5 default',
        // wounded_or_injured: dod series w1 superseded by w2 → [w2 total 34, w4 delta +6] = 40; reuters 25/30/35.
        // low min(40,25)=25, high max(40,35)=40; best: reuters re-rated A (8 Feb) beats dod B → 30.
        'service_member/wounded_or_injured/USA 25 / 30 / 40 default',
        // injured_tbi: a delta without a base starts from 0 → 8; covered by the umbrella of the same incident (§5.6).
        'service_member/injured_tbi/USA 8 / 8 / 8 default covered',
        // x-osint's claim, reassigned from Shaddadi to the Rukban report, hence (merge) to t22; covered likewise.
        'service_member/wounded/USA 8 / 8 / 8 default covered',
      ].sort(),
    );
    const byOutcome = (o: string) => d.casualties.find((c) => c.outcome === o)!;
    expect(byOutcome('wounded').claims.map((c) => [c.source_id, c.reliability, c.best, c.via_merge])).toEqual([['x-osint', 'F', 8, true]]);
    // The adoption on the merged report (killed 10) is ignored: the figure stays the default (§5.3).
    expect(byOutcome('killed').claims.map((c) => [c.source_id, c.best, c.via_merge]).sort()).toEqual([
      ['dod', 3, false],
      ['iri-telegram', 5, true],
    ]);
    expect(byOutcome('wounded_or_injured').claims.map((c) => [c.source_id, c.reliability, `${c.low} / ${c.best} / ${c.high}`]).sort()).toEqual([
      ['dod', 'B', '40 / 40 / 40'],
      ['reuters', 'A', '25 / 30 / 35'],
    ]);
    expect(byOutcome('injured_tbi').delta_without_base).toBe(true);
    expect(byOutcome('wounded_or_injured').side).toBe('target');
    expect(byOutcome('wounded_or_injured').affiliation_actor_id).toBe('us-mil');

    // §5.9: the denial and the claim stay lists; KH withdrawn; materiel origin separate from the perpetrator.
    expect(d.attribution).toMatchObject({
      top_perpetrator: { actor_id: 'iran-state', likelihood: 'very_likely' },
      materiel_origin: { actor_id: 'iran-state', likelihood: 'likely' },
      claimed_by: ['iri'],
      denied_by: ['iran-state'],
    });
    // §5.9 lag: t22 start 2024-01-28T02:30:30Z (minute, amended); operation start = earliest minute/hour start of its
    // members = s-alqaim 2024-02-02T21:00Z → 5 d 18 h 29 min 30 s = 8309.5 min → floor 8309. rl-claimed was removed.
    expect(d.responses.triggered.map((e) => [e.link_id, e.response.kind, e.response.id, e.lag_minutes])).toEqual([['rl-0202', 'operation', OP, 8309]]);
    // rl-misdated (x-osint) makes s-alqaim the trigger of t22: −8309.5 min → floor −8310 (not −8309).
    expect(d.responses.answered.map((e) => [e.link_id, e.trigger.incident_id, e.lag_minutes])).toEqual([['rl-misdated', 's-alqaim', -8310]]);
    expect(d.damage.map((x) => [x.object, x.extent, x.source_id])).toEqual([['facility', 'significant', 'dod']]);
    // §6 source_discrepancies: two or more sources with different non-null best.
    expect(d.discrepancies.map((x) => `${x.scope_kind}/${x.field}`).sort()).toEqual(
      ['incident/casualties:service_member/killed/USA', 'incident/casualties:service_member/wounded_or_injured/USA', 'incident/munitions'].sort(),
    );
  });

  it('t22-uav timeline: logical order, merged report via_merge, superseded and retracted claims included (§5.2, §6)', async () => {
    const d = await get<Detail>('/v1/incidents/t22-uav');
    // rl-claimed and sh-reassign only name the merged incident; whether they belong here is not spelled out, so they are
    // left out of the comparison.
    const rows = d.timeline
      .filter((t) => !['aud-link-claimed', 'aud-sh-reassign'].includes(t.event_id))
      .map((t) => `${id(t.event_id)}${t.via_merge ? '*' : ''}${t.superseded ? ' superseded' : ''}${t.retracted ? ' retracted' : ''}${t.duplicate_entity ? ' duplicate' : ''}`);
    expect(rows).toEqual([
      'c-t22-kx retracted', // 01-28 09:00
      't22-claim', // 10:00
      'rk-report*', // 11:00
      'c-rk-k*', // 11:30
      't22-report', // 15:00
      't22-z-munitions', // 15:00, ties by id
      'c-t22-k', // 18:00
      'c-t22-w1 superseded',
      't22-damage',
      't22-k-dup duplicate', // 19:00, same claim_id as c-t22-k
      'rk-merged-early', // 01-29 00:00 (names t22-uav as into_incident_id)
      't22-denied', // 08:00
      't22-kx-retract', // 09:00
      'rk-reinstated*', // 12:00 (an event of the merged incident)
      't22-a-iri', // 18:00
      't22-a-iri-dup duplicate', // 19:00, same assertion_id
      'c-t22-w2', // 20:00:00
      't22-intercept',
      'c-t22-w-reuters', // 20:00:00.5 (instant order, not string order)
      't22-amend', // 01-30 12:00
      'rk-merged', // 13:00
      't22-a-kh', // 18:00
      't22-a-mat',
      'rk-adopt*', // 20:00 (an event of the merged incident)
      't22-a-irn', // 01-31 00:00
      't22-merged-wrong', // 02:00
      't22-reinstated', // 06:00
      'c-t22-w4', // 15:00
      'link-0202', // 02-02 22:00 (names t22-uav as trigger)
      't22-a-kh-withdrawn', // 02-03 00:00
      'link-misdated', // 02-04 00:00 (names t22-uav as response)
      'c-t22-tbi', // 02-05 16:00
    ]);
    // §6: each entry carries its source's reliability as of the evaluation instant (reuters A now, B on 7 Feb).
    expect(d.timeline.find((t) => t.event_id === 'aud-c-t22-w-reuters')?.source_reliability).toBe('A');
    const before = await get<Detail>('/v1/incidents/t22-uav?asOf=2024-02-07T00:00:00Z');
    expect(before.timeline.find((t) => t.event_id === 'aud-c-t22-w-reuters')?.source_reliability).toBe('B');
  });

  it('t22-uav as of earlier instants gives the figures as they stood (§5.7)', async () => {
    const at = async (asOf: string) => {
      const d = await get<Detail>(`/v1/incidents/t22-uav?asOf=${asOf}`);
      return { d, figs: d.casualties.map(fig).sort() };
    };
    // 28 Jan 20:00Z: killed dod 3 + x-osint 4 (not yet retracted, unregistered = F) → 3 / 3 / 4; Rukban not merged yet.
    // wounded_or_injured: only w1 at_least 25 → low 25, best and high unknown (null).
    const a = await at('2024-01-28T20:00:00Z');
    expect(a.figs).toEqual(['service_member/killed/USA 3 / 3 / 4 default', 'service_member/wounded_or_injured/USA 25 / null / null default']);
    // tower-22 is not registered yet: the site is kept, but no admin1 or country (§5.8).
    expect(a.d.incident).toMatchObject({ time_precision: 'day', time_start: null, site_id: 'tower-22', site_registered: false, country_iso3: null, admin1: null });
    expect(lbh(a.d.munitions.figure)).toBe('1 / 2 / 2'); // dod 1, centcom 2

    // 29 Jan 06:00Z: Rukban merged (early merge at 00:00Z) → its 5 is a series here; x-osint 4 not yet retracted.
    // killed: dod 3 (B), x-osint 4 (F), iri-telegram 5 (E) → 3 / 3 / 5.
    const m = await at('2024-01-29T06:00:00Z');
    expect(m.figs).toEqual(['service_member/killed/USA 3 / 3 / 5 default', 'service_member/wounded_or_injured/USA 25 / null / null default']);
    expect(lbh(m.d.munitions.figure)).toBe('1 / 2 / 2');

    // asOf = 29 Jan 20:00:00Z exactly: w2 (20:00:00) is in (time ≤ T), reuters (20:00:00.5) is not → 34 / 34 / 34.
    // Rukban reinstated at 12:00Z → its 5 is no longer here.
    const w = await at('2024-01-29T20:00:00Z');
    expect(w.figs).toEqual(['service_member/killed/USA 3 / 3 / 3 default', 'service_member/wounded_or_injured/USA 34 / 34 / 34 default']);

    // 30 Jan 00:00Z: x-osint retracted; w2 34 supersedes w1; reuters 25/30/35 (B). Tie on B → the series whose last
    // claim is latest as an instant: reuters (20:00:00.5) beats dod w2 (20:00:00) → 25 / 30 / 35.
    // Top perpetrator: only a-t22-iri (likely); its almost_certain duplicate contributes nothing (§5.2).
    const b = await at('2024-01-30T00:00:00Z');
    expect(b.figs).toEqual(['service_member/killed/USA 3 / 3 / 3 default', 'service_member/wounded_or_injured/USA 25 / 30 / 35 default']);
    expect(b.d.attribution.top_perpetrator).toEqual({ actor_id: 'iri', likelihood: 'likely' });
    expect(b.d.incident.time_precision).toBe('day'); // the amendment is at 12:00Z on 30 Jan

    // 1 Feb 00:00Z: merged (Rukban's 5 via merge), w4 +6 → dod 40, best still dod (B tie, later). Top perpetrator:
    // a-t22-kh (dod, B) and a-t22-irn (x-osint, unregistered → F although rated A, §5.8) are both very_likely →
    // reliability decides: KH.
    const c = await at('2024-02-01T00:00:00Z');
    expect(c.figs).toEqual(['service_member/killed/USA 3 / 3 / 5 default', 'service_member/wounded/USA 8 / 8 / 8 default covered', 'service_member/wounded_or_injured/USA 25 / 40 / 40 default']);
    expect(c.d.attribution.top_perpetrator).toEqual({ actor_id: 'kataib-hezbollah', likelihood: 'very_likely' });
    expect(lbh(c.d.munitions.figure)).toBe('1 / 2 / 2');

    // 7 Feb: TBI added (covered); reuters still B → best 40.
    const e = await at('2024-02-07T00:00:00Z');
    expect(e.figs).toEqual([
      'service_member/injured_tbi/USA 8 / 8 / 8 default covered',
      'service_member/killed/USA 3 / 3 / 5 default',
      'service_member/wounded/USA 8 / 8 / 8 default covered',
      'service_member/wounded_or_injured/USA 25 / 40 / 40 default',
    ]);
  });

  it('the merged report answers with its own row and a pointer to the survivor (§5.3, README)', async () => {
    const res = await request(`${audit.stack().url}/v1/incidents/rukban-uav-claimed?position=${audit.stack().position}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('link')).toBe('</v1/incidents/t22-uav>; rel="canonical"');
    const d = res.body as Detail;
    expect(d.incident).toMatchObject({ status: 'merged', merged_into: 't22-uav', counted: false });
    expect(d.merged_into).toEqual({ incident_id: 't22-uav', href: '/v1/incidents/t22-uav' });
    // Its whole timeline is kept (§5.3): report, claim, merge (logical order, not posting order), and the link naming it.
    expect(d.timeline.map((t) => id(t.event_id))).toEqual(['rk-report', 'c-rk-k', 'rk-merged-early', 'rk-reinstated', 'sh-reassign', 'rk-merged', 'rk-adopt', 't22-merged-wrong', 'link-claimed']);
    // The lifecycle: merged from 29 Jan 00:00Z, active again from 12:00Z (reinstated), merged from 30 Jan 13:00Z (§5.3).
    const status = async (asOf: string) => (await get<Detail>(`/v1/incidents/rukban-uav-claimed?asOf=${asOf}`)).incident.status;
    expect([await status('2024-01-29T06:00:00Z'), await status('2024-01-29T18:00:00Z'), await status('2024-01-30T13:00:00Z')]).toEqual(['merged', 'active', 'merged']);
  });

  it('as of 31 Jan 03:00Z the two reports are merged into each other: both count as retracted and are flagged (§5.3)', async () => {
    const rows = await get<{ items: (Summary & { merge_loop?: boolean })[] }>('/v1/incidents?status=all&sort=id&asOf=2024-01-31T03:00:00Z');
    expect(rows.items.filter((r) => r.counted).map((r) => r.incident_id)).toEqual([]);
    for (const incident of ['rukban-uav-claimed', 't22-uav']) {
      const d = await get<Detail & { incident: { merge_loop: boolean } }>(`/v1/incidents/${incident}?asOf=2024-01-31T03:00:00Z`);
      expect([incident, d.incident.merge_loop, d.incident.counted]).toEqual([incident, true, false]);
    }
    const attacks = await get<AttackStats>('/v1/stats/attacks?grain=day&kind=attack&asOf=2024-01-31T03:00:00Z');
    expect(attacks.rows).toEqual([]);
    expect(await tallies('?role=service_member&asOf=2024-01-31T03:00:00Z')).toEqual([]);
    // Reinstated at 06:00Z: t22 is active again and Rukban merged into it.
    const after = await get<{ items: Summary[] }>('/v1/incidents?status=all&sort=id&asOf=2024-01-31T06:00:00Z');
    expect(after.items.filter((r) => r.incident_id !== 'shaddadi-rockets').map((r) => [r.incident_id, r.status, r.counted])).toEqual([
      ['rukban-uav-claimed', 'merged', false],
      ['t22-uav', 'active', true],
    ]);
  });

  it('the retracted report keeps its row and timeline (§5.3)', async () => {
    const d = await get<Detail>('/v1/incidents/shaddadi-rockets');
    expect(d.incident).toMatchObject({ status: 'retracted', counted: false });
    expect(d.timeline.map((t) => id(t.event_id))).toEqual(['sh-report', 'c-x-w', 'sh-retracted', 'sh-reassign', 'link-sh']);
  });

  it('s-bukamal: duplicate report flagged, reposted delta counted once, operation figure covers its own (§5.1, §5.2, §5.6)', async () => {
    const d = await get<Detail>('/v1/incidents/s-bukamal');
    expect(d.incident).toMatchObject({ method: 'airstrike_fixed_wing', local_date: '2024-02-03', place_precision: 'adm2', duplicate_report_count: 1, munitions: null, platform: 'F-15E', amendment_count: 1 });
    // sohr: c-bk-1 total 18/18/18, then c-bk-2 delta at_least 5/5/null (posted twice, applied once) → series 23/23/null
    // (a null operand gives a null component); figure high = max(high ?? best) = 23 → 23 / 23 / 23.
    expect(d.casualties.map(fig)).toEqual(['militant/killed/- 23 / 23 / 23 default covered_by_operation']);
    expect(d.casualties[0]!.claims.map((c) => [c.source_id, `${c.low} / ${c.best} / ${c.high}`, [...c.claim_ids].sort(), c.delta_without_base])).toEqual([['sohr', '23 / 23 / null', ['c-bk-1', 'c-bk-2'], false]]);
    expect(d.operation?.member_incident_ids).toEqual(['s-akashat', 's-alqaim', 's-bukamal']);
    // The adoption (6 Feb) replaces the operation's default (reuters 39).
    // The umbrella claim of 5 Feb is the operation's second figure.
    expect(d.operation?.casualties.map(fig).sort()).toEqual(['militant/killed/- 23 / 34 / 45 adopted', 'militant/wounded_or_injured/IRQ 30 / 30 / 30 default']);
    expect(d.timeline.map((t) => `${id(t.event_id)}${t.duplicate_entity ? ' duplicate' : ''}`)).toEqual([
      'bk-amend', // 01:00
      'bk-report', // 02:00
      'c-bk-1', // 06:00
      'bk-report-dup duplicate', // 08:00
      'link-claimed', // 10:00 (names s-bukamal as response)
      'c-bk-2', // 20:00, once
    ]);
    // §5.9 answered: its operation answered t22 (8309 min); rl-claimed's edge is gone with ResponseLinkRemoved.
    expect(d.responses.answered.map((e) => [e.link_id, e.trigger.incident_id, e.lag_minutes])).toEqual([['rl-0202', 't22-uav', 8309]]);
    // §6 detail: flagged fields of the incident (none) and of its operation (reuters 39 vs sohr 30).
    expect(d.discrepancies.map((x) => [x.scope_kind, x.scope_id, x.field, x.series.map((v) => `${v.source_id} ${v.best}`).sort()])).toEqual([
      ['operation', OP, 'casualties:militant/killed/', ['reuters 39', 'sohr 30']],
    ]);
  });

  it('s-alqaim: a vague claim next to a number is flagged vague_source; the reassigned claim counts here (§5.5)', async () => {
    const d = await get<Detail>('/v1/incidents/s-alqaim');
    expect(d.casualties.map(fig).sort()).toEqual(
      [
        // iraq-gov vague (no number) + x-local 2 → 2 / 2 / 2, vague_source.
        'civilian/killed/IRQ 2 / 2 / 2 default',
        // iraq-gov: c-aq-k2 (17) superseded c-aq-k, but is retracted → c-aq-k (16) revived. sohr 14. Both C and both
        // last claims at 12:00Z on 3 Feb → greatest claim_id: c-aq-k-sohr > c-aq-k → best 14; low 14, high 16.
        'militant/killed/IRQ 14 / 14 / 16 default',
        // c-ak-w reassigned from s-akashat (§5.5 claim scope); covered by the operation's umbrella wounded_or_injured IRQ.
        'militant/wounded/IRQ 25 / 25 / 25 default covered_by_operation',
      ].sort(),
    );
    expect(d.casualties.find((c) => c.outcome === 'killed' && c.role === 'militant')!.claims.map((c) => [c.source_id, c.best, c.claim_ids]).sort()).toEqual([
      ['iraq-gov', 16, ['c-aq-k']],
      ['sohr', 14, ['c-aq-k-sohr']],
    ]);
    const flags = (eid: string) => d.timeline.find((t) => t.event_id === `aud-${eid}`);
    expect(flags('c-aq-k')).toMatchObject({ superseded: false, retracted: false });
    expect(flags('c-aq-k2')).toMatchObject({ retracted: true });
    // As of 4 Feb 12:00Z the supersession stood: iraq-gov 17 (latest, 4 Feb 08:00) is best → 14 / 17 / 17.
    const mid = await get<Detail>('/v1/incidents/s-alqaim?asOf=2024-02-04T12:00:00Z');
    expect(mid.casualties.filter((c) => c.role === 'militant' && c.outcome === 'killed').map(fig)).toEqual(['militant/killed/IRQ 14 / 17 / 17 default']);
    const civ = d.casualties.find((c) => c.role === 'civilian')!;
    expect(civ.vague_source).toBe(true);
    expect(civ.side).toBe('third_party');
    expect(d.casualties.find((c) => c.outcome === 'wounded')!.claims.map((c) => [c.source_id, c.claim_ids])).toEqual([['iraq-gov', ['c-ak-w']]]);
    expect(d.incident.platform).toBe('B-1B');
    // `target: null` in the amendment of 4 Feb 06:00Z removes the field (§4 IncidentAmended).
    expect(d.incident.target).toBeNull();
    const beforeAmend = await get<Detail>('/v1/incidents/s-alqaim?asOf=2024-02-04T00:00:00Z');
    expect(beforeAmend.incident.target).toEqual({ site_id: null, facility: null, target_actor_id: 'iri' });
    // It answered t22 through its operation (8309 min) and, per rl-sh, the retracted Shaddadi report (lag null).
    expect(d.responses.answered.map((e) => [e.link_id, e.trigger.incident_id, e.trigger.status, e.lag_minutes]).sort()).toEqual([
      ['rl-0202', 't22-uav', 'active', 8309],
      ['rl-sh', 'shaddadi-rockets', 'retracted', null],
    ]);
    expect(d.responses.triggered.map((e) => [e.link_id, e.response.id, e.lag_minutes])).toEqual([['rl-misdated', 't22-uav', -8310]]);
    expect(d.casualties.find((c) => c.role === 'militant' && c.outcome === 'killed')).toMatchObject({ side: 'target', affiliation_actor_id: null });
    const akashat = await get<Detail>('/v1/incidents/s-akashat');
    expect(akashat.casualties).toEqual([]);
    // Before the reassignment (4 Feb 12:00Z) the claim counted at s-akashat.
    const before = await get<Detail>('/v1/incidents/s-akashat?asOf=2024-02-04T00:00:00Z');
    expect(before.casualties.map(fig)).toEqual(['militant/wounded/IRQ 25 / 25 / 25 default']);
  });
});

type AttackRow = AttackStats['rows'][number];
const attackRow = (r: AttackRow) =>
  [r.period, r.country ?? r.admin1 ?? r.site, r.kind, r.method, r.perpetrator === undefined ? undefined : `${r.perpetrator ?? 'none'}${r.perpetrator_likelihood ? ` (${r.perpetrator_likelihood})` : ''}`, r.incidents, `${r.munitions.low} / ${r.munitions.best} / ${r.munitions.high}`, r.munitions.unknown, r.intercepted, r.incidents_with_casualties]
    .filter((x) => x !== undefined)
    .join(' | ');

describe('GET /v1/stats/attacks (§5.4, §6 attack_counts)', () => {
  // Counted incidents: t22 (attack, 28 Jan, minute), s-alqaim (3 Feb, hour), s-bukamal (3 Feb, day), s-akashat (week, 1 Feb).
  // Munitions: t22 1/1/2, strikes unknown. w/ cas = own tally best > 0: t22, s-alqaim, s-bukamal (its own 23; the
  // operation figure is not part of an incident's own tally), not s-akashat.
  it('per local day by kind and method; the week-precision strike is reported as not in the series', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=kind,method');
    expect(s.rows.map(attackRow)).toEqual([
      '2024-01-28 | attack | one_way_uav | 1 | 1 / 2 / 2 | 0 | 0 | 1',
      '2024-02-03 | response_strike | airstrike_fixed_wing | 2 | 0 / 0 / 0 | 2 | 0 | 2',
    ]);
    expect(s.not_in_series).toMatchObject({ incidents: 1, by_precision: { 'time:week': 1 }, incident_ids: ['s-akashat'] });
  });

  it.each([
    ['week', ['2024-W04 | attack | one_way_uav | 1 | 1 / 2 / 2 | 0 | 0 | 1 | imprecise 0', '2024-W05 | response_strike | airstrike_fixed_wing | 3 | 0 / 0 / 0 | 3 | 0 | 2 | imprecise 1']],
    ['month', ['2024-01 | attack | one_way_uav | 1 | 1 / 2 / 2 | 0 | 0 | 1 | imprecise 0', '2024-02 | response_strike | airstrike_fixed_wing | 3 | 0 / 0 / 0 | 3 | 0 | 2 | imprecise 1']],
  ])('per %s: 28 Jan (a Sunday) closes 2024-W04; s-akashat enters W05 and February as imprecise', async (grain, rows) => {
    const s = await get<AttackStats>(`/v1/stats/attacks?grain=${grain}&groupBy=kind,method`);
    expect(s.rows.map((r) => `${attackRow(r)} | imprecise ${r.imprecise}`)).toEqual(rows);
  });

  it('per day and admin1 (keys <ISO3>/<admin1>), per week and country, per day and site', async () => {
    const admin1 = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=admin1,kind');
    expect(admin1.rows.map(attackRow)).toEqual([
      '2024-01-28 | JOR/Mafraq | attack | 1 | 1 / 2 / 2 | 0 | 0 | 1', // admin1 from the site (§5.4)
      '2024-02-03 | IRQ/Anbar | response_strike | 1 | 0 / 0 / 0 | 1 | 0 | 1',
      '2024-02-03 | SYR/Deir ez-Zor | response_strike | 1 | 0 / 0 / 0 | 1 | 0 | 1',
    ]);
    const country = await get<AttackStats>('/v1/stats/attacks?grain=week&groupBy=country');
    expect(country.rows.map((r) => `${attackRow(r)} | imprecise ${r.imprecise}`)).toEqual([
      '2024-W04 | JOR | 1 | 1 / 2 / 2 | 0 | 0 | 1 | imprecise 0',
      '2024-W05 | IRQ | 2 | 0 / 0 / 0 | 2 | 0 | 1 | imprecise 1',
      '2024-W05 | SYR | 1 | 0 / 0 / 0 | 1 | 0 | 1 | imprecise 0',
    ]);
    const site = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=site');
    expect(site.rows.map(attackRow)).toEqual(['2024-01-28 | tower-22 | 1 | 1 / 2 / 2 | 0 | 0 | 1']);
    expect(site.not_in_series.incidents).toBe(3);
  });

  it('by top perpetrator, final and as of 1 Feb (reliability breaks the likelihood tie, §5.9)', async () => {
    const final = await get<AttackStats>('/v1/stats/attacks?grain=month&groupBy=kind,perpetrator');
    expect(final.rows.map(attackRow)).toEqual([
      '2024-01 | attack | iran-state (very_likely) | 1 | 1 / 2 / 2 | 0 | 0 | 1',
      '2024-02 | response_strike | none | 3 | 0 / 0 / 0 | 3 | 0 | 2',
    ]);
    const feb1 = await get<AttackStats>('/v1/stats/attacks?grain=month&groupBy=perpetrator&kind=attack&asOf=2024-02-01T00:00:00Z');
    expect(feb1.rows.map(attackRow)).toEqual(['2024-01 | kataib-hezbollah (very_likely) | 1 | 1 / 2 / 2 | 0 | 0 | 1']);
  });

  it('totals without grain come from the month rows: 4 incidents, 3 with unknown munitions', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks');
    expect(s.totals).toEqual({ incidents: 4, munitions: { low: 1, best: 2, high: 2, unknown: 3 }, intercepted: 0, incidents_with_casualties: 3 });
  });

  it('as of 28 Jan 20:00Z: tower-22 not registered yet → t22 has a site row but no country row (§5.4, §5.8)', async () => {
    // Country: Rukban (2/2/2, killed 5) and Shaddadi (4/4/4, x-osint's 8 wounded) in SYR; t22 has no country yet.
    const country = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=country&asOf=2024-01-28T20:00:00Z');
    expect(country.rows.map(attackRow)).toEqual(['2024-01-28 | SYR | 2 | 6 / 6 / 6 | 0 | 0 | 2']);
    expect(country.not_in_series).toMatchObject({ incidents: 1, incident_ids: ['t22-uav'] });
    // Site: t22 (dod 1, centcom 2; killed 3/3/4 → w/ cas) and Shaddadi; Rukban has no site.
    const site = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=site&asOf=2024-01-28T20:00:00Z');
    expect(site.rows.map(attackRow)).toEqual(['2024-01-28 | shaddadi | 1 | 4 / 4 / 4 | 0 | 0 | 1', '2024-01-28 | tower-22 | 1 | 1 / 2 / 2 | 0 | 0 | 1']);
  });

  it('as of 29 Jan 06:00Z: Rukban merged for the first time, its munitions claim counts at t22', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=kind,method&asOf=2024-01-29T06:00:00Z');
    expect(s.rows.map(attackRow)).toEqual(['2024-01-28 | attack | one_way_uav | 1 | 1 / 2 / 2 | 0 | 0 | 1', '2024-01-28 | attack | rocket | 1 | 4 / 4 / 4 | 0 | 0 | 1']);
  });

  it('as of 28 Jan 12:00Z: the two later-removed reports count (§5.7)', async () => {
    // Rukban (approx 2 → 2/2/2, its own killed claim 5 → w/ cas) and Shaddadi (approx 4); t22 unreported.
    const s = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=admin1,method&asOf=2024-01-28T12:00:00Z');
    expect(s.rows.map(attackRow)).toEqual(['2024-01-28 | SYR/Al-Hasakah | rocket | 1 | 4 / 4 / 4 | 0 | 0 | 0', '2024-01-28 | SYR/Homs | one_way_uav | 1 | 2 / 2 / 2 | 0 | 0 | 1']);
  });

  it('as of 30 Jan 00:00Z: Shaddadi retracted, Rukban not merged yet; after the merge its munitions claim moves to t22', async () => {
    // t22 (day precision then): dod 1, centcom 2; perpetrator iri (likely). Rukban: 2, no perpetrator. Both one_way_uav.
    const before = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=kind,method,perpetrator&asOf=2024-01-30T00:00:00Z');
    expect(before.rows.map(attackRow)).toEqual([
      '2024-01-28 | attack | one_way_uav | none | 1 | 2 / 2 / 2 | 0 | 0 | 1',
      '2024-01-28 | attack | one_way_uav | iri (likely) | 1 | 1 / 2 / 2 | 0 | 0 | 1',
    ]);
    const after = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=kind,method&asOf=2024-01-30T13:00:00Z');
    expect(after.rows.map(attackRow)).toEqual(['2024-01-28 | attack | one_way_uav | 1 | 1 / 2 / 2 | 0 | 0 | 1']);
  });
});

const tally = (r: Tally['rows'][number]) =>
  [r.period, r.incident_id ?? r.operation_id, r.side === undefined ? undefined : (r.side ?? '(none)'), r.role, r.outcome, r.nationality === undefined ? undefined : (r.nationality ?? '(unknown)'), `${r.low} / ${r.best} / ${r.high}`, r.incomplete ? 'incomplete' : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
const tallies = async (q: string) => (await get<Tally>(`/v1/stats/casualties${q}`)).rows.map(tally).sort();

describe('GET /v1/stats/casualties (§5.5, §5.6)', () => {
  it('overall, final: covering of the TBI umbrella child and of the operation member', async () => {
    expect(await tallies('')).toEqual(
      [
        'civilian killed IRQ 2 / 2 / 2 incomplete', // vague_source marks the row incomplete (§5.6)
        'militant killed (unknown) 23 / 34 / 45', // operation adoption; s-bukamal's 23 covered
        'militant killed IRQ 14 / 14 / 16', // another key: not covered by the operation figure
        'militant wounded_or_injured IRQ 30 / 30 / 30', // operation umbrella; s-alqaim's wounded 25 covered
        'service_member killed USA 3 / 3 / 5',
        'service_member wounded_or_injured USA 25 / 30 / 40', // injured_tbi 8 covered
      ].sort(),
    );
  });

  it('grouped by side: target 3+25+14+30+23 / 3+30+14+30+34 / 5+40+16+30+45, third_party incomplete', async () => {
    expect(await tallies('?groupBy=side')).toEqual(['target 95 / 111 / 136', 'third_party 2 / 2 / 2 incomplete']);
  });

  it('grouped by side and affiliation: a figure whose claims differ in affiliation has none (§5.5)', async () => {
    // s-alqaim militant killed IRQ: iraq-gov says iri, sohr kataib-hezbollah → affiliation absent.
    // target/iri = operation killed 23/34/45 + operation wounded_or_injured 30; target/us-mil = 3/3/5 + 25/30/40.
    expect(await tallies('?groupBy=side,affiliation')).toEqual(['target 14 / 14 / 16', 'target 28 / 33 / 45', 'target 53 / 64 / 75', 'third_party 2 / 2 / 2 incomplete']);
    const t = await get<Tally>('/v1/stats/casualties?groupBy=side,affiliation');
    expect(t.rows.map((r) => `${r.side}/${(r as { affiliation?: string | null }).affiliation ?? '-'} ${r.low} / ${r.best} / ${r.high}`).sort()).toEqual(
      ['target/- 14 / 14 / 16', 'target/iri 53 / 64 / 75', 'target/us-mil 28 / 33 / 45', 'third_party/- 2 / 2 / 2'].sort(),
    );
  });

  it.each([
    // Before t22's report only Rukban (active) counts: its killed 5; x-osint's claim is on an unreported incident.
    ['2024-01-28T12:00:00Z', ['service_member killed USA 5 / 5 / 5']],
    // t22 3/3/4 + Rukban 5/5/5 (separate scopes until the merge); w1 at_least 25 → 25 / 0 / 0 incomplete (nulls add 0);
    // x-osint's 8 wounded at Shaddadi (active).
    ['2024-01-28T20:00:00Z', ['service_member killed USA 8 / 8 / 9', 'service_member wounded USA 8 / 8 / 8', 'service_member wounded_or_injured USA 25 / 0 / 0 incomplete']],
    // Rukban merged at 00:00Z: one scope, 3 / 3 / 5 (dod 3, x-osint 4, iri-telegram 5); w1 only; Shaddadi still active.
    ['2024-01-29T06:00:00Z', ['service_member killed USA 3 / 3 / 5', 'service_member wounded USA 8 / 8 / 8', 'service_member wounded_or_injured USA 25 / 0 / 0 incomplete']],
    // Shaddadi retracted (12:00Z) and its claim not yet moved (18:00Z) → not counted; Rukban reinstated (12:00Z) → 3 + 5.
    ['2024-01-29T15:00:00Z', ['service_member killed USA 8 / 8 / 8', 'service_member wounded_or_injured USA 25 / 0 / 0 incomplete']],
    // x-osint's claim now at the (active) Rukban report; reuters later than w2 as an instant → 25 / 30 / 35.
    ['2024-01-30T00:00:00Z', ['service_member killed USA 8 / 8 / 8', 'service_member wounded USA 8 / 8 / 8', 'service_member wounded_or_injured USA 25 / 30 / 35']],
    // merged: Rukban's 5 is a second series at t22 → 3 / 3 / 5; dod 40 → 25 / 40 / 40; the 8 wounded, now at t22, covered.
    ['2024-02-01T00:00:00Z', ['service_member killed USA 3 / 3 / 5', 'service_member wounded_or_injured USA 25 / 40 / 40']],
  ])('overall as of %s', async (asOf, rows) => {
    expect(await tallies(`?asOf=${asOf}`)).toEqual(rows.sort());
  });

  it('overall as of 3 Feb 12:00Z: no operation claim yet, s-bukamal counts its own 18; s-akashat is retracted then', async () => {
    const rows = await tallies('?asOf=2024-02-03T12:00:00Z&role=militant');
    // c-bk-2 is at 20:00Z. s-akashat retracted at 09:00Z, reinstated at 15:00Z → its c-ak-w (25) is not counted (§5.3).
    // s-alqaim: iraq-gov 16, sohr 14, same time → claim_id tie-break → 14 / 14 / 16.
    expect(rows).toEqual(['militant killed (unknown) 18 / 18 / 18', 'militant killed IRQ 14 / 14 / 16'].sort());
  });

  it('s-akashat as of 3 Feb 10:00Z is retracted (not a member, not counted), active again from 15:00Z (§5.3)', async () => {
    const at10 = await get<{ items: Summary[] }>(`/v1/incidents?status=all&operation=${OP}&sort=id&asOf=2024-02-03T10:00:00Z`);
    expect(at10.items.map((r) => [r.incident_id, r.status])).toEqual([
      ['s-akashat', 'retracted'],
      ['s-alqaim', 'active'],
      ['s-bukamal', 'active'],
    ]);
    const week = await get<AttackStats>('/v1/stats/attacks?grain=week&groupBy=kind,method&kind=response_strike&asOf=2024-02-03T10:00:00Z');
    // s-alqaim (no claims before 12:00Z) and s-bukamal (c-bk-1 18 at 06:00Z); no imprecise incident.
    expect(week.rows.map((r) => `${attackRow(r)} | imprecise ${r.imprecise}`)).toEqual(['2024-W05 | response_strike | airstrike_fixed_wing | 2 | 0 / 0 / 0 | 2 | 0 | 1 | imprecise 0']);
    const at15 = await get<Detail>('/v1/incidents/s-akashat?asOf=2024-02-03T15:00:00Z');
    expect(at15.incident.status).toBe('active');
  });

  it('overall as of 5 Feb: the operation default (reuters 39) replaces s-bukamal; as of 7 Feb the adoption, and reuters still B', async () => {
    expect(await tallies('?asOf=2024-02-05T00:00:00Z&role=militant&outcome=killed&nationality=unknown')).toEqual(['militant killed (unknown) 39 / 39 / 39']);
    expect(await tallies('?asOf=2024-02-07T00:00:00Z&role=service_member')).toEqual(['service_member killed USA 3 / 3 / 5', 'service_member wounded_or_injured USA 25 / 40 / 40']);
  });

  it('per incident (own figures only; merged and retracted incidents have no rows)', async () => {
    expect(await tallies('?groupBy=incident,role,outcome,nationality')).toEqual(
      [
        's-alqaim civilian killed IRQ 2 / 2 / 2 incomplete',
        's-alqaim militant killed IRQ 14 / 14 / 16',
        's-alqaim militant wounded IRQ 25 / 25 / 25', // per incident the operation figure is not in the set
        's-bukamal militant killed (unknown) 23 / 23 / 23',
        't22-uav service_member killed USA 3 / 3 / 5',
        't22-uav service_member wounded_or_injured USA 25 / 30 / 40',
      ].sort(),
    );
  });

  it('per operation: the operation figure and its members, the operation replacing s-bukamal', async () => {
    const t = await get<Tally>('/v1/stats/casualties?groupBy=operation,role,outcome,nationality');
    expect(t.scope).toBe('operation');
    expect(t.rows.map((r) => `${tally(r)} ${r.source}`).sort()).toEqual(
      [
        `${OP} civilian killed IRQ 2 / 2 / 2 incomplete default`,
        `${OP} militant killed (unknown) 23 / 34 / 45 adopted`,
        `${OP} militant killed IRQ 14 / 14 / 16 default`,
        `${OP} militant wounded_or_injured IRQ 30 / 30 / 30 default`,
      ].sort(),
    );
    // 5 Feb 00:00Z: operation default reuters 39 (the 41 variant is not applied, sohr's 30 comes at 06:00Z) +
    // s-alqaim killed IRQ: iraq-gov c-aq-k2 17 (not yet retracted, latest) vs sohr 14 → 14 / 17 / 17. Sum 53 / 56 / 56.
    expect(await tallies(`?groupBy=operation,role,outcome&asOf=2024-02-05T00:00:00Z&role=militant&outcome=killed`)).toEqual([`${OP} militant killed 53 / 56 / 56`]);
    // 5 Feb 19:00Z: reuters 39 (B) and sohr 30 (C) → low 30, high 39, best from B → 30 / 39 / 39 (no adoption yet).
    expect(await tallies(`?groupBy=operation,role,outcome,nationality&asOf=2024-02-05T19:00:00Z&role=militant&outcome=killed&nationality=unknown`)).toEqual([
      `${OP} militant killed (unknown) 30 / 39 / 39`,
    ]);
    // 6 Feb 00:00Z: only the earlier adoption (5 Feb 20:00Z, posted last) exists → 30 / 39 / 41.
    expect(await tallies(`?groupBy=operation,role,outcome,nationality&asOf=2024-02-06T00:00:00Z&role=militant&outcome=killed&nationality=unknown`)).toEqual([
      `${OP} militant killed (unknown) 30 / 39 / 41`,
    ]);
  });

  it('per period: operation figures sit in the bucket of its earliest member (s-akashat, week precision) and still cover s-bukamal in the day series', async () => {
    // Day: t22 on 28 Jan; s-alqaim on 3 Feb; s-bukamal covered; the operation figures have no day bucket
    // (anchor member s-akashat: local_date 1 Feb < 3 Feb, week precision).
    expect(await tallies('?grain=day')).toEqual(
      [
        '2024-01-28 service_member killed USA 3 / 3 / 5',
        '2024-01-28 service_member wounded_or_injured USA 25 / 30 / 40',
        '2024-02-03 civilian killed IRQ 2 / 2 / 2 incomplete',
        '2024-02-03 militant killed IRQ 14 / 14 / 16',
        // s-alqaim's militant wounded IRQ is covered by the operation umbrella in every bucket, also where the
        // operation figure itself has no bucket.
      ].sort(),
    );
    expect(await tallies('?grain=month&from=2024-01-01&to=2024-01-31')).toEqual(['2024-01 service_member killed USA 3 / 3 / 5', '2024-01 service_member wounded_or_injured USA 25 / 30 / 40']);
    expect(await tallies('?grain=week')).toEqual(
      [
        '2024-W04 service_member killed USA 3 / 3 / 5',
        '2024-W04 service_member wounded_or_injured USA 25 / 30 / 40',
        '2024-W05 civilian killed IRQ 2 / 2 / 2 incomplete',
        '2024-W05 militant killed (unknown) 23 / 34 / 45',
        '2024-W05 militant killed IRQ 14 / 14 / 16',
        '2024-W05 militant wounded_or_injured IRQ 30 / 30 / 30',
      ].sort(),
    );
  });
});

describe('GET /v1/responses (§5.9)', () => {
  it('final: one edge; as of 3 Feb 12:00Z the removed link still stands, its trigger resolved through the merge', async () => {
    const final = await get<{ items: Edge[] }>('/v1/responses');
    expect(final.items.map((e) => [e.link_id, e.trigger.incident_id, e.trigger.status, `${e.response.kind} ${e.response.id}`, e.response.status, e.basis, e.likelihood, e.lag_minutes]).sort()).toEqual([
      ['rl-0202', 't22-uav', 'active', `operation ${OP}`, expect.any(String), 'self_declared', 'almost_certain', 8309],
      ['rl-misdated', 's-alqaim', 'active', 'incident t22-uav', 'active', 'inference', 'almost_no_chance', -8310],
      // An edge is kept whatever its endpoints' status, and carries it; Shaddadi has day precision → lag null.
      ['rl-sh', 'shaddadi-rockets', 'retracted', 'incident s-alqaim', 'active', 'inference', 'unlikely', null],
    ]);
    const likely = await get<{ items: Edge[] }>('/v1/responses?minLikelihood=likely');
    expect(likely.items.map((e) => e.link_id)).toEqual(['rl-0202']);
    const feb3 = await get<{ items: Edge[] }>('/v1/responses?asOf=2024-02-03T12:00:00Z');
    expect(feb3.items.map((e) => [e.link_id, e.trigger.incident_id, e.response.id, e.lag_minutes, e.via_merge]).sort()).toEqual([
      ['rl-0202', 't22-uav', OP, 8309, false],
      // Trigger resolved through the merge; s-bukamal has day precision → lag null.
      ['rl-claimed', 't22-uav', 's-bukamal', null, true],
      ['rl-sh', 'shaddadi-rockets', 's-alqaim', null, false],
    ]);
  });
});

describe('reference and context data', () => {
  it('sources: latest reliability, unregistered ones as F (§5.2, §5.8)', async () => {
    const row = (x: { source_id: string; reliability: string; registered: boolean }) => `${x.source_id} ${x.reliability} ${x.registered}`;
    const final = await get<{ items: { source_id: string; reliability: string; registered: boolean }[] }>('/v1/sources');
    expect(final.items.map(row)).toEqual(['centcom B true', 'dod B true', 'iraq-gov C true', 'iri-telegram E true', 'reuters A true', 'sohr C true', 'x-local F false', 'x-osint F false']);
    const before = await get<{ items: { source_id: string; reliability: string; registered: boolean }[] }>('/v1/sources?asOf=2024-02-07T23:59:59Z');
    expect(before.items.find((x) => x.source_id === 'reuters')?.reliability).toBe('B');
  });

  it('actors with their relation, sites with their place, and the external statistic (never summed)', async () => {
    const a = await get<{ items: { actor_id: string; registered: boolean; relations: { relation: string; to_actor_id: string }[] }[] }>('/v1/actors');
    expect(a.items.map((x) => `${x.actor_id} ${x.registered}`)).toEqual(['iran-state true', 'iri true', 'kataib-hezbollah true', 'us-mil true']);
    expect(a.items.find((x) => x.actor_id === 'kataib-hezbollah')?.relations).toEqual([expect.objectContaining({ relation: 'affiliated_with', to_actor_id: 'iri' })]);
    type Sites = { items: { site_id: string; registered: boolean; country_iso3: string | null; admin1: string | null }[] };
    const row = (x: Sites['items'][number]) => `${x.site_id} ${x.registered} ${x.country_iso3} ${x.admin1}`;
    // The re-sent registration (29 Jan 06:00Z) replaces the one of 00:00Z though it was posted first (§5.2).
    expect((await get<Sites>('/v1/sites')).items.map(row)).toEqual(['shaddadi true SYR Al-Hasakah', 'tower-22 true JOR Mafraq']);
    const posture = (await get<{ items: { site_id: string; defense_posture: unknown[] }[] }>('/v1/sites')).items.find((x) => x.site_id === 'tower-22')!.defense_posture;
    expect(posture).toEqual([expect.objectContaining({ status: 'degraded' })]);
    expect((await get<Sites>('/v1/sites?asOf=2024-01-29T03:00:00Z')).items.map(row)).toEqual(['shaddadi true SYR Al-Hasakah', 'tower-22 true JOR Al-Mafraq']);
    // Before any registration, tower-22 is referenced only: registered false, no admin1 or country (§5.8).
    expect((await get<Sites>('/v1/sites?asOf=2024-01-28T20:00:00Z')).items.map(row)).toEqual(['shaddadi true SYR Al-Hasakah', 'tower-22 false null null']);
    const x = await get<{ items: { stat_id: string; value: { low: number | null; best: number | null } }[] }>('/v1/external-stats?country=JOR');
    expect(x.items.map((i) => [i.stat_id, i.value.low, i.value.best])).toEqual([['x-attacks-since-oct', 165, null]]);
  });
});

describe('GET /v1/projections (§5.1)', () => {
  it('applied each (source, id) once and parked the second content of aud-c-op-k', async () => {
    const res = await request(`${audit.stack().url}/v1/projections`);
    expect(res.status).toBe(200);
    const main = (res.body as { projections: { projection: string; events_applied: number; dead_letters: number; lag_events: number | null }[] }).projections.find((p) => p.projection === 'main')!;
    // Posted: every event once, the reposted delta again (identical: skipped), the 41 variant (parked).
    // events_applied is not defined by events.md; it reports 78 = the 77 pairs + the parked variant, so it is not asserted.
    expect(main.dead_letters).toBe(1);
  });
});

describe('GET /v1/changes (§6 revision_feed)', () => {
  it('one entry per stored event (the reposted one once), naming the incidents whose rows changed', async () => {
    const all = await get<{ items: { event_id: string; change: string; incident_ids: string[]; operation_ids: string[] }[] }>('/v1/changes?limit=5000');
    expect(all.items.map((c) => c.event_id).sort()).toEqual([...new Set(ALL_EVENTS.map((e) => e.id))].sort());
    const by = (eventId: string) => all.items.find((c) => c.event_id === `aud-${eventId}`)!;
    expect(by('rk-merged')).toMatchObject({ change: 'merged', incident_ids: ['rukban-uav-claimed', 't22-uav'] });
    expect(by('rk-reinstated')).toMatchObject({ change: 'reinstated' });
    expect(by('t22-merged-wrong')).toMatchObject({ change: 'merged', incident_ids: ['rukban-uav-claimed', 't22-uav'] });
    expect(by('rk-reinstated').incident_ids).toContain('rukban-uav-claimed');
    expect(by('sh-retracted')).toMatchObject({ change: 'retracted', incident_ids: ['shaddadi-rockets'] });
    expect(by('t22-amend')).toMatchObject({ change: 'amended', incident_ids: ['t22-uav'] });
    expect(by('aq-amend')).toMatchObject({ change: 'amended', incident_ids: ['s-alqaim'] });
    expect(by('ak-report')).toMatchObject({ change: 'new', incident_ids: ['s-akashat'] });
    expect(by('ak-retracted')).toMatchObject({ change: 'retracted', incident_ids: ['s-akashat'] });
    expect(by('ak-reinstated')).toMatchObject({ change: 'reinstated', incident_ids: ['s-akashat'] });
    // The reassignment changes the figures of both incidents.
    expect([...by('ak-reassign').incident_ids].sort()).toEqual(['s-akashat', 's-alqaim']);
    expect(by('op-adopt').operation_ids).toContain(OP);
    // The re-rating of reuters changes t22's wounded_or_injured best from 40 to 30: its row changed.
    expect(by('src-reuters-rated').incident_ids).toContain('t22-uav');
  });
});
