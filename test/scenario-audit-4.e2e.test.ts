// Fourth audit scenario, on casualty tallies (GET /v1/stats/casualties and the casualty figures of the incident and
// operation detail): a rocket attack on Al-Asad Air Base (Iraq, 20 January 2024) with a long revision history of
// its US TBI figure (totals, a delta, a cross-source supersession, an editorial umbrella adoption, the retraction of
// a claim the adoption cites, a later total), a drone attack on Erbil Air Base just after midnight local time on
// 1 April 2024 (a week and month boundary in local time, not in UTC), and an operation of US strikes
// (Akashat, Jurf al-Sakhar, Al-Qaim) whose operation-level figure covers its members, with one member merged into a
// non-member incident and one retracted. All ids are invented.
//
// The events are posted through the public ingest API in a shuffled order that keeps each stream's own order, some
// in batches, one twice, and read back through the public query API. Every expected value was derived by hand from
// shared/domain/events.md; the derivation is next to each expectation. a / b / c is low / best / high. Every local
// time is Asia/Baghdad (UTC+3 all year). Run with AUDIT_SEED=<n> to replay another interleaving.
//
// Reliability: centcom B, dod B, ap C, kurd24 D, sabereen E.
import { request } from './support/http.js';
import { auditEvents, auditSuite, referenceEvents, tallyLine, type AuditEvent, type Detail, type Figure, type SeriesOut, type Tally } from './support/audit.js';

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

const FEED = '/feeds/audit-desk-4';
const OP = 'op-2024-01-us-strikes';
const TZ = 'Asia/Baghdad';
const REF = '2024-01-01T00:00:00Z';

const ev = auditEvents('a4-', FEED);

const exact = (n: number) => ({ low: n, best: n, high: n, qualifier: 'exact' });
const seg = (
  side: string,
  role: string,
  outcome: string,
  nationality?: string,
  affiliation?: string,
) => ({
  side,
  ...(affiliation ? { affiliation_actor_id: affiliation } : {}),
  ...(nationality ? { nationality_iso3: nationality } : {}),
  role,
  outcome,
});
const US = (outcome: string) => seg('target', 'service_member', outcome, 'USA', 'us-mil');
const KH_KILLED = seg('target', 'militant', 'killed', undefined, 'kh');

const claim = (
  cid: string,
  incident: string,
  time: string,
  segment: object,
  count: object,
  src: string,
  extra: object = {},
) =>
  ev(cid, 'CasualtyReported', `incident/${incident}`, time, {
    claim_id: cid,
    scope: { incident_id: incident },
    segment,
    count,
    mode: 'total',
    source: { source_id: src },
    ...extra,
  });
const { source, actor } = referenceEvents(ev, REF);
const site = (sid: string, name: string, admin1: string) =>
  ev(`site-${sid}`, 'SiteRegistered', `site/${sid}`, REF, {
    site_id: sid,
    names: [name],
    kind: 'base',
    place: { name, country_iso3: 'IRQ', admin1, precision: 'site' },
  });
const strike = (
  eid: string,
  incident: string,
  time: string,
  when: object,
  name: string,
  admin1: string,
  operation?: string,
) =>
  ev(eid, 'IncidentReported', `incident/${incident}`, time, {
    incident_id: incident,
    kind: 'response_strike',
    ...(operation ? { operation_id: operation } : {}),
    time: { tz: TZ, ...when },
    place: { name, country_iso3: 'IRQ', admin1, precision: 'near_site' },
    method: 'airstrike_fixed_wing',
    source: { source_id: time.startsWith('2024-01-22') ? 'kurd24' : 'centcom' },
  });

const streams: AuditEvent[][] = [
  [source('centcom', 'U.S. Central Command', 'military', 'International', 'B')],
  [source('dod', 'U.S. Department of Defense', 'official_gov', 'International', 'B')],
  [source('ap', 'Associated Press', 'wire', 'International', 'C')],
  [source('kurd24', 'Kurdistan 24', 'local_media', 'Subnational', 'D')],
  [source('sabereen', 'Sabereen News (Telegram)', 'armed_group_channel', 'New media', 'E')],
  [actor('us-mil', 'Military Forces of the United States (2021-)', 8, 'USA')],
  [actor('kh', 'Kataib Hezbollah', 3, 'IRQ')],
  [actor('isf', 'Military Forces of Iraq (2022-)', 1, 'IRQ')],
  [site('al-asad', 'Al-Asad Airbase', 'Al Anbar')],
  [site('erbil-ab', 'Erbil Air Base', 'Erbil')],

  // ---- Al-Asad, 20 Jan 2024 18:30 local (15:30Z, minute precision): local_date 2024-01-20, ISO week 2024-W03.
  [
    ev('as-report', 'IncidentReported', 'incident/asad-rockets', '2024-01-20T17:00:00Z', {
      incident_id: 'asad-rockets',
      kind: 'attack',
      time: {
        start: '2024-01-20T15:30:00Z',
        local_date: '2024-01-20',
        tz: TZ,
        precision: 'minute',
      },
      place: { site_id: 'al-asad', precision: 'site' },
      method: 'rocket',
      target: { site_id: 'al-asad', target_actor_id: 'us-mil' },
      source: { source_id: 'centcom' },
    }),
    claim(
      'c-as-tbi-1',
      'asad-rockets',
      '2024-01-20T18:00:00Z',
      US('injured_tbi'),
      exact(4),
      'centcom',
    ),
    claim('c-as-w-1', 'asad-rockets', '2024-01-20T20:00:00Z', US('wounded'), exact(1), 'centcom'),
    claim(
      'c-as-mil-sab',
      'asad-rockets',
      '2024-01-20T21:00:00Z',
      seg('attacker', 'militant', 'killed', undefined, 'kh'),
      exact(1),
      'sabereen',
    ),
    claim(
      'c-as-civ-sab',
      'asad-rockets',
      '2024-01-20T22:00:00Z',
      seg('third_party', 'civilian', 'killed', 'IRQ'),
      { low: null, best: null, high: null, qualifier: 'vague', raw: 'civilians were killed' },
      'sabereen',
    ),
    claim(
      'c-as-tbi-ap',
      'asad-rockets',
      '2024-01-21T06:00:00Z',
      US('injured_tbi'),
      { low: 4, best: 6, high: 8, qualifier: 'approx', raw: 'about six' },
      'ap',
    ),
    // Same role and outcome as c-as-w-1, but AP gives no nationality: another key (§3.4).
    claim(
      'c-as-w-ap',
      'asad-rockets',
      '2024-01-21T06:00:00Z',
      seg('target', 'service_member', 'wounded'),
      exact(2),
      'ap',
    ),
    claim(
      'c-as-civ-k24',
      'asad-rockets',
      '2024-01-21T09:00:00Z',
      seg('third_party', 'civilian', 'killed', 'IRQ'),
      exact(1),
      'kurd24',
    ),
    // The two sources disagree on side and affiliation of the same key.
    claim(
      'c-as-ss-k24',
      'asad-rockets',
      '2024-01-21T09:00:00Z',
      seg('target', 'state_security', 'wounded', 'IRQ', 'isf'),
      exact(2),
      'kurd24',
    ),
    claim(
      'c-as-ss-ap',
      'asad-rockets',
      '2024-01-21T10:00:00Z',
      seg('third_party', 'state_security', 'wounded', 'IRQ'),
      exact(3),
      'ap',
    ),
    ev('c-as-tbi-2', 'CasualtyReported', 'incident/asad-rockets', '2024-01-22T12:00:00Z', {
      claim_id: 'c-as-tbi-2',
      scope: { incident_id: 'asad-rockets' },
      segment: US('injured_tbi'),
      count: exact(3),
      mode: 'delta',
      diagnosed_at: '2024-01-22',
      source: { source_id: 'centcom' },
    }),
    claim(
      'c-as-tbi-dod',
      'asad-rockets',
      '2024-01-25T12:00:00Z',
      US('injured_tbi'),
      exact(10),
      'dod',
      { supersedes_claim_id: 'c-as-tbi-1' },
    ),
    ev('as-adopt', 'CasualtyEstimateAdopted', 'incident/asad-rockets', '2024-01-28T12:00:00Z', {
      scope: { incident_id: 'asad-rockets' },
      segment: US('wounded_or_injured'),
      count: { low: 12, best: 14, high: 16, qualifier: 'approx' },
      policy: 'editorial',
      claim_ids: ['c-as-tbi-dod', 'c-as-w-1'],
      ambiguity: 'the TBI and wound figures overlap',
    }),
    ev(
      'as-retract-dod',
      'CasualtyClaimRetracted',
      'incident/asad-rockets',
      '2024-02-01T12:00:00Z',
      {
        claim_id: 'c-as-tbi-dod',
        scope: { incident_id: 'asad-rockets' },
        reason: 'figure withdrawn by the Pentagon',
      },
    ),
    claim(
      'c-as-tbi-3',
      'asad-rockets',
      '2024-02-05T12:00:00Z',
      US('injured_tbi'),
      exact(9),
      'centcom',
    ),
  ],

  // ---- Erbil, 31 Mar 2024 22:30Z = 1 Apr 01:30 local (minute): local_date 2024-04-01 → 2024-W14 and 2024-04 (the UTC
  // date, 31 Mar, would be 2024-W13 and 2024-03). The umbrella arrives before its child.
  [
    ev('er-report', 'IncidentReported', 'incident/erbil-uav', '2024-03-31T23:30:00Z', {
      incident_id: 'erbil-uav',
      kind: 'attack',
      time: {
        start: '2024-03-31T22:30:00Z',
        local_date: '2024-04-01',
        tz: TZ,
        precision: 'minute',
      },
      place: { site_id: 'erbil-ab', precision: 'site' },
      method: 'one_way_uav',
      source: { source_id: 'centcom' },
    }),
    claim(
      'c-er-woi',
      'erbil-uav',
      '2024-04-01T06:00:00Z',
      US('wounded_or_injured'),
      exact(3),
      'centcom',
    ),
    claim(
      'c-er-ss',
      'erbil-uav',
      '2024-04-01T08:00:00Z',
      seg('target', 'state_security', 'wounded', 'IRQ', 'isf'),
      { low: 3, best: null, high: null, qualifier: 'at_least', raw: 'at least three soldiers' },
      'kurd24',
    ),
    claim('c-er-tbi', 'erbil-uav', '2024-04-10T12:00:00Z', US('injured_tbi'), exact(2), 'dod'),
  ],

  // ---- The strikes. ak-strike (Akashat, day 2024-01-21, no operation) is kurd24's report; s-akashat is CENTCOM's
  // report of the same strike as a member of the operation, merged into ak-strike on 5 Feb.
  [
    strike(
      'ak-report',
      'ak-strike',
      '2024-01-22T08:00:00Z',
      { local_date: '2024-01-21', precision: 'day' },
      'Akashat',
      'Al Anbar',
    ),
    claim('c-ak', 'ak-strike', '2024-01-22T08:00:00Z', KH_KILLED, exact(4), 'kurd24'),
  ],
  [
    strike(
      'sa-report',
      's-akashat',
      '2024-01-21T20:00:00Z',
      { local_date: '2024-01-21', precision: 'day' },
      'Akashat',
      'Al Anbar',
      OP,
    ),
    claim('c-sa', 's-akashat', '2024-01-21T20:30:00Z', KH_KILLED, exact(1), 'centcom'),
    ev('sa-merged', 'IncidentMerged', 'incident/s-akashat', '2024-02-05T00:00:00Z', {
      incident_id: 's-akashat',
      into_incident_id: 'ak-strike',
      reason: 'duplicate_report',
    }),
  ],
  [
    // 23 Jan 21:30Z = 24 Jan 00:30 local.
    strike(
      'sj-report',
      's-jurf',
      '2024-01-24T02:00:00Z',
      { start: '2024-01-23T21:30:00Z', local_date: '2024-01-24', precision: 'minute' },
      'Jurf al-Sakhar',
      'Babil',
      OP,
    ),
    claim('c-sj', 's-jurf', '2024-01-24T03:00:00Z', KH_KILLED, exact(3), 'centcom'),
    claim(
      'c-sj-civ',
      's-jurf',
      '2024-01-24T09:00:00Z',
      seg('third_party', 'civilian', 'killed', 'IRQ'),
      exact(2),
      'kurd24',
    ),
    ev('sj-retracted', 'IncidentRetracted', 'incident/s-jurf', '2024-02-10T00:00:00Z', {
      incident_id: 's-jurf',
      reason: 'did_not_occur',
      source: { source_id: 'centcom' },
    }),
  ],
  [
    // Week precision: local_date is the Thursday of 2024-W05 (§3.2).
    strike(
      'sq-report',
      's-qaim',
      '2024-02-02T10:00:00Z',
      { local_date: '2024-02-01', precision: 'week' },
      'Al-Qaim',
      'Al Anbar',
      OP,
    ),
    claim('c-sq', 's-qaim', '2024-02-02T11:00:00Z', KH_KILLED, exact(2), 'centcom'),
    // A child outcome at the member, covered by the operation's umbrella (both conditions of §5.6 at once).
    claim(
      'c-sq-w',
      's-qaim',
      '2024-05-01T00:00:00Z',
      seg('target', 'militant', 'wounded', undefined, 'kh'),
      exact(1),
      'centcom',
    ),
  ],
  [
    ev('c-op', 'CasualtyReported', `operation/${OP}`, '2024-02-03T12:00:00Z', {
      claim_id: 'c-op',
      scope: { operation_id: OP },
      segment: KH_KILLED,
      count: { low: 5, best: 8, high: 10, qualifier: 'approx' },
      mode: 'total',
      source: { source_id: 'dod' },
    }),
    ev('c-op-woi', 'CasualtyReported', `operation/${OP}`, '2024-05-01T00:00:00Z', {
      claim_id: 'c-op-woi',
      scope: { operation_id: OP },
      segment: seg('target', 'militant', 'wounded_or_injured', undefined, 'kh'),
      count: exact(6),
      mode: 'total',
      source: { source_id: 'dod' },
    }),
  ],
];

const REPOSTED = 'a4-c-as-tbi-2'; // the delta, posted twice; counts once (§1, §5.1): 4 + 3 = 7, not 10

// ---------------------------------------------------------------------------------------------
// Stack
// ---------------------------------------------------------------------------------------------

const audit = auditSuite(streams, REPOSTED, 20240120);

it('the world holds at least 40 events', () => {
  expect(streams.flat().length).toBeGreaterThanOrEqual(40);
});
const get = audit.get;
const detail = (incident: string, asOf?: string) =>
  get<Detail>(`/v1/incidents/${incident}${asOf ? `?asOf=${asOf}` : ''}`);
const fig = (c: Figure) =>
  [
    `${c.role}/${c.outcome}/${c.nationality ?? '-'}`,
    `${c.low} / ${c.best} / ${c.high}`,
    c.source,
    `${c.side ?? '(none)'}/${c.affiliation_actor_id ?? '(none)'}`,
    c.covered ? 'covered' : undefined,
    c.covered_by_operation ? 'covered_by_operation' : undefined,
    c.vague_source ? 'vague_source' : undefined,
    c.delta_without_base ? 'delta_without_base' : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(' ');
const figs = (cs: Figure[]) => cs.map(fig).sort();
const series = (s: SeriesOut) =>
  `${s.source_id} ${s.reliability} ${s.low} / ${s.best} / ${s.high} [${s.claim_ids.join(',')}]${s.delta_without_base ? ' delta_without_base' : ''}${s.via_merge ? ' via_merge' : ''}`;
const tallies = async (q: string) =>
  (await get<Tally>(`/v1/stats/casualties${q}`)).rows.map(tallyLine).sort();

// The instants of the Al-Asad revision curve (each just as a change lands) and of the operation's life.
const R1 = '2024-01-20T18:00:00Z'; // centcom TBI 4
const R2 = '2024-01-21T06:00:00Z'; // + AP TBI 4/6/8, AP wounded (unknown) 2; centcom wounded USA 1 since 20:00Z
const R3 = '2024-01-22T12:00:00Z'; // + centcom delta +3
const R4 = '2024-01-25T12:00:00Z'; // + dod 10 superseding centcom's base total
const R5 = '2024-01-28T12:00:00Z'; // + the umbrella adoption
const R6 = '2024-02-01T12:00:00Z'; // + retraction of dod 10 (cited by the adoption)
const T_NO_OP_FIGURE = '2024-02-02T12:00:00Z'; // three members, no operation claim yet (c-op 3 Feb)
const T_THREE_MEMBERS = '2024-02-04T00:00:00Z'; // c-op in; before the merge (5 Feb)
const T_MERGED = '2024-02-06T00:00:00Z'; // s-akashat merged; s-jurf not yet retracted (10 Feb)
const T_ERBIL_UMBRELLA = '2024-04-05T00:00:00Z'; // Erbil umbrella in, its TBI child not yet (10 Apr)
const AFTER_ALL = '2024-12-31T00:00:00Z';

// Final figures used below (derivations):
// asad-rockets
//   SM injured_tbi USA: centcom 4, +3 (delta), total 9 → 9 (c-as-tbi-1 revived when c-as-tbi-dod is retracted, §5.5
//     Supersession); ap 4/6/8. low = min(9, 4) = 4, high = max(9, 8) = 9, best: centcom (B) beats ap (C) → 9. 4/9/9,
//     covered by the umbrella adoption (§5.6).
//   SM wounded USA: centcom 1 → 1/1/1, covered by the adoption.
//   SM wounded_or_injured USA: adopted 12/14/16 (target, us-mil: the adoption's side and affiliation, §5.5).
//   SM wounded (unknown): ap 2 → 2/2/2 (target, no affiliation). Not covered: the umbrella's nationality is USA (§5.6).
//   militant killed (unknown): sabereen 1 → 1/1/1 (attacker, kh).
//   civilian killed IRQ: kurd24 1, sabereen vague → 1/1/1, vague_source (§5.5) → tally incomplete (§5.6). third_party.
//   state_security wounded IRQ: kurd24 2 (target, isf), ap 3 (third_party) → low 2, high 3, best ap (C beats D) = 3
//     → 2/3/3; side and affiliation differ → absent (§5.5).
// erbil-uav
//   SM wounded_or_injured USA: centcom 3 → 3/3/3 (target, us-mil); SM injured_tbi USA: dod 2 → 2/2/2, covered.
//   state_security wounded IRQ: kurd24 at_least 3 → low 3, high none (no high, no best) → null, best: no series with
//     a best → null. 3/null/null (target, isf); in a tally 3 / 0 / 0 incomplete.
// ak-strike (non-member survivor of s-akashat): militant killed: kurd24 4, centcom 1 (c-sa via_merge) → low 1,
//   high 4, best centcom (B) 1 → 1/1/4 (target, kh).
// s-qaim (the only member left): militant killed centcom 2 → 2/2/2, covered by the operation's 5/8/10 (dod);
//   militant wounded (unknown) centcom 1 → 1/1/1 (1 May), covered by the operation's militant wounded_or_injured
//   (unknown) 6/6/6 (dod, 1 May): S′ is the operation of S and k′ the umbrella of k with the same role and
//   nationality (§5.6).
// s-jurf retracted, s-akashat merged: not counted (§5.3).
const FINAL = [
  'civilian killed IRQ 1 / 1 / 1 incomplete',
  // asad 1/1/1 + ak-strike 1/1/4 + operation 5/8/10 (covers s-qaim's 2).
  'militant killed (unknown) 7 / 10 / 15',
  // the operation's umbrella 6/6/6; s-qaim's wounded 1 is covered (no militant wounded row).
  'militant wounded_or_injured (unknown) 6 / 6 / 6',
  'service_member wounded (unknown) 2 / 2 / 2',
  // asad adopted 12/14/16 + erbil 3/3/3. The children (wounded USA, injured_tbi USA) are covered in their scopes.
  'service_member wounded_or_injured USA 15 / 17 / 19',
  // asad 2/3/3 + erbil 3/0/0 (null best and high add 0, incomplete).
  'state_security wounded IRQ 5 / 3 / 3 incomplete',
];

// ---------------------------------------------------------------------------------------------

describe('overall tallies, final (§5.5, §5.6)', () => {
  it('default grouping role, outcome, nationality', async () => {
    expect(await tallies('')).toEqual([...FINAL].sort());
  });

  it('row sources and figure counts: one adopted figure vs a sum', async () => {
    const t = await get<Tally>('/v1/stats/casualties?role=service_member');
    const row = (outcome: string, nat: string | null) =>
      t.rows.find((r) => r.outcome === outcome && r.nationality === nat)!;
    // wounded_or_injured USA: the asad adoption + the erbil default → 2 figures, 'sum'; wounded (unknown): one default.
    expect([
      row('wounded_or_injured', 'USA').source,
      row('wounded_or_injured', 'USA').figure_count,
      row('wounded', null).source,
      row('wounded', null).figure_count,
    ]).toEqual(['sum', 2, 'default', 1]);
  });

  it('groupBy=side', async () => {
    // attacker: asad militant 1/1/1.
    // target: SM wounded (unknown) 2/2/2 + asad umbrella 12/14/16 + erbil umbrella 3/3/3 + erbil ss 3/0/0 (incomplete)
    //   + ak-strike 1/1/4 + operation 5/8/10 + operation umbrella 6/6/6 = 32 / 34 / 41, incomplete.
    // third_party: asad civilians 1/1/1 (vague_source → incomplete).
    // (none): asad state_security 2/3/3 (claims disagree on side).
    expect(await tallies('?groupBy=side')).toEqual(
      [
        '(none) 2 / 3 / 3',
        'attacker 1 / 1 / 1',
        'target 32 / 34 / 41 incomplete',
        'third_party 1 / 1 / 1 incomplete',
      ].sort(),
    );
  });

  it('groupBy=affiliation', async () => {
    // kh: asad attacker 1/1/1 + ak-strike 1/1/4 + operation 5/8/10 + operation umbrella 6/6/6 = 13/16/21. us-mil: 12/14/16 + 3/3/3 = 15/17/19.
    // isf: erbil ss 3/0/0 incomplete. (none): SM wounded (unknown) 2/2/2 + civilians 1/1/1 (incomplete) + asad ss 2/3/3
    // (affiliation absent because kurd24 says isf and ap says none) = 5/6/6 incomplete.
    expect(await tallies('?groupBy=affiliation')).toEqual(
      [
        '(none) 5 / 6 / 6 incomplete',
        'isf 3 / 0 / 0 incomplete',
        'kh 13 / 16 / 21',
        'us-mil 15 / 17 / 19',
      ].sort(),
    );
  });

  it('groupBy=side,affiliation: the same militant key on the attacker and the target side', async () => {
    // target kh: ak-strike 1/1/4 + operation 5/8/10 + operation umbrella 6/6/6 = 12/15/20.
    expect(await tallies('?groupBy=side,affiliation&role=militant')).toEqual([
      'attacker kh 1 / 1 / 1',
      'target kh 12 / 15 / 20',
    ]);
  });

  it('side=target: the disagreeing state_security figure has no side, so only Erbil’s is there', async () => {
    // militant: ak-strike 1/1/4 + operation 5/8/10 = 6/9/14; state_security wounded IRQ: erbil 3/0/0 only.
    expect(await tallies('?side=target')).toEqual(
      [
        'militant killed (unknown) 6 / 9 / 14',
        'militant wounded_or_injured (unknown) 6 / 6 / 6',
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded_or_injured USA 15 / 17 / 19',
        'state_security wounded IRQ 3 / 0 / 0 incomplete',
      ].sort(),
    );
    expect(await tallies('?side=attacker')).toEqual(['militant killed (unknown) 1 / 1 / 1']);
    expect(await tallies('?side=third_party')).toEqual([
      'civilian killed IRQ 1 / 1 / 1 incomplete',
    ]);
  });

  it('nationality known vs unknown on the same role and outcome are separate keys (§3.4)', async () => {
    expect(await tallies('?nationality=unknown')).toEqual([
      'militant killed (unknown) 7 / 10 / 15',
      'militant wounded_or_injured (unknown) 6 / 6 / 6',
      'service_member wounded (unknown) 2 / 2 / 2',
    ]);
    expect(await tallies('?nationality=USA')).toEqual([
      'service_member wounded_or_injured USA 15 / 17 / 19',
    ]);
    // groupBy role,outcome: wounded (unknown) stays 2/2/2 because wounded USA is covered by the USA umbrella only.
    expect(await tallies('?groupBy=role,outcome&role=service_member')).toEqual([
      'service_member wounded 2 / 2 / 2',
      'service_member wounded_or_injured 15 / 17 / 19',
    ]);
  });
});

describe('incident and operation detail figures (§5.5, §5.6, §6 incident_current)', () => {
  it('asad-rockets final: umbrella adopted, children covered, disagreeing side, vague civilians', async () => {
    const d = await detail('asad-rockets');
    expect(figs(d.casualties)).toEqual(
      [
        'civilian/killed/IRQ 1 / 1 / 1 default third_party/(none) vague_source',
        'militant/killed/- 1 / 1 / 1 default attacker/kh',
        'service_member/injured_tbi/USA 4 / 9 / 9 default target/us-mil covered',
        'service_member/wounded/- 2 / 2 / 2 default target/(none)',
        'service_member/wounded/USA 1 / 1 / 1 default target/us-mil covered',
        'service_member/wounded_or_injured/USA 12 / 14 / 16 adopted target/us-mil',
        'state_security/wounded/IRQ 2 / 3 / 3 default (none)/(none)',
      ].sort(),
    );
    const tbi = d.casualties.find((c) => c.outcome === 'injured_tbi')!;
    // centcom: c-as-tbi-1 (total 4, revived), c-as-tbi-2 (+3), c-as-tbi-3 (total 9) → 9. dod's series is gone (retracted).
    expect(tbi.claims.map(series).sort()).toEqual([
      'ap C 4 / 6 / 8 [c-as-tbi-ap]',
      'centcom B 9 / 9 / 9 [c-as-tbi-1,c-as-tbi-2,c-as-tbi-3]',
    ]);
    // The adoption is used as given although it cites the retracted c-as-tbi-dod (§4: claim_ids are not executed).
    const umbrella = d.casualties.find((c) => c.outcome === 'wounded_or_injured')!;
    expect([umbrella.adoption_policy, umbrella.low, umbrella.best, umbrella.high]).toEqual([
      'editorial',
      12,
      14,
      16,
    ]);
  });

  it('per incident tallies: each incident alone; merged and retracted incidents have no rows', async () => {
    // s-qaim alone (the per-incident set is the incident itself, §5.6): 2/2/2, not covered there.
    expect(await tallies('?groupBy=incident,role,outcome,nationality')).toEqual(
      [
        'ak-strike militant killed (unknown) 1 / 1 / 4',
        'asad-rockets civilian killed IRQ 1 / 1 / 1 incomplete',
        'asad-rockets militant killed (unknown) 1 / 1 / 1',
        'asad-rockets service_member wounded (unknown) 2 / 2 / 2',
        'asad-rockets service_member wounded_or_injured USA 12 / 14 / 16',
        'asad-rockets state_security wounded IRQ 2 / 3 / 3',
        'erbil-uav service_member wounded_or_injured USA 3 / 3 / 3',
        'erbil-uav state_security wounded IRQ 3 / 0 / 0 incomplete',
        's-qaim militant killed (unknown) 2 / 2 / 2',
        's-qaim militant wounded (unknown) 1 / 1 / 1',
      ].sort(),
    );
  });

  it('erbil-uav: umbrella first, then the child: covered from 10 Apr; the at_least figure keeps its nulls', async () => {
    expect(figs((await detail('erbil-uav', T_ERBIL_UMBRELLA)).casualties)).toEqual(
      [
        'service_member/wounded_or_injured/USA 3 / 3 / 3 default target/us-mil',
        'state_security/wounded/IRQ 3 / null / null default target/isf',
      ].sort(),
    );
    expect(figs((await detail('erbil-uav')).casualties)).toEqual(
      [
        'service_member/injured_tbi/USA 2 / 2 / 2 default target/us-mil covered',
        'service_member/wounded_or_injured/USA 3 / 3 / 3 default target/us-mil',
        'state_security/wounded/IRQ 3 / null / null default target/isf',
      ].sort(),
    );
    // Tally of the incident is the same at both instants: the child is covered.
    expect(await tallies(`?incident=erbil-uav&asOf=${T_ERBIL_UMBRELLA}`)).toEqual(
      await tallies('?incident=erbil-uav'),
    );
  });

  it('s-qaim: its figure covered by the operation, which has one member left and anchors on it', async () => {
    const d = await detail('s-qaim');
    expect(figs(d.casualties)).toEqual([
      'militant/killed/- 2 / 2 / 2 default target/kh covered_by_operation',
      'militant/wounded/- 1 / 1 / 1 default target/kh covered_by_operation',
    ]);
    expect([
      d.operation!.operation_id,
      d.operation!.member_incident_ids,
      d.operation!.anchor_incident_id,
      d.operation!.counted,
    ]).toEqual([OP, ['s-qaim'], 's-qaim', true]);
    expect(figs(d.operation!.casualties)).toEqual([
      'militant/killed/- 5 / 8 / 10 default target/kh',
      'militant/wounded_or_injured/- 6 / 6 / 6 default target/kh',
    ]);
  });

  it('ak-strike: the merged member’s claim counts here, via_merge; not covered by the operation (not a member)', async () => {
    const d = await detail('ak-strike');
    expect(d.incident.operation_id).toBeNull();
    expect(figs(d.casualties)).toEqual(['militant/killed/- 1 / 1 / 4 default target/kh']);
    expect(d.casualties[0]!.claims.map(series).sort()).toEqual([
      'centcom B 1 / 1 / 1 [c-sa] via_merge',
      'kurd24 D 4 / 4 / 4 [c-ak]',
    ]);
  });

  it('the operation as of 4 Feb: three members, anchor s-akashat (earliest local_date)', async () => {
    const d = await detail('s-qaim', T_THREE_MEMBERS);
    expect([[...d.operation!.member_incident_ids].sort(), d.operation!.anchor_incident_id]).toEqual(
      [['s-akashat', 's-jurf', 's-qaim'], 's-akashat'],
    );
    // As of 6 Feb s-akashat is merged: s-jurf (24 Jan) is the anchor.
    const m = await detail('s-qaim', T_MERGED);
    expect([[...m.operation!.member_incident_ids].sort(), m.operation!.anchor_incident_id]).toEqual(
      [['s-jurf', 's-qaim'], 's-jurf'],
    );
  });
});

describe('the operation: covering its members, a member merged away, a member retracted (§5.3, §5.6)', () => {
  it.each([
    // No operation claim: members s-akashat 1 + s-jurf 3 + s-qaim 2 → militant killed 6/6/6; s-jurf's civilians 2.
    [T_NO_OP_FIGURE, ['civilian killed IRQ 2 / 2 / 2', 'militant killed (unknown) 6 / 6 / 6']],
    // dod 5/8/10 covers the three members' militant figures; the civilians (no operation figure for that key) stay.
    [T_THREE_MEMBERS, ['civilian killed IRQ 2 / 2 / 2', 'militant killed (unknown) 5 / 8 / 10']],
    // s-akashat merged out: still 5/8/10 (covers s-jurf, s-qaim).
    [T_MERGED, ['civilian killed IRQ 2 / 2 / 2', 'militant killed (unknown) 5 / 8 / 10']],
    // s-jurf retracted: its civilians leave. The operation umbrella 6 covers s-qaim's militant wounded 1 (1 May).
    [
      AFTER_ALL,
      ['militant killed (unknown) 5 / 8 / 10', 'militant wounded_or_injured (unknown) 6 / 6 / 6'],
    ],
  ])('per operation as of %s', async (asOf, rows) => {
    expect(await tallies(`?operation=${OP}&groupBy=role,outcome,nationality&asOf=${asOf}`)).toEqual(
      rows.map((r) => `${OP} ${r}`).sort(),
    );
  });

  it.each([
    // asad 1 + ak-strike 4 (kurd24 only) + s-akashat 1 + s-jurf 3 + s-qaim 2 = 11. Civilians: asad 1 (vague) + s-jurf 2.
    [
      T_NO_OP_FIGURE,
      ['civilian killed IRQ 3 / 3 / 3 incomplete', 'militant killed (unknown) 11 / 11 / 11'],
    ],
    // asad 1/1/1 + ak-strike 4/4/4 + operation 5/8/10 = 10/13/15.
    [
      T_THREE_MEMBERS,
      ['civilian killed IRQ 3 / 3 / 3 incomplete', 'militant killed (unknown) 10 / 13 / 15'],
    ],
    // c-sa now counts at ak-strike (1/1/4, no longer covered): 1/1/1 + 1/1/4 + 5/8/10 = 7/10/15.
    [
      T_MERGED,
      ['civilian killed IRQ 3 / 3 / 3 incomplete', 'militant killed (unknown) 7 / 10 / 15'],
    ],
    [
      AFTER_ALL,
      [
        'civilian killed IRQ 1 / 1 / 1 incomplete',
        'militant killed (unknown) 7 / 10 / 15',
        'militant wounded_or_injured (unknown) 6 / 6 / 6',
      ],
    ],
  ])('overall militant and civilian rows as of %s', async (asOf, rows) => {
    expect(await tallies(`?role=militant,civilian&asOf=${asOf}`)).toEqual([...rows].sort());
  });
});

describe('per-period tallies (§5.4, §5.6)', () => {
  it('Erbil, 1 Apr 01:30 local (31 Mar 22:30Z): in the local day, week and month buckets', async () => {
    // asad (local 2024-01-20, W03, 2024-01): umbrella 12/14/16, wounded (unknown) 2/2/2.
    expect(await tallies('?grain=day&role=service_member')).toEqual(
      [
        '2024-01-20 service_member wounded (unknown) 2 / 2 / 2',
        '2024-01-20 service_member wounded_or_injured USA 12 / 14 / 16',
        '2024-04-01 service_member wounded_or_injured USA 3 / 3 / 3',
      ].sort(),
    );
    expect(await tallies('?grain=week&role=service_member')).toEqual(
      [
        '2024-W03 service_member wounded (unknown) 2 / 2 / 2',
        '2024-W03 service_member wounded_or_injured USA 12 / 14 / 16',
        '2024-W14 service_member wounded_or_injured USA 3 / 3 / 3',
      ].sort(),
    );
    expect(await tallies('?grain=month&role=service_member')).toEqual(
      [
        '2024-01 service_member wounded (unknown) 2 / 2 / 2',
        '2024-01 service_member wounded_or_injured USA 12 / 14 / 16',
        '2024-04 service_member wounded_or_injured USA 3 / 3 / 3',
      ].sort(),
    );
    // A range ending on 31 Mar leaves Erbil out; starting on 1 Apr keeps only it.
    expect(await tallies('?grain=day&role=service_member&from=2024-03-01&to=2024-03-31')).toEqual(
      [],
    );
    expect(await tallies('?grain=month&from=2024-04-01&to=2024-04-30')).toEqual([
      '2024-04 service_member wounded_or_injured USA 3 / 3 / 3',
      '2024-04 state_security wounded IRQ 3 / 0 / 0 incomplete',
    ]);
  });

  it('final: the operation’s figure sits on s-qaim’s week and month (week precision), not in any day', async () => {
    // day: asad 01-20 1/1/1; ak-strike 01-21 1/1/4. s-qaim (week precision) and the operation are not in the day series.
    expect(await tallies('?grain=day&role=militant')).toEqual([
      '2024-01-20 militant killed (unknown) 1 / 1 / 1',
      '2024-01-21 militant killed (unknown) 1 / 1 / 4',
    ]);
    // week: W03 = asad 1/1/1 + ak-strike 1/1/4 = 2/2/5; W05 = operation 5/8/10 and its umbrella 6/6/6 (covering s-qaim's
    // figures). The bucket is the anchor's local_date, not the time of the operation claims (May).
    expect(await tallies('?grain=week&role=militant')).toEqual([
      '2024-W03 militant killed (unknown) 2 / 2 / 5',
      '2024-W05 militant killed (unknown) 5 / 8 / 10',
      '2024-W05 militant wounded_or_injured (unknown) 6 / 6 / 6',
    ]);
    expect(await tallies('?grain=month&role=militant')).toEqual([
      '2024-01 militant killed (unknown) 2 / 2 / 5',
      '2024-02 militant killed (unknown) 5 / 8 / 10',
      '2024-02 militant wounded_or_injured (unknown) 6 / 6 / 6',
    ]);
  });

  it('as of 4 Feb: the operation anchors on s-akashat’s day (2024-01-21) and covers s-jurf’s figure in its own bucket', async () => {
    // 01-21: ak-strike 4/4/4 + operation 5/8/10 = 9/12/14; s-jurf's 3 (01-24) covered; civilians at 01-24 stay.
    expect(await tallies(`?grain=day&role=militant,civilian&asOf=${T_THREE_MEMBERS}`)).toEqual(
      [
        '2024-01-20 civilian killed IRQ 1 / 1 / 1 incomplete',
        '2024-01-20 militant killed (unknown) 1 / 1 / 1',
        '2024-01-21 militant killed (unknown) 9 / 12 / 14',
        '2024-01-24 civilian killed IRQ 2 / 2 / 2',
      ].sort(),
    );
  });

  it('as of 6 Feb: the anchor moves to s-jurf (2024-01-24, W04)', async () => {
    expect(await tallies(`?grain=day&role=militant&asOf=${T_MERGED}`)).toEqual([
      '2024-01-20 militant killed (unknown) 1 / 1 / 1',
      '2024-01-21 militant killed (unknown) 1 / 1 / 4',
      '2024-01-24 militant killed (unknown) 5 / 8 / 10',
    ]);
    expect(await tallies(`?grain=week&role=militant&asOf=${T_MERGED}`)).toEqual([
      '2024-W03 militant killed (unknown) 2 / 2 / 5',
      '2024-W04 militant killed (unknown) 5 / 8 / 10',
    ]);
  });

  it('incomplete flags propagate to period sums', async () => {
    // W03: asad civilians (vague_source) and state_security 2/3/3; W14: erbil ss 3/0/0 (nulls) → incomplete.
    expect(await tallies('?grain=week&groupBy=role,outcome&role=civilian,state_security')).toEqual(
      [
        '2024-W03 civilian killed 1 / 1 / 1 incomplete',
        '2024-W03 state_security wounded 2 / 3 / 3',
        '2024-W14 state_security wounded 3 / 0 / 0 incomplete',
      ].sort(),
    );
    // One month bucket with both state_security figures would mix them: overall (un-bucketed) 5/3/3 incomplete.
    expect(await tallies('?groupBy=role&role=state_security')).toEqual([
      'state_security 5 / 3 / 3 incomplete',
    ]);
  });
});

describe('the Al-Asad revision curve, overall service_member rows (§5.5, §5.7)', () => {
  it.each([
    // centcom 4.
    [R1, ['service_member injured_tbi USA 4 / 4 / 4']],
    // TBI: centcom 4, ap 4/6/8 → low 4, high 8, best centcom (B over C) 4. centcom wounded USA 1; ap wounded (unknown) 2.
    [
      R2,
      [
        'service_member injured_tbi USA 4 / 4 / 8',
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded USA 1 / 1 / 1',
      ],
    ],
    // centcom 4 + 3 = 7 → low min(7, 4) = 4, high max(7, 8) = 8, best 7.
    [
      R3,
      [
        'service_member injured_tbi USA 4 / 7 / 8',
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded USA 1 / 1 / 1',
      ],
    ],
    // c-as-tbi-1 superseded by dod: centcom = delta alone from 0 = 3 (delta_without_base); dod 10; ap 4/6/8.
    // low min(3, 4, 10) = 3; high max(3, 8, 10) = 10; best: centcom and dod both B, dod's last claim is later → 10.
    [
      R4,
      [
        'service_member injured_tbi USA 3 / 10 / 10',
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded USA 1 / 1 / 1',
      ],
    ],
    // Umbrella adopted 12/14/16 covers TBI USA and wounded USA; not wounded (unknown).
    [
      R5,
      [
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded_or_injured USA 12 / 14 / 16',
      ],
    ],
    // dod 10 retracted: TBI is 4/7/8 again underneath, still covered; the adoption stands.
    [
      R6,
      [
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded_or_injured USA 12 / 14 / 16',
      ],
    ],
    // + Erbil's umbrella 3/3/3 (1 Apr).
    [
      T_ERBIL_UMBRELLA,
      [
        'service_member wounded (unknown) 2 / 2 / 2',
        'service_member wounded_or_injured USA 15 / 17 / 19',
      ],
    ],
  ])('as of %s', async (asOf, rows) => {
    expect(await tallies(`?role=service_member&asOf=${asOf}`)).toEqual([...rows].sort());
  });

  it('as of R2 the civilian key has only the vague claim: an unknown figure, 0 / 0 / 0 incomplete in the tally', async () => {
    // sabereen's vague claim (20 Jan 22:00Z) is the only one before kurd24's 1 (21 Jan 09:00Z): no number at all → the
    // figure is unknown (§5.5); a null component adds 0 and marks the row incomplete (§5.6).
    const civ = (await detail('asad-rockets', R2)).casualties.find((c) => c.role === 'civilian')!;
    expect([civ.low, civ.best, civ.high]).toEqual([null, null, null]);
    expect(await tallies(`?role=civilian&asOf=${R2}`)).toEqual([
      'civilian killed IRQ 0 / 0 / 0 incomplete',
    ]);
  });

  it('as of R2, grouped by role and outcome: the USA and unknown-nationality wounded add up (1 + 2)', async () => {
    expect(await tallies(`?groupBy=role,outcome&role=service_member&asOf=${R2}`)).toEqual([
      'service_member injured_tbi 4 / 4 / 8',
      'service_member wounded 3 / 3 / 3',
    ]);
  });

  it.each([
    [
      R3,
      'service_member/injured_tbi/USA 4 / 7 / 8 default target/us-mil',
      ['ap C 4 / 6 / 8 [c-as-tbi-ap]', 'centcom B 7 / 7 / 7 [c-as-tbi-1,c-as-tbi-2]'],
    ],
    [
      R4,
      'service_member/injured_tbi/USA 3 / 10 / 10 default target/us-mil delta_without_base',
      [
        'ap C 4 / 6 / 8 [c-as-tbi-ap]',
        'centcom B 3 / 3 / 3 [c-as-tbi-2] delta_without_base',
        'dod B 10 / 10 / 10 [c-as-tbi-dod]',
      ],
    ],
    [
      R5,
      'service_member/injured_tbi/USA 3 / 10 / 10 default target/us-mil covered delta_without_base',
      [
        'ap C 4 / 6 / 8 [c-as-tbi-ap]',
        'centcom B 3 / 3 / 3 [c-as-tbi-2] delta_without_base',
        'dod B 10 / 10 / 10 [c-as-tbi-dod]',
      ],
    ],
    // Retracting the superseding claim revives c-as-tbi-1 (§5.5 Supersession): centcom 4 + 3 = 7.
    [
      R6,
      'service_member/injured_tbi/USA 4 / 7 / 8 default target/us-mil covered',
      ['ap C 4 / 6 / 8 [c-as-tbi-ap]', 'centcom B 7 / 7 / 7 [c-as-tbi-1,c-as-tbi-2]'],
    ],
  ])('asad-rockets TBI figure as of %s', async (asOf, figure, claims) => {
    const tbi = (await detail('asad-rockets', asOf)).casualties.find(
      (c) => c.outcome === 'injured_tbi',
    )!;
    expect(fig(tbi)).toBe(figure);
    expect(tbi.claims.map(series).sort()).toEqual(claims);
  });
});

describe('projection and replay', () => {
  it('the reposted delta is applied once: no dead letter', async () => {
    const res = await request(`${audit.stack().url}/v1/projections`);
    const main = (
      res.body as { projections: { projection: string; dead_letters: number }[] }
    ).projections.find((p) => p.projection === 'main')!;
    expect(main.dead_letters).toBe(0);
  });

  it.each([
    '/v1/stats/casualties',
    '/v1/stats/casualties?groupBy=side,affiliation',
    '/v1/stats/casualties?groupBy=incident,role,outcome,nationality',
    `/v1/stats/casualties?groupBy=operation,role,outcome,nationality&operation=${OP}`,
    '/v1/stats/casualties?grain=day',
    '/v1/stats/casualties?grain=week',
    '/v1/stats/casualties?grain=month',
  ])('current tables equal the as-of answer after the last event: %s', async (path) => {
    const strip = (x: unknown) =>
      JSON.parse(
        JSON.stringify(x, (k: string, v: unknown) =>
          k === 'as_of' || k === 'stale' ? undefined : v,
        ),
      ) as unknown;
    const sep = path.includes('?') ? '&' : '?';
    expect(strip(await get<unknown>(`${path}${sep}asOf=${AFTER_ALL}`))).toEqual(
      strip(await get<unknown>(path)),
    );
  });
});
