// Fifth audit scenario, on what the first four touched little: the incident list's filters and keyset paging (status
// lists, method, kind, country / admin1 / site with an admin1 name that exists in two countries, local-date ranges
// across a time-zone boundary, top perpetrator with a minimum likelihood, hasCasualties, operation) and its cursors over
// ties; GET /v1/responses (basis, likelihood, link, trigger and response filters, lag in minutes through a merge of the
// trigger and through the changing start of an operation, a removed link, an unreported trigger, an operation without
// members, paging); an operation whose membership changes by amendment and retraction; the dataschema attribute (v1
// explicit, anything else refused); two contents for one (source, id) (§5.1) in both arrival orders; and the revision
// feed under `since` and `cursor` with a late wave of events whose `time` lies in the past.
//
// The world: Houthi attacks on shipping in the Red Sea and the Gulf of Aden (January–February 2024), a ballistic missile
// towards Eilat, an interception over Saudi Al Jawf, and the US strikes in Yemen of 3 February 2024 as one operation.
// All ids and figures are invented.
//
// The events are posted through the public ingest API in a shuffled order that keeps each stream's own order, some in
// batches, one twice, and read back through the public query API. Every expected value was derived by hand from
// shared/domain/events.md; the derivation is next to each expectation. a / b / c is low / best / high. Run with
// AUDIT_SEED=<n> to replay another interleaving. The last describe block posts a late wave: it runs last, and the
// blocks before it describe the world without it.
//
// Readings where events.md is silent (docs/decisions.md and services/query/README.md where they say so): hasCasualties is
// the incident's own tally with a best above 0 (§6 incidents_with_casualties), so "at least 2" (best null) is false; a
// losing variant never shows, not even as of an instant before the winner's time (decisions.md, §5.7); a link naming an
// unknown trigger gives it an unreported row (§5.2); an edge to an operation without members carries `no_members`;
// `since` compares with the time the service stored the event; a merged or retracted incident's row keeps its own
// effective fields (§6 incident_current); the revision feed is checked for containment of the rows that changed.
//
// Reliability: ukmto B, centcom B, idf B, reuters C, ambrey C, spa C, saba D, yahya-saree E.
// Local times: Asia/Aden and Asia/Riyadh UTC+3, Asia/Jerusalem UTC+2 in February (DST starts 29 March 2024).
import { request } from './support/http.js';
import {
  auditEvents,
  referenceEvents,
  auditSuite,
  lbh,
  type AuditEvent,
  type Detail,
  type Edge,
  type Summary,
} from './support/audit.js';

// ---------------------------------------------------------------------------------------------
// The world
// ---------------------------------------------------------------------------------------------

const FEED = '/feeds/audit-desk-5';
const OP = 'op-2024-02-03-yemen';
const OP_EMPTY = 'op-2024-02-24-yemen'; // named by a link, never by an incident: no members
const REF = '2024-01-01T00:00:00Z';
const ADEN = 'Asia/Aden';

const ev = auditEvents('a5-', FEED);
const withSchema = (e: AuditEvent, dataschema: string): AuditEvent =>
  Object.assign({}, e, { dataschema });

const exact = (n: number) => ({ low: n, best: n, high: n, qualifier: 'exact' });
const src = (source_id: string) => ({ source_id });
const { source, actor } = referenceEvents(ev, REF);
const minute = (start: string, local_date: string, tz = ADEN) => ({
  start,
  local_date,
  tz,
  precision: 'minute',
});
const sea = (name: string) => ({ name, precision: 'water_air' });
const report = (eid: string, incident: string, time: string, data: Record<string, unknown>) =>
  ev(eid, 'IncidentReported', `incident/${incident}`, time, { incident_id: incident, ...data });
const strike = (
  eid: string,
  incident: string,
  time: string,
  when: object,
  place: object,
  source_id: string,
  operation?: string,
) =>
  report(eid, incident, time, {
    kind: 'response_strike',
    ...(operation ? { operation_id: operation } : {}),
    time: when,
    place,
    method: 'airstrike_fixed_wing',
    source: src(source_id),
  });
const attribution = (
  aid: string,
  incident: string,
  time: string,
  actor_id: string,
  role: string,
  basis: string,
  likelihood: string,
  source_id: string,
) =>
  ev(aid, 'AttributionAsserted', `incident/${incident}`, time, {
    assertion_id: aid,
    incident_id: incident,
    actor_id,
    role,
    basis,
    likelihood,
    source: src(source_id),
  });
const casualty = (
  cid: string,
  incident: string,
  time: string,
  segment: object,
  count: object,
  source_id: string,
) =>
  ev(cid, 'CasualtyReported', `incident/${incident}`, time, {
    claim_id: cid,
    scope: { incident_id: incident },
    segment,
    count,
    mode: 'total',
    source: src(source_id),
  });
const CREW = (nationality?: string) => ({
  side: 'target',
  role: 'civilian',
  outcome: 'wounded',
  ...(nationality ? { nationality_iso3: nationality } : {}),
});
const HOUTHI_KILLED = {
  side: 'target',
  affiliation_actor_id: 'ansar-allah',
  role: 'militant',
  outcome: 'killed',
};
const link = (
  lid: string,
  time: string,
  response: object,
  triggers: string[],
  basis: string,
  likelihood: string,
  source_id: string,
  extra: object = {},
) =>
  ev(lid, 'ResponseLinked', `link/${lid}`, time, {
    link_id: lid,
    ...response,
    trigger_incident_ids: triggers,
    basis,
    likelihood,
    ...extra,
    source: src(source_id),
  });

// The two contents of a5-rc-report (rs-0215-cm): UKMTO's first note (cruise missile, 10:00Z) and its correction
// (ballistic missile, 14:00Z) under the same id. Canonical JSON (RFC 8785) starts with "data", and inside it
// incident_id and kind are equal, so "method" decides: "ballistic_missile" < "cruise_missile" → the 14:00Z variant wins
// (§5.1), although it was posted second.
const rcReport = (time: string, method: string) =>
  report('rc-report', 'rs-0215-cm', time, {
    kind: 'attack',
    time: minute('2024-02-15T07:20:00Z', '2024-02-15'),
    place: sea('Red Sea, Bab al-Mandab'),
    method,
    source: src('ukmto'),
  });
// The two contents of a5-ga-amend: {"changes":{"method":"armed_uav"}...} < {"changes":{"method":"one_way_uav"}...} →
// the armed_uav variant wins; it is posted first here, the loser second.
const gaAmend = (method: string, reason: string) =>
  ev('ga-amend', 'IncidentAmended', 'incident/ga-0212-uav', '2024-02-13T12:00:00Z', {
    incident_id: 'ga-0212-uav',
    changes: { method },
    reason,
    source: src('ukmto'),
  });

const streams: AuditEvent[][] = [
  [source('ukmto', 'UK Maritime Trade Operations', 'military', 'International', 'B')],
  [source('centcom', 'U.S. Central Command', 'military', 'International', 'B')],
  [source('idf', 'Israel Defense Forces', 'military', 'National', 'B')],
  [source('reuters', 'Reuters', 'wire', 'International', 'C')],
  [source('ambrey', 'Ambrey', 'monitor_ngo', 'International', 'C')],
  [source('spa', 'Saudi Press Agency', 'official_gov', 'National', 'C')],
  [source('saba', 'Saba News Agency (Sanaa)', 'partisan_media', 'National', 'D')],
  [source('yahya-saree', 'Yahya Saree (Telegram)', 'armed_group_channel', 'New media', 'E')],
  [actor('ansar-allah', 'Ansar Allah (Houthis)', 2, 'YEM')],
  [
    actor(
      'iran-irgc',
      'Military Forces of Iran (1979-) Islamic Revolutionary Guard Corps',
      1,
      'IRN',
    ),
  ],
  [actor('us-mil', 'Military Forces of the United States (2021-)', 8, 'USA')],
  [
    ev('site-al-dailami', 'SiteRegistered', 'site/al-dailami', REF, {
      site_id: 'al-dailami',
      names: ['Al-Dailami Air Base'],
      kind: 'base',
      place: {
        name: 'Al-Dailami Air Base',
        country_iso3: 'YEM',
        admin1: 'Amanat al Asimah',
        lat: 15.47,
        lon: 44.22,
        precision: 'site',
      },
    }),
  ],

  // ---- 31 Jan: an anti-ship ballistic missile in the Red Sea, 13:40:30Z (16:40 local). Saba's report of the same
  // attack (day precision, with a casualty claim and a self-declared attribution) is merged into UKMTO's on 8 Feb.
  [
    report('as-report', 'rs-0131-asbm', '2024-01-31T14:30:00Z', {
      kind: 'attack',
      time: minute('2024-01-31T13:40:30Z', '2024-01-31'),
      place: sea('Red Sea, 60 NM west of Hodeidah'),
      method: 'ballistic_missile',
      target: { facility: 'MV Tern Harbour' },
      source: src('ukmto'),
    }),
    attribution(
      'as-centcom',
      'rs-0131-asbm',
      '2024-01-31T16:00:00Z',
      'ansar-allah',
      'perpetrator',
      'official_assessment',
      'very_likely',
      'centcom',
    ),
  ],
  [
    report('sb-report', 'rs-0131-saba', '2024-01-31T18:00:00Z', {
      kind: 'attack',
      time: { local_date: '2024-01-31', tz: ADEN, precision: 'day' },
      place: sea('Red Sea'),
      method: 'ballistic_missile',
      source: src('saba'),
    }),
    attribution(
      'sb-saba',
      'rs-0131-saba',
      '2024-01-31T18:00:00Z',
      'ansar-allah',
      'perpetrator',
      'self_declared',
      'almost_certain',
      'saba',
    ),
    casualty('c-sb-crew', 'rs-0131-saba', '2024-01-31T18:30:00Z', CREW(), exact(2), 'saba'),
    ev('sb-merged', 'IncidentMerged', 'incident/rs-0131-saba', '2024-02-08T08:00:00Z', {
      incident_id: 'rs-0131-saba',
      into_incident_id: 'rs-0131-asbm',
      reason: 'duplicate_report',
    }),
  ],

  // ---- 1 Feb: a drone attack on a tanker in the Gulf of Aden, 09:05Z.
  [
    report('gu-report', 'gulf-0201-uav', '2024-02-01T10:00:00Z', {
      kind: 'attack',
      time: minute('2024-02-01T09:05:00Z', '2024-02-01'),
      place: sea('Gulf of Aden, 70 NM south-east of Aden'),
      method: 'one_way_uav',
      source: src('ukmto'),
    }),
    casualty('c-gu-crew', 'gulf-0201-uav', '2024-02-01T12:00:00Z', CREW('IND'), exact(1), 'ambrey'),
    attribution(
      'gu-ambrey',
      'gulf-0201-uav',
      '2024-02-01T12:00:00Z',
      'ansar-allah',
      'perpetrator',
      'analyst',
      'likely',
      'ambrey',
    ),
    // A sponsor, not a perpetrator: it never becomes the top perpetrator (§4, §5.9).
    attribution(
      'gu-sponsor',
      'gulf-0201-uav',
      '2024-02-02T10:00:00Z',
      'iran-irgc',
      'sponsor',
      'intelligence_assessment',
      'very_likely',
      'centcom',
    ),
  ],

  // ---- 3 Feb: the US strikes. Members by their reports: s-dailami (20:30Z minute), s-hodeidah (20:00Z hour),
  // s-jawf (21:15Z = 00:15 on 4 Feb local), s-saada (day, no start; amended out on 5 Feb); s-taiz (19:45Z minute) is
  // reported without the operation, amended into it on 4 Feb (an explicit v1 dataschema), retracted on 6 Feb.
  [
    strike(
      'da-report',
      's-dailami',
      '2024-02-03T23:00:00Z',
      minute('2024-02-03T20:30:00Z', '2024-02-03'),
      { site_id: 'al-dailami', precision: 'site' },
      'centcom',
      OP,
    ),
    attribution(
      'da-attr',
      's-dailami',
      '2024-02-03T23:00:00Z',
      'us-mil',
      'perpetrator',
      'self_declared',
      'almost_certain',
      'centcom',
    ),
    // "No casualties": an exact 0 is a number, and a best of 0 is not above 0.
    casualty('c-da-none', 's-dailami', '2024-02-04T10:00:00Z', HOUTHI_KILLED, exact(0), 'centcom'),
  ],
  [
    strike(
      'hd-report',
      's-hodeidah',
      '2024-02-03T23:00:00Z',
      { start: '2024-02-03T20:00:00Z', local_date: '2024-02-03', tz: ADEN, precision: 'hour' },
      { name: 'Hodeidah', country_iso3: 'YEM', admin1: 'Al Hudaydah', precision: 'near_site' },
      'centcom',
      OP,
    ),
    attribution(
      'hd-attr',
      's-hodeidah',
      '2024-02-03T23:00:00Z',
      'us-mil',
      'perpetrator',
      'self_declared',
      'almost_certain',
      'centcom',
    ),
    casualty(
      'c-hd-saree',
      's-hodeidah',
      '2024-02-04T03:00:00Z',
      HOUTHI_KILLED,
      { low: null, best: 5, high: null, qualifier: 'approx', raw: 'five martyrs' },
      'yahya-saree',
    ),
  ],
  [
    strike(
      'jf-report',
      's-jawf',
      '2024-02-04T01:00:00Z',
      minute('2024-02-03T21:15:00Z', '2024-02-04'),
      { name: 'Al Hazm', country_iso3: 'YEM', admin1: 'Al Jawf', precision: 'near_site' },
      'centcom',
      OP,
    ),
    casualty(
      'c-jf-vague',
      's-jawf',
      '2024-02-04T04:00:00Z',
      HOUTHI_KILLED,
      { low: null, best: null, high: null, qualifier: 'vague', raw: 'martyrs' },
      'yahya-saree',
    ),
  ],
  [
    strike(
      'sa-report',
      's-saada',
      '2024-02-04T02:00:00Z',
      { local_date: '2024-02-03', tz: ADEN, precision: 'day' },
      { name: 'Saada', country_iso3: 'YEM', admin1: 'Saada', precision: 'adm1' },
      'centcom',
      OP,
    ),
    ev('sa-amend', 'IncidentAmended', 'incident/s-saada', '2024-02-05T10:00:00Z', {
      incident_id: 's-saada',
      changes: { operation_id: null },
      reason: 'a separate strike, not part of the 3 February operation',
      source: src('centcom'),
    }),
  ],
  [
    strike(
      'tz-report',
      's-taiz',
      '2024-02-04T06:00:00Z',
      minute('2024-02-03T19:45:00Z', '2024-02-03'),
      { name: 'Taiz', country_iso3: 'YEM', admin1: 'Taizz', precision: 'near_site' },
      'reuters',
    ),
    withSchema(
      ev('tz-amend', 'IncidentAmended', 'incident/s-taiz', '2024-02-04T12:00:00Z', {
        incident_id: 's-taiz',
        changes: { operation_id: OP },
        reason: 'CENTCOM lists Taiz among the targets of 3 February',
        source: src('centcom'),
      }),
      'urn:incidents:IncidentAmended:v1',
    ),
    ev('tz-retracted', 'IncidentRetracted', 'incident/s-taiz', '2024-02-06T12:00:00Z', {
      incident_id: 's-taiz',
      reason: 'did_not_occur',
      source: src('centcom'),
    }),
  ],

  // ---- 12 Feb 21:30Z, one instant on two local dates: a ballistic missile towards Eilat (23:30 on 12 Feb in
  // Jerusalem) and a drone attack in the Gulf of Aden (00:30 on 13 Feb in Aden); an interception over Saudi Al Jawf at
  // 21:45Z (00:45 on 13 Feb in Riyadh).
  [
    report('ei-report', 'eilat-0212-bm', '2024-02-12T22:00:00Z', {
      kind: 'attack',
      time: minute('2024-02-12T21:30:00Z', '2024-02-12', 'Asia/Jerusalem'),
      place: { name: 'Eilat', country_iso3: 'ISR', admin1: 'Southern', precision: 'near_site' },
      method: 'ballistic_missile',
      munitions: exact(1),
      source: src('idf'),
    }),
    ev('ei-icp', 'InterceptionReported', 'incident/eilat-0212-bm', '2024-02-12T22:00:00Z', {
      incident_id: 'eilat-0212-bm',
      intercepted: exact(1),
      system: 'Arrow',
      source: src('idf'),
    }),
    attribution(
      'ei-idf',
      'eilat-0212-bm',
      '2024-02-12T23:00:00Z',
      'ansar-allah',
      'perpetrator',
      'official_assessment',
      'likely',
      'idf',
    ),
    attribution(
      'ei-reuters',
      'eilat-0212-bm',
      '2024-02-13T09:00:00Z',
      'iran-irgc',
      'perpetrator',
      'media',
      'roughly_even',
      'reuters',
    ),
  ],
  [
    report('ga-report', 'ga-0212-uav', '2024-02-12T23:00:00Z', {
      kind: 'attack',
      time: minute('2024-02-12T21:30:00Z', '2024-02-13'),
      place: sea('Gulf of Aden, 50 NM south of Mukalla'),
      method: 'unknown',
      source: src('ukmto'),
    }),
    casualty(
      'c-ga-crew',
      'ga-0212-uav',
      '2024-02-13T06:00:00Z',
      CREW(),
      { low: 2, best: null, high: null, qualifier: 'at_least', raw: 'at least two crew injured' },
      'ukmto',
    ),
    attribution(
      'ga-reuters',
      'ga-0212-uav',
      '2024-02-13T08:00:00Z',
      'ansar-allah',
      'perpetrator',
      'media',
      'likely',
      'reuters',
    ),
    attribution(
      'ga-centcom',
      'ga-0212-uav',
      '2024-02-13T10:00:00Z',
      'iran-irgc',
      'perpetrator',
      'intelligence_assessment',
      'likely',
      'centcom',
    ),
    gaAmend('armed_uav', 'debris identified as an armed UAV'),
    gaAmend('one_way_uav', 'debris identified as a one-way attack UAV'),
  ],
  [
    report('jw-report', 'jawf-0212-icp', '2024-02-13T06:00:00Z', {
      kind: 'interception',
      time: minute('2024-02-12T21:45:00Z', '2024-02-13', 'Asia/Riyadh'),
      place: { name: 'Tabarjal', country_iso3: 'SAU', admin1: 'Al Jawf', precision: 'near_site' },
      method: 'ballistic_missile',
      source: src('spa'),
    }),
    attribution(
      'jw-spa',
      'jawf-0212-icp',
      '2024-02-13T06:00:00Z',
      'ansar-allah',
      'perpetrator',
      'official_assessment',
      'almost_certain',
      'spa',
    ),
    ev('jw-withdrawn', 'AttributionWithdrawn', 'incident/jawf-0212-icp', '2024-02-14T09:00:00Z', {
      assertion_id: 'jw-spa',
      incident_id: 'jawf-0212-icp',
      reason: 'SPA withdrew the statement',
    }),
  ],

  // ---- 15 Feb: the incident with two contents for one report id (loser posted first), and two perpetrator assertions of
  // equal likelihood from equally reliable sources.
  [
    rcReport('2024-02-15T10:00:00Z', 'cruise_missile'),
    attribution(
      'rc-centcom',
      'rs-0215-cm',
      '2024-02-15T11:00:00Z',
      'iran-irgc',
      'perpetrator',
      'intelligence_assessment',
      'very_likely',
      'centcom',
    ),
    rcReport('2024-02-15T14:00:00Z', 'ballistic_missile'),
    attribution(
      'rc-ukmto',
      'rs-0215-cm',
      '2024-02-15T16:00:00Z',
      'ansar-allah',
      'perpetrator',
      'official_assessment',
      'very_likely',
      'ukmto',
    ),
  ],

  // ---- Response links.
  // rl-op-0203 names Saba's report as a trigger: merged into rs-0131-asbm on 8 Feb, it then reads as rs-0131-asbm (§5.3).
  [
    link(
      'rl-op-0203',
      '2024-02-03T23:30:00Z',
      { response_operation_id: OP },
      ['rs-0131-saba', 'gulf-0201-uav'],
      'official_assessment',
      'almost_certain',
      'centcom',
      {
        also_cites: 'attacks on international shipping in the Red Sea',
      },
    ),
  ],
  [
    link(
      'rl-dailami',
      '2024-02-04T08:00:00Z',
      { response_incident_ids: ['s-dailami'] },
      ['rs-0131-asbm'],
      'analyst',
      'likely',
      'reuters',
    ),
  ],
  [
    link(
      'rl-removed',
      '2024-02-04T09:00:00Z',
      { response_incident_ids: ['s-hodeidah'] },
      ['rs-0131-asbm', 'gulf-0201-uav'],
      'media',
      'likely',
      'reuters',
    ),
    ev('rl-removed-rm', 'ResponseLinkRemoved', 'link/rl-removed', '2024-02-05T09:00:00Z', {
      link_id: 'rl-removed',
      reason: 'duplicates rl-op-0203',
    }),
  ],
  [
    link(
      'rl-saada',
      '2024-02-05T12:00:00Z',
      { response_incident_ids: ['s-saada'] },
      ['gulf-0201-uav'],
      'inference',
      'unlikely',
      'reuters',
    ),
  ],
  [
    link(
      'rl-houthi-0212',
      '2024-02-13T07:00:00Z',
      { response_incident_ids: ['ga-0212-uav'] },
      ['s-jawf'],
      'self_declared',
      'roughly_even',
      'yahya-saree',
      {
        as_stated: 'in response to the American-British aggression',
      },
    ),
  ],
  [
    link(
      'rl-unreported',
      '2024-02-25T10:00:00Z',
      { response_operation_id: OP_EMPTY },
      ['rs-0222-unk'],
      'media',
      'unlikely',
      'reuters',
    ),
  ],
];

const ALL_EVENTS = streams.flat();
const REPOSTED = 'a5-c-hd-saree'; // posted twice, identical: one event (§1, §5.1), no dead letter

// The late wave (posted by the last describe block): a reinstatement of s-taiz and a CENTCOM count for Hodeidah, both
// timed in the past.
const LATE: AuditEvent[] = [
  ev('tz-reinstated', 'IncidentReinstated', 'incident/s-taiz', '2024-02-20T00:00:00Z', {
    incident_id: 's-taiz',
    reason: 'strike confirmed by satellite imagery',
    source: src('reuters'),
  }),
  casualty(
    'c-hd-centcom',
    's-hodeidah',
    '2024-02-05T00:00:00Z',
    HOUTHI_KILLED,
    exact(7),
    'centcom',
  ),
];

// ---------------------------------------------------------------------------------------------
// Stack
// ---------------------------------------------------------------------------------------------

const audit = auditSuite(streams, REPOSTED, 20240203);

it('the world holds at least 50 events', () => {
  expect(streams.flat().length).toBeGreaterThanOrEqual(50);
});
const get = audit.get;
const detail = (incident: string, asOf?: string) =>
  get<Detail>(`/v1/incidents/${incident}${asOf ? `?asOf=${asOf}` : ''}`);
interface Page<T> {
  items: T[];
  next_cursor: string | null;
  limit: number;
}
const ids = async (q: string) =>
  (await get<Page<Summary>>(`/v1/incidents?sort=id&limit=500${q ? `&${q}` : ''}`)).items.map(
    (i) => i.incident_id,
  );
/** Follows next_cursor from the first page to the last; returns the ids of each page. */
async function pages<T>(path: string, idOf: (item: T) => string): Promise<string[][]> {
  const out: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(
      `${path}${cursor === null ? '' : `&cursor=${cursor}`}`,
    );
    out.push(page.items.map(idOf));
    cursor = page.next_cursor;
    if (out.length > 20) throw new Error('more than 20 pages');
  } while (cursor !== null);
  return out;
}
const summaryId = (s: Summary) => s.incident_id;
/** Runs `answer` for every key of `expected` and compares the whole map at once: a failure shows every query that differs. */
async function expectEach<T>(
  expected: Record<string, T>,
  answer: (query: string) => Promise<T>,
): Promise<void> {
  const actual: Record<string, T> = {};
  for (const q of Object.keys(expected)) actual[q] = await answer(q);
  expect(actual).toEqual(expected);
}
const edge = (e: Edge) => [
  e.link_id,
  e.trigger.incident_id,
  e.trigger.status,
  `${e.response.kind} ${e.response.id}`,
  e.response.status,
  e.lag_minutes,
  e.via_merge,
];
const edges = async (q: string) =>
  (await get<Page<Edge>>(`/v1/responses?limit=500${q ? `&${q}` : ''}`)).items.map(edge);
const edgeKey = (e: Edge) => `${e.link_id} ${e.trigger.incident_id} ${e.response.id}`;
const edgeKeys = async (q: string) =>
  (await get<Page<Edge>>(`/v1/responses?${q}`)).items.map(edgeKey);
const projections = async () => {
  const res = await request(`${audit.stack().url}/v1/projections`);
  expect(res.status).toBe(200);
  return (
    res.body as { projections: { projection: string; dead_letters: number }[] }
  ).projections.find((p) => p.projection === 'main')!;
};
interface Change {
  change: string;
  type: string;
  time: string;
  recorded_at: string;
  event_id: string;
  incident_ids: string[];
  operation_ids: string[];
}
const changes = (q = '') =>
  get<{ items: Change[]; next_cursor: string }>(`/v1/changes?limit=5000${q}`);

// Instants.
const T_0205 = '2024-02-05T00:00:00Z'; // s-taiz in the operation, s-saada still in it, rl-removed not yet removed, Saba's report not merged
const T_0207 = '2024-02-07T00:00:00Z'; // s-taiz retracted, s-saada out, rl-removed removed, Saba's report not yet merged
const T_0214 = '2024-02-14T00:00:00Z'; // SPA's almost_certain attribution not yet withdrawn
const T_RC_LOSER_ONLY = '2024-02-15T10:30:00Z'; // only the losing variant of rs-0215-cm's report is timed before this
const T_RC_UNREPORTED = '2024-02-15T12:00:00Z'; // + CENTCOM's attribution (11:00Z), still before the winning report (14:00Z)

// Active incidents in the final world (before the late wave) and their local dates:
//   rs-0131-asbm 01-31, gulf-0201-uav 02-01, s-dailami 02-03, s-hodeidah 02-03, s-saada 02-03, s-jawf 02-04,
//   eilat-0212-bm 02-12, ga-0212-uav 02-13, jawf-0212-icp 02-13, rs-0215-cm 02-15.
// Not active: rs-0131-saba (merged), s-taiz (retracted), rs-0222-unk (unreported: only a link names it, §5.2).
const ACTIVE = [
  'eilat-0212-bm',
  'ga-0212-uav',
  'gulf-0201-uav',
  'jawf-0212-icp',
  'rs-0131-asbm',
  'rs-0215-cm',
  's-dailami',
  's-hodeidah',
  's-jawf',
  's-saada',
];

// ---------------------------------------------------------------------------------------------

describe('GET /v1/incidents: status, kind and method (§5.3, §5.1)', () => {
  it('the default lists the active incidents only', async () => {
    expect(await ids('')).toEqual(ACTIVE);
  });

  it('status lists: merged, retracted, unreported, several, all', async () => {
    await expectEach(
      {
        'status=merged': ['rs-0131-saba'],
        'status=retracted': ['s-taiz'],
        // Named only as a trigger of rl-unreported: a reference to an id not seen yet gives an unreported row (§5.2).
        'status=unreported': ['rs-0222-unk'],
        'status=merged,retracted': ['rs-0131-saba', 's-taiz'],
        'status=all': [...ACTIVE, 'rs-0131-saba', 'rs-0222-unk', 's-taiz'].sort(),
      },
      ids,
    );
  });

  it('a merged incident names its final survivor; an unreported one has no fields', async () => {
    const rows = (await get<Page<Summary>>('/v1/incidents?status=merged,unreported&sort=id')).items;
    expect(
      rows.map((r) => [r.incident_id, r.status, r.merged_into, r.counted, r.method, r.local_date]),
    ).toEqual([
      ['rs-0131-saba', 'merged', 'rs-0131-asbm', false, 'ballistic_missile', '2024-01-31'],
      ['rs-0222-unk', 'unreported', null, false, null, null],
    ]);
  });

  it('method and kind, with the winning report variant and the winning amendment variant', async () => {
    await expectEach(
      {
        // rs-0215-cm: the winning variant says ballistic_missile (§5.1); the cruise_missile variant is parked.
        'method=ballistic_missile': [
          'eilat-0212-bm',
          'jawf-0212-icp',
          'rs-0131-asbm',
          'rs-0215-cm',
        ],
        'method=cruise_missile': [],
        // ga-0212-uav: reported as unknown, amended by the winning variant of a5-ga-amend to armed_uav.
        'method=armed_uav': ['ga-0212-uav'],
        'method=one_way_uav': ['gulf-0201-uav'],
        'method=unknown': [],
        'method=armed_uav,one_way_uav': ['ga-0212-uav', 'gulf-0201-uav'],
        'kind=interception': ['jawf-0212-icp'],
        'kind=attack&method=ballistic_missile': ['eilat-0212-bm', 'rs-0131-asbm', 'rs-0215-cm'],
        'kind=response_strike': ['s-dailami', 's-hodeidah', 's-jawf', 's-saada'],
      },
      ids,
    );
  });

  it('as of 13 Feb 11:00Z (before the amendment) ga-0212-uav is still method unknown', async () => {
    expect(await ids('method=unknown&asOf=2024-02-13T11:00:00Z')).toEqual(['ga-0212-uav']);
  });
});

describe('GET /v1/incidents: places (§3.3, §5.4)', () => {
  it('country, admin1 (a name in two countries, or <ISO3>/<admin1>) and site', async () => {
    await expectEach(
      {
        // The water_air incidents have no country; s-dailami's country and admin1 come from its site (§3.3).
        'country=YEM': ['s-dailami', 's-hodeidah', 's-jawf', 's-saada'],
        'country=ISR,SAU': ['eilat-0212-bm', 'jawf-0212-icp'],
        // "Al Jawf" is an admin1 of Saudi Arabia and of Yemen (§5.4 keys admin1 by country for this reason).
        'admin1=Al Jawf': ['jawf-0212-icp', 's-jawf'],
        'admin1=SAU/Al Jawf': ['jawf-0212-icp'],
        'admin1=YEM/Al Jawf': ['s-jawf'],
        'country=YEM&admin1=Al Jawf': ['s-jawf'],
        'admin1=Amanat al Asimah': ['s-dailami'],
        'site=al-dailami': ['s-dailami'],
        'country=YEM&status=all': ['s-dailami', 's-hodeidah', 's-jawf', 's-saada', 's-taiz'],
      },
      (q) => ids(q.replace(/ /g, '%20')),
    );
  });

  it('s-dailami resolves its place from the site registration', async () => {
    const s = (await get<Page<Summary>>('/v1/incidents?site=al-dailami')).items[0]!;
    expect([s.place_precision, s.place_name, s.country_iso3, s.admin1, s.lat, s.lon]).toEqual([
      'site',
      'Al-Dailami Air Base',
      'YEM',
      'Amanat al Asimah',
      15.47,
      44.22,
    ]);
  });
});

describe('GET /v1/incidents: local-date ranges across a time-zone boundary (§3.2)', () => {
  it('from / to compare local dates: one UTC instant on two local dates', async () => {
    await expectEach(
      {
        // 21:30Z on 12 Feb is 00:30 on 13 Feb in Aden and 23:30 on 12 Feb in Jerusalem; 21:45Z is 00:45 on 13 Feb in Riyadh.
        'from=2024-02-13&to=2024-02-13': ['ga-0212-uav', 'jawf-0212-icp'],
        'from=2024-02-12&to=2024-02-12': ['eilat-0212-bm'],
        // s-jawf: 21:15Z on 3 Feb is 00:15 on 4 Feb in Aden.
        'from=2024-02-04&to=2024-02-04': ['s-jawf'],
        'to=2024-02-03&kind=response_strike': ['s-dailami', 's-hodeidah', 's-saada'],
        'from=2024-02-03&to=2024-02-03&status=all': [
          's-dailami',
          's-hodeidah',
          's-saada',
          's-taiz',
        ],
        'from=2024-02-13': ['ga-0212-uav', 'jawf-0212-icp', 'rs-0215-cm'],
        'to=2024-01-31&status=all': ['rs-0131-asbm', 'rs-0131-saba'],
      },
      ids,
    );
  });

  it('the rows carry the local date, the UTC start and the zone', async () => {
    const rows = (await get<Page<Summary>>('/v1/incidents?from=2024-02-12&to=2024-02-13&sort=id'))
      .items;
    expect(
      rows.map((r) => [
        r.incident_id,
        r.local_date,
        Date.parse(r.time_start!),
        r.time_tz,
        r.time_precision,
      ]),
    ).toEqual([
      [
        'eilat-0212-bm',
        '2024-02-12',
        Date.parse('2024-02-12T21:30:00Z'),
        'Asia/Jerusalem',
        'minute',
      ],
      ['ga-0212-uav', '2024-02-13', Date.parse('2024-02-12T21:30:00Z'), ADEN, 'minute'],
      ['jawf-0212-icp', '2024-02-13', Date.parse('2024-02-12T21:45:00Z'), 'Asia/Riyadh', 'minute'],
    ]);
  });
});

describe('GET /v1/incidents: top perpetrator and minimum likelihood (§5.9)', () => {
  // Final top perpetrators:
  //   rs-0131-asbm: centcom very_likely (own) and saba almost_certain (Saba's report, via the merge) → ansar-allah almost_certain.
  //   gulf-0201-uav: ambrey likely; iran-irgc is a sponsor → ansar-allah likely.
  //   eilat-0212-bm: ansar-allah likely (idf) over iran-irgc roughly_even (reuters) → ansar-allah likely.
  //   ga-0212-uav: ansar-allah likely (reuters, C) and iran-irgc likely (centcom, B): tie, reliability → iran-irgc likely.
  //   jawf-0212-icp: the only assertion is withdrawn → none.
  //   rs-0215-cm: iran-irgc very_likely (centcom B, 11:00Z) and ansar-allah very_likely (ukmto B, 16:00Z): tie on both,
  //     the latest in logical order → ansar-allah very_likely.
  //   s-dailami, s-hodeidah: us-mil almost_certain. s-jawf, s-saada: none.
  it('perpetrator and minLikelihood filter on the top perpetrator', async () => {
    await expectEach(
      {
        'perpetrator=ansar-allah': ['eilat-0212-bm', 'gulf-0201-uav', 'rs-0131-asbm', 'rs-0215-cm'],
        'perpetrator=ansar-allah&minLikelihood=very_likely': ['rs-0131-asbm', 'rs-0215-cm'],
        'perpetrator=ansar-allah&minLikelihood=almost_certain': ['rs-0131-asbm'],
        'perpetrator=iran-irgc': ['ga-0212-uav'],
        'perpetrator=none': ['jawf-0212-icp', 's-jawf', 's-saada'],
        'perpetrator=iran-irgc,none': ['ga-0212-uav', 'jawf-0212-icp', 's-jawf', 's-saada'],
        'minLikelihood=almost_certain': ['rs-0131-asbm', 's-dailami', 's-hodeidah'],
        'minLikelihood=likely&kind=attack': [
          'eilat-0212-bm',
          'ga-0212-uav',
          'gulf-0201-uav',
          'rs-0131-asbm',
          'rs-0215-cm',
        ],
      },
      ids,
    );
  });

  it('the summary rows carry the top perpetrator and its likelihood', async () => {
    const rows = (await get<Page<Summary>>('/v1/incidents?kind=attack,interception&sort=id')).items;
    expect(
      rows.map((r) => [r.incident_id, r.top_perpetrator, r.top_perpetrator_likelihood]),
    ).toEqual([
      ['eilat-0212-bm', 'ansar-allah', 'likely'],
      ['ga-0212-uav', 'iran-irgc', 'likely'],
      ['gulf-0201-uav', 'ansar-allah', 'likely'],
      ['jawf-0212-icp', null, null],
      ['rs-0131-asbm', 'ansar-allah', 'almost_certain'],
      ['rs-0215-cm', 'ansar-allah', 'very_likely'],
    ]);
  });

  it('the same filters as of earlier instants: a merge and a withdrawal move incidents in and out', async () => {
    await expectEach(
      {
        // 5 Feb: Saba's report is not merged yet, so its almost_certain assertion is its own; rs-0131-asbm has very_likely.
        [`perpetrator=ansar-allah&minLikelihood=almost_certain&asOf=${T_0205}`]: ['rs-0131-saba'],
        [`perpetrator=ansar-allah&minLikelihood=very_likely&asOf=${T_0205}`]: [
          'rs-0131-asbm',
          'rs-0131-saba',
        ],
        // 14 Feb: merged; SPA's assertion not yet withdrawn (14 Feb 09:00Z).
        [`perpetrator=ansar-allah&minLikelihood=almost_certain&asOf=${T_0214}`]: [
          'jawf-0212-icp',
          'rs-0131-asbm',
        ],
        // 13 Feb 09:00Z: only Reuters' assertion on ga-0212-uav (CENTCOM's comes at 10:00Z).
        'perpetrator=iran-irgc&asOf=2024-02-13T09:00:00Z': [],
        'perpetrator=ansar-allah&from=2024-02-13&asOf=2024-02-13T09:00:00Z': [
          'ga-0212-uav',
          'jawf-0212-icp',
        ],
      },
      ids,
    );
  });
});

describe('GET /v1/incidents: hasCasualties and operation (§5.3, §5.5, §6)', () => {
  // Own tallies (best): rs-0131-asbm 2 (Saba's crew claim via the merge), gulf-0201-uav 1, s-hodeidah 5 → true.
  // s-dailami exact 0 → best 0; s-jawf vague only → 0 / 0 / 0 incomplete; ga-0212-uav "at least 2" → 2 / 0 / 0
  // incomplete (best null adds 0): none has a best above 0.
  it('hasCasualties: an own tally with a best above 0', async () => {
    await expectEach(
      {
        'hasCasualties=true': ['gulf-0201-uav', 'rs-0131-asbm', 's-hodeidah'],
        'hasCasualties=false': [
          'eilat-0212-bm',
          'ga-0212-uav',
          'jawf-0212-icp',
          'rs-0215-cm',
          's-dailami',
          's-jawf',
          's-saada',
        ],
        // The merged report counts nowhere itself: its claim is read as the survivor's.
        'hasCasualties=true&status=all': ['gulf-0201-uav', 'rs-0131-asbm', 's-hodeidah'],
        'hasCasualties=true&kind=response_strike': ['s-hodeidah'],
        [`hasCasualties=true&asOf=${T_0205}`]: ['gulf-0201-uav', 'rs-0131-saba', 's-hodeidah'],
      },
      ids,
    );
  });

  it('operation: the effective operation_id, through amendments', async () => {
    await expectEach(
      {
        // Effective operation_id: s-saada amended to none; s-taiz amended in, then retracted (still names the operation).
        [`operation=${OP}`]: ['s-dailami', 's-hodeidah', 's-jawf'],
        [`operation=${OP}&status=all`]: ['s-dailami', 's-hodeidah', 's-jawf', 's-taiz'],
        [`operation=${OP}&asOf=${T_0205}`]: [
          's-dailami',
          's-hodeidah',
          's-jawf',
          's-saada',
          's-taiz',
        ],
        // 4 Feb 10:00Z: s-taiz is reported (06:00Z) but not yet amended in (12:00Z).
        [`operation=${OP}&asOf=2024-02-04T10:00:00Z`]: [
          's-dailami',
          's-hodeidah',
          's-jawf',
          's-saada',
        ],
        [`operation=${OP_EMPTY}&status=all`]: [],
      },
      ids,
    );
  });

  it('the summary shows munitions and interceptions of the Eilat missile', async () => {
    const s = (await get<Page<Summary>>('/v1/incidents?country=ISR')).items[0]!;
    expect([lbh(s.munitions), lbh(s.intercepted), s.has_casualties]).toEqual([
      '1 / 1 / 1',
      '1 / 1 / 1',
      false,
    ]);
  });
});

describe('GET /v1/incidents: keyset paging over ties', () => {
  // -date (the default) = local_date descending, then incident_id descending.
  const BY_DATE_DESC = [
    'rs-0215-cm',
    'jawf-0212-icp',
    'ga-0212-uav',
    'eilat-0212-bm',
    's-jawf',
    's-saada',
    's-hodeidah',
    's-dailami',
    'gulf-0201-uav',
    'rs-0131-asbm',
  ];

  it('default sort, pages of 3: the 3 Feb tie is split across two pages, no row twice or missing', async () => {
    expect(await pages('/v1/incidents?limit=3', summaryId)).toEqual([
      ['rs-0215-cm', 'jawf-0212-icp', 'ga-0212-uav'],
      ['eilat-0212-bm', 's-jawf', 's-saada'],
      ['s-hodeidah', 's-dailami', 'gulf-0201-uav'],
      ['rs-0131-asbm'],
    ]);
  });

  it('sort=date, pages of 4 (ascending in both keys)', async () => {
    expect(await pages('/v1/incidents?sort=date&limit=4', summaryId)).toEqual([
      ['rs-0131-asbm', 'gulf-0201-uav', 's-dailami', 's-hodeidah'],
      ['s-saada', 's-jawf', 'eilat-0212-bm', 'ga-0212-uav'],
      ['jawf-0212-icp', 'rs-0215-cm'],
    ]);
  });

  it('a last page that is exactly full has no next cursor', async () => {
    const p = await pages('/v1/incidents?limit=5', summaryId);
    expect(p).toEqual([BY_DATE_DESC.slice(0, 5), BY_DATE_DESC.slice(5)]);
  });

  it('sort=reported uses the report time of the winning variant (rs-0215-cm at 14:00Z), ties by id', async () => {
    // Reported: asbm 31 Jan 14:30, gulf 1 Feb 10:00, dailami and hodeidah both 3 Feb 23:00 (tie), jawf 4 Feb 01:00,
    // saada 02:00, eilat 12 Feb 22:00, ga 23:00, jawf-icp 13 Feb 06:00, rs-0215-cm 15 Feb 14:00.
    const order = [
      'rs-0131-asbm',
      'gulf-0201-uav',
      's-dailami',
      's-hodeidah',
      's-jawf',
      's-saada',
      'eilat-0212-bm',
      'ga-0212-uav',
      'jawf-0212-icp',
      'rs-0215-cm',
    ];
    expect((await pages('/v1/incidents?sort=reported&limit=3', summaryId)).flat()).toEqual(order);
    expect((await pages('/v1/incidents?sort=-reported&limit=4', summaryId)).flat()).toEqual(
      [...order].reverse(),
    );
    const rc = (await get<Page<Summary>>('/v1/incidents?sort=-reported&limit=1')).items[0]!;
    expect([rc.incident_id, Date.parse(rc.reported_at!)]).toEqual([
      'rs-0215-cm',
      Date.parse('2024-02-15T14:00:00Z'),
    ]);
  });

  it('filters hold on every page (country=YEM, status=all, pages of 2)', async () => {
    expect(await pages('/v1/incidents?country=YEM&status=all&limit=2', summaryId)).toEqual([
      ['s-jawf', 's-taiz'],
      ['s-saada', 's-hodeidah'],
      ['s-dailami'],
    ]);
  });

  it('a cursor is bound to its sort: another sort is a 400', async () => {
    const first = await get<Page<Summary>>('/v1/incidents?limit=2');
    const res = await request(
      `${audit.stack().url}/v1/incidents?sort=date&limit=2&cursor=${first.next_cursor}`,
    );
    expect(res.status).toBe(400);
  });
});

describe('GET /v1/responses (§5.9)', () => {
  // Operation start = earliest start of a member with minute or hour precision. Final members: s-dailami 20:30Z,
  // s-hodeidah 20:00Z (hour), s-jawf 21:15Z → 3 Feb 20:00:00Z.
  // lag = floor((response start − trigger start) / 1 min):
  //   rs-0131-asbm 31 Jan 13:40:30Z → op 3 Feb 20:00:00Z: 3 d 6 h 19 min 30 s = 4699.5 → 4699.
  //   gulf-0201-uav 1 Feb 09:05Z → op: 2 d 10 h 55 min = 3535.
  //   rs-0131-asbm → s-dailami 3 Feb 20:30:00Z: 3 d 6 h 49 min 30 s = 4729.5 → 4729.
  //   s-jawf 3 Feb 21:15Z → ga-0212-uav 12 Feb 21:30Z: 9 d 15 min = 12975.
  //   s-saada has day precision → null. rs-0222-unk is unreported and OP_EMPTY has no member → null.
  // rl-op-0203's trigger rs-0131-saba is merged into rs-0131-asbm: the edge reads rs-0131-asbm, via_merge, with the
  // survivor's start (the merged report's own time, a day without start, is ignored, §5.3).
  // rl-removed is removed: no edge at all.
  const FINAL = [
    ['rl-dailami', 'rs-0131-asbm', 'active', 'incident s-dailami', 'active', 4729, false],
    ['rl-houthi-0212', 's-jawf', 'active', 'incident ga-0212-uav', 'active', 12975, false],
    ['rl-op-0203', 'gulf-0201-uav', 'active', `operation ${OP}`, 'active', 3535, false],
    ['rl-op-0203', 'rs-0131-asbm', 'active', `operation ${OP}`, 'active', 4699, true],
    ['rl-saada', 'gulf-0201-uav', 'active', 'incident s-saada', 'active', null, false],
    // The operation named by no incident is answered with the product's status for "no members" (events.md: edges carry
    // their endpoints' status, which it does not name for an operation).
    [
      'rl-unreported',
      'rs-0222-unk',
      'unreported',
      `operation ${OP_EMPTY}`,
      'no_members',
      null,
      false,
    ],
  ];

  it('every edge, final, ordered by link, trigger, response', async () => {
    expect(await edges('')).toEqual(FINAL);
  });

  it('basis, likelihood, link and endpoints of the edges as posted', async () => {
    const all = (await get<Page<Edge>>('/v1/responses?link=rl-op-0203,rl-houthi-0212')).items;
    expect(
      all.map((e) => [
        edgeKey(e),
        e.basis,
        e.likelihood,
        e.source_id,
        e.also_cites,
        e.as_stated,
        Date.parse(e.linked_at),
      ]),
    ).toEqual([
      [
        'rl-houthi-0212 s-jawf ga-0212-uav',
        'self_declared',
        'roughly_even',
        'yahya-saree',
        null,
        'in response to the American-British aggression',
        Date.parse('2024-02-13T07:00:00Z'),
      ],
      [
        'rl-op-0203 gulf-0201-uav ' + OP,
        'official_assessment',
        'almost_certain',
        'centcom',
        'attacks on international shipping in the Red Sea',
        null,
        Date.parse('2024-02-03T23:30:00Z'),
      ],
      [
        'rl-op-0203 rs-0131-asbm ' + OP,
        'official_assessment',
        'almost_certain',
        'centcom',
        'attacks on international shipping in the Red Sea',
        null,
        Date.parse('2024-02-03T23:30:00Z'),
      ],
    ]);
  });

  it('basis, minLikelihood, link', async () => {
    await expectEach(
      {
        'basis=official_assessment': [
          'rl-op-0203 gulf-0201-uav ' + OP,
          'rl-op-0203 rs-0131-asbm ' + OP,
        ],
        'basis=analyst,inference': [
          'rl-dailami rs-0131-asbm s-dailami',
          'rl-saada gulf-0201-uav s-saada',
        ],
        'basis=self_declared': ['rl-houthi-0212 s-jawf ga-0212-uav'],
        'basis=media': [`rl-unreported rs-0222-unk ${OP_EMPTY}`],
        // ICD 203 order: roughly_even < likely < very_likely < almost_certain.
        'minLikelihood=likely': [
          'rl-dailami rs-0131-asbm s-dailami',
          'rl-op-0203 gulf-0201-uav ' + OP,
          'rl-op-0203 rs-0131-asbm ' + OP,
        ],
        'minLikelihood=roughly_even&basis=self_declared,media': [
          'rl-houthi-0212 s-jawf ga-0212-uav',
        ],
        'minLikelihood=almost_certain': [
          'rl-op-0203 gulf-0201-uav ' + OP,
          'rl-op-0203 rs-0131-asbm ' + OP,
        ],
        'basis=analyst&minLikelihood=very_likely': [],
        'link=rl-removed': [],
      },
      edgeKeys,
    );
  });

  it('trigger, response and incident: merges resolved; operation responses match by operation id only', async () => {
    await expectEach(
      {
        // The merged trigger no longer appears under its own id.
        'trigger=rs-0131-saba': [],
        'trigger=rs-0131-asbm': [
          'rl-dailami rs-0131-asbm s-dailami',
          'rl-op-0203 rs-0131-asbm ' + OP,
        ],
        [`response=${OP}`]: ['rl-op-0203 gulf-0201-uav ' + OP, 'rl-op-0203 rs-0131-asbm ' + OP],
        'response=ga-0212-uav,s-saada': [
          'rl-houthi-0212 s-jawf ga-0212-uav',
          'rl-saada gulf-0201-uav s-saada',
        ],
        'incident=gulf-0201-uav': [
          'rl-op-0203 gulf-0201-uav ' + OP,
          'rl-saada gulf-0201-uav s-saada',
        ],
        'incident=s-jawf,s-dailami': [
          'rl-dailami rs-0131-asbm s-dailami',
          'rl-houthi-0212 s-jawf ga-0212-uav',
        ],
      },
      edgeKeys,
    );
  });

  it('pages of 4 and 2 follow the same order, no edge twice', async () => {
    const all = FINAL.map((e) => `${e[0]} ${e[1]} ${String(e[3]).split(' ')[1]}`);
    expect(await pages('/v1/responses?limit=4', edgeKey)).toEqual([all.slice(0, 4), all.slice(4)]);
    expect(await pages('/v1/responses?limit=2', edgeKey)).toEqual([
      all.slice(0, 2),
      all.slice(2, 4),
      all.slice(4),
    ]);
  });

  it('components: links plus operation membership join everything but the unreported trigger’s edge', async () => {
    // rl-op-0203 (asbm, gulf, OP) + OP's members (dailami, hodeidah, jawf) + rl-dailami (asbm–dailami) + rl-houthi-0212
    // (jawf–ga) + rl-saada (gulf–saada): one component. rl-unreported (rs-0222-unk–OP_EMPTY) is alone.
    const all = (await get<Page<Edge>>('/v1/responses')).items;
    const main = new Set(
      all.filter((e) => e.link_id !== 'rl-unreported').map((e) => e.component_id),
    );
    const alone = all.find((e) => e.link_id === 'rl-unreported')!.component_id;
    expect([main.size, main.has(alone)]).toEqual([1, false]);
  });

  it('as of 5 Feb: Saba’s report not merged (lag null), s-taiz in the operation (start 19:45Z), rl-removed still there', async () => {
    // OP members at 5 Feb 00:00Z: dailami, hodeidah, jawf, saada (amended out at 10:00Z), taiz (in since 4 Feb 12:00Z,
    // retracted 6 Feb) → start 19:45Z. gulf 1 Feb 09:05Z → 3 Feb 19:45Z: 2 d 10 h 40 min = 3520.
    // rl-removed → s-hodeidah (hour start 20:00Z): asbm 4699.5 → 4699, gulf 3535.
    expect(await edges(`asOf=${T_0205}`)).toEqual([
      ['rl-dailami', 'rs-0131-asbm', 'active', 'incident s-dailami', 'active', 4729, false],
      ['rl-op-0203', 'gulf-0201-uav', 'active', `operation ${OP}`, 'active', 3520, false],
      ['rl-op-0203', 'rs-0131-saba', 'active', `operation ${OP}`, 'active', null, false],
      ['rl-removed', 'gulf-0201-uav', 'active', 'incident s-hodeidah', 'active', 3535, false],
      ['rl-removed', 'rs-0131-asbm', 'active', 'incident s-hodeidah', 'active', 4699, false],
    ]);
  });

  it('as of 7 Feb: s-taiz retracted, the start is 20:00Z again; the removed link is gone', async () => {
    expect(await edges(`asOf=${T_0207}`)).toEqual([
      ['rl-dailami', 'rs-0131-asbm', 'active', 'incident s-dailami', 'active', 4729, false],
      ['rl-op-0203', 'gulf-0201-uav', 'active', `operation ${OP}`, 'active', 3535, false],
      ['rl-op-0203', 'rs-0131-saba', 'active', `operation ${OP}`, 'active', null, false],
      ['rl-saada', 'gulf-0201-uav', 'active', 'incident s-saada', 'active', null, false],
    ]);
  });

  it('the incident detail lists the same edges as triggered and answered', async () => {
    const asbm = await detail('rs-0131-asbm');
    expect(asbm.responses.triggered.map(edgeKey)).toEqual([
      'rl-dailami rs-0131-asbm s-dailami',
      'rl-op-0203 rs-0131-asbm ' + OP,
    ]);
    expect(asbm.responses.answered).toEqual([]);
    // A member's detail shows what its operation answered.
    const jawf = await detail('s-jawf');
    expect(jawf.responses.answered.map(edgeKey)).toEqual([
      'rl-op-0203 gulf-0201-uav ' + OP,
      'rl-op-0203 rs-0131-asbm ' + OP,
    ]);
    expect(jawf.responses.triggered.map((e) => [edgeKey(e), e.lag_minutes])).toEqual([
      ['rl-houthi-0212 s-jawf ga-0212-uav', 12975],
    ]);
  });
});

describe('the operation and its members (§5.3, §5.6, §5.9)', () => {
  it('final: three members, start 20:00Z (hour member), anchor s-hodeidah (3 Feb, earliest start)', async () => {
    // Anchor = member with the smallest (local_date, start, incident_id): dailami (02-03, 20:30Z), hodeidah (02-03,
    // 20:00Z), jawf (02-04) → hodeidah.
    const op = (await detail('s-dailami')).operation!;
    expect([
      op.operation_id,
      [...op.member_incident_ids].sort(),
      op.counted,
      Date.parse(op.start!),
      op.anchor_incident_id,
    ]).toEqual([
      OP,
      ['s-dailami', 's-hodeidah', 's-jawf'],
      true,
      Date.parse('2024-02-03T20:00:00Z'),
      's-hodeidah',
    ]);
  });

  it('as of 5 Feb: five members, start 19:45Z and anchor s-taiz (02-03, 19:45Z); s-saada (no start) sorts last on its date', async () => {
    const op = (await detail('s-dailami', T_0205)).operation!;
    expect([
      [...op.member_incident_ids].sort(),
      Date.parse(op.start!),
      op.anchor_incident_id,
    ]).toEqual([
      ['s-dailami', 's-hodeidah', 's-jawf', 's-saada', 's-taiz'],
      Date.parse('2024-02-03T19:45:00Z'),
      's-taiz',
    ]);
  });

  it('s-taiz: retracted, still naming the operation, not among its members', async () => {
    const d = await detail('s-taiz');
    expect([
      d.incident.status,
      d.incident.counted,
      d.incident.operation_id,
      d.incident.amendment_count,
      [...d.operation!.member_incident_ids].sort(),
    ]).toEqual(['retracted', false, OP, 1, ['s-dailami', 's-hodeidah', 's-jawf']]);
  });

  it('s-saada: amended out of the operation (null removes the field)', async () => {
    const d = await detail('s-saada');
    expect([d.incident.status, d.incident.operation_id, d.operation]).toEqual([
      'active',
      null,
      null,
    ]);
    expect((await detail('s-saada', T_0205)).incident.operation_id).toBe(OP);
  });

  it('the explicit v1 dataschema amendment applied like any other: in the timeline, s-taiz in the operation on 4 Feb 12:00Z', async () => {
    expect((await detail('s-taiz', '2024-02-04T11:59:59Z')).incident.operation_id).toBeNull();
    expect((await detail('s-taiz', '2024-02-04T12:00:00Z')).incident.operation_id).toBe(OP);
    const tl = (await detail('s-taiz')).timeline.map((t) => [t.event_id, t.type]);
    expect(tl).toEqual([
      ['a5-tz-report', 'IncidentReported'],
      ['a5-tz-amend', 'IncidentAmended'],
      ['a5-tz-retracted', 'IncidentRetracted'],
    ]);
  });
});

describe('two contents for one (source, id) (§5.1, §5.7)', () => {
  it('rs-0215-cm: the 14:00Z ballistic_missile variant is applied, the cruise_missile one (posted first) is not', async () => {
    const d = await detail('rs-0215-cm');
    expect([
      d.incident.status,
      d.incident.method,
      Date.parse(d.incident.reported_at!),
      d.incident.report_event_id,
      d.incident.duplicate_report_count,
    ]).toEqual([
      'active',
      'ballistic_missile',
      Date.parse('2024-02-15T14:00:00Z'),
      'a5-rc-report',
      0,
    ]);
    const reports = d.timeline.filter((t) => t.type === 'IncidentReported');
    expect(
      reports.map((t) => [t.event_id, Date.parse(t.time), (t.data as { method: string }).method]),
    ).toEqual([['a5-rc-report', Date.parse('2024-02-15T14:00:00Z'), 'ballistic_missile']]);
  });

  it('as of 10:30Z, when only the losing variant is timed before asOf, nothing knows rs-0215-cm (decisions.md reading)', async () => {
    const res = await request(
      `${audit.stack().url}/v1/incidents/rs-0215-cm?asOf=${T_RC_LOSER_ONLY}&position=${audit.stack().position}`,
    );
    expect(res.status).toBe(404);
  });

  it('as of 12:00Z it is unreported: CENTCOM’s attribution names it, the applied report comes at 14:00Z', async () => {
    const d = await detail('rs-0215-cm', T_RC_UNREPORTED);
    expect([d.incident.status, d.incident.method, d.incident.reported_at]).toEqual([
      'unreported',
      null,
      null,
    ]);
    expect(await ids(`status=unreported&asOf=${T_RC_UNREPORTED}`)).toEqual(['rs-0215-cm']);
  });

  it('ga-0212-uav: the armed_uav amendment (posted first) is applied once, the one_way_uav variant is not', async () => {
    const d = await detail('ga-0212-uav');
    expect([d.incident.method, d.incident.amendment_count]).toEqual(['armed_uav', 1]);
    const amendments = d.timeline.filter((t) => t.type === 'IncidentAmended');
    expect(
      amendments.map((t) => [
        t.event_id,
        (t.data as { changes: { method: string } }).changes.method,
      ]),
    ).toEqual([['a5-ga-amend', 'armed_uav']]);
  });

  it('the two losing variants are parked (two dead letters); the identical repost is not', async () => {
    expect((await projections()).dead_letters).toBe(2);
  });
});

describe('incident detail as of (§5.3, §5.7)', () => {
  it('rs-0131-saba: active with its own claim until the merge (8 Feb), then merged into rs-0131-asbm', async () => {
    const before = await detail('rs-0131-saba', T_0207);
    expect([
      before.incident.status,
      before.merged_into,
      before.incident.has_casualties,
      before.casualties.map((c) => `${c.role}/${c.outcome} ${c.low}/${c.best}/${c.high}`),
    ]).toEqual(['active', null, true, ['civilian/wounded 2/2/2']]);
    const after = await detail('rs-0131-saba');
    expect([
      after.incident.status,
      after.merged_into?.incident_id,
      after.incident.counted,
      after.casualties,
    ]).toEqual(['merged', 'rs-0131-asbm', false, []]);
  });

  it('rs-0131-asbm: the merged report’s claim and attribution arrive via_merge on 8 Feb', async () => {
    const before = await detail('rs-0131-asbm', T_0207);
    expect([
      before.attribution.top_perpetrator,
      before.incident.has_casualties,
      before.casualties.length,
    ]).toEqual([{ actor_id: 'ansar-allah', likelihood: 'very_likely' }, false, 0]);
    const after = await detail('rs-0131-asbm');
    expect(after.attribution.top_perpetrator).toEqual({
      actor_id: 'ansar-allah',
      likelihood: 'almost_certain',
    });
    expect(
      after.attribution.assertions.map((a) => [a.assertion_id, a.likelihood, a.via_merge]).sort(),
    ).toEqual([
      ['as-centcom', 'very_likely', false],
      ['sb-saba', 'almost_certain', true],
    ]);
    expect(
      after.casualties.map((c) => [
        `${c.role}/${c.outcome}/${c.nationality ?? '-'}`,
        c.low,
        c.best,
        c.high,
        c.via_merge,
      ]),
    ).toEqual([['civilian/wounded/-', 2, 2, 2, true]]);
    // Its own time is kept: the merged report's time and place are ignored (§5.3).
    expect([
      after.incident.time_precision,
      after.incident.local_date,
      after.incident.place_name,
    ]).toEqual(['minute', '2024-01-31', 'Red Sea, 60 NM west of Hodeidah']);
  });

  it('ga-0212-uav as of 13 Feb 09:00Z and 11:00Z: the top perpetrator moves from Reuters’ to CENTCOM’s assertion', async () => {
    const at9 = await detail('ga-0212-uav', '2024-02-13T09:00:00Z');
    const at11 = await detail('ga-0212-uav', '2024-02-13T11:00:00Z');
    expect([
      at9.attribution.top_perpetrator,
      at11.attribution.top_perpetrator,
      at11.incident.method,
    ]).toEqual([
      { actor_id: 'ansar-allah', likelihood: 'likely' },
      { actor_id: 'iran-irgc', likelihood: 'likely' },
      'unknown',
    ]);
  });

  it('jawf-0212-icp: attributed until the withdrawal (14 Feb 09:00Z), unattributed after', async () => {
    expect((await detail('jawf-0212-icp', T_0214)).attribution.top_perpetrator).toEqual({
      actor_id: 'ansar-allah',
      likelihood: 'almost_certain',
    });
    // (Whether the detail still lists a withdrawn assertion is not said by events.md: not asserted.)
    expect((await detail('jawf-0212-icp')).attribution.top_perpetrator).toBeNull();
  });
});

describe('GET /v1/changes (§6 revision_feed)', () => {
  it('one entry per applied (source, id): the conflicting pairs once, the repost once', async () => {
    const all = await changes();
    expect(all.items.map((c) => c.event_id).sort()).toEqual(
      [...new Set(ALL_EVENTS.map((e) => e.id))].sort(),
    );
    // The report pair shows the applied variant's time and kind.
    const rc = all.items.find((c) => c.event_id === 'a5-rc-report')!;
    expect([rc.change, rc.type, Date.parse(rc.time), rc.incident_ids]).toEqual([
      'new',
      'IncidentReported',
      Date.parse('2024-02-15T14:00:00Z'),
      ['rs-0215-cm'],
    ]);
  });

  it('kinds after merges, retractions, amendments and removals; the ids whose rows changed', async () => {
    const all = await changes();
    const by = (id: string) => all.items.find((c) => c.event_id === `a5-${id}`)!;
    expect(by('sb-merged').change).toBe('merged');
    expect(by('sb-merged').incident_ids).toEqual(
      expect.arrayContaining(['rs-0131-saba', 'rs-0131-asbm']),
    );
    // A retraction and amendments of members change the incident's row and the operation's (its members). events.md
    // asks that the rows that changed be listed; listing more would not be wrong, so only containment is checked.
    const has = (id: string, change: string, incidents: string[], operations: string[]) => {
      expect(by(id).change).toBe(change);
      expect(by(id).incident_ids).toEqual(expect.arrayContaining(incidents));
      expect(by(id).operation_ids).toEqual(expect.arrayContaining(operations));
    };
    has('tz-retracted', 'retracted', ['s-taiz'], [OP]);
    has('tz-amend', 'amended', ['s-taiz'], [OP]);
    has('sa-amend', 'amended', ['s-saada'], [OP]);
    has('ga-amend', 'amended', ['ga-0212-uav'], []);
    // The removal deletes the edges shown in the detail of each endpoint.
    has('rl-removed-rm', 'updated', ['gulf-0201-uav', 'rs-0131-asbm', 's-hodeidah'], []);
    has('jw-withdrawn', 'updated', ['jawf-0212-icp'], []);
    expect(by('src-ukmto').change).toBe('reference');
  });

  it('pages of 10 via next_cursor give the whole feed in the same order', async () => {
    const all = (await changes()).items.map((c) => c.event_id);
    const paged: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await get<{ items: Change[]; next_cursor: string }>(
        `/v1/changes?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      paged.push(...page.items.map((c) => c.event_id));
      cursor = page.next_cursor;
      if (page.items.length < 10) break;
    }
    expect(paged).toEqual(all);
  });
});

describe('ingest: dataschema (§1)', () => {
  it('a v2 dataschema is a 400 naming /1/dataschema; the batch is refused whole', async () => {
    const valid = casualty(
      'c-never',
      's-jawf',
      '2024-02-10T00:00:00Z',
      HOUTHI_KILLED,
      exact(3),
      'centcom',
    );
    const v2 = withSchema(
      ev('ga-amend-v2', 'IncidentAmended', 'incident/ga-0212-uav', '2024-02-14T00:00:00Z', {
        incident_id: 'ga-0212-uav',
        changes: { platform: 'Samad-3' },
        reason: 'platform identified',
        source: src('centcom'),
      }),
      'urn:incidents:IncidentAmended:v2',
    );
    const res = await audit.stack().postRaw([valid, v2]);
    expect(res.status).toBe(400);
    const errors = (res.body as { errors: { index?: number; pointer: string }[] }).errors;
    expect(errors.map((e) => [e.index, e.pointer])).toEqual([[1, '/1/dataschema']]);
  });

  it('the dataschema of another type is a 400 too (only urn:incidents:<its type>:v1 is accepted)', async () => {
    const wrong = withSchema(
      ev('ga-amend-wrong', 'IncidentAmended', 'incident/ga-0212-uav', '2024-02-14T00:00:00Z', {
        incident_id: 'ga-0212-uav',
        changes: { platform: 'Samad-3' },
        reason: 'platform identified',
        source: src('centcom'),
      }),
      'urn:incidents:IncidentReported:v1',
    );
    const res = await audit.stack().postRaw(wrong, 'application/cloudevents+json');
    expect(res.status).toBe(400);
    expect((res.body as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual([
      '/dataschema',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// A late wave: runs last (it changes the world the blocks above describe).
// ---------------------------------------------------------------------------------------------

describe('a late wave with past times: /v1/changes?since= and cursor, as-of answers it changes (§5.7, §6)', () => {
  let before: { items: Change[]; next_cursor: string };
  let since: string;

  it('posts the wave; since= the last recorded change lists only the wave, whatever its event times', async () => {
    before = await changes();
    // recorded_at has milliseconds; the store keeps microseconds: one millisecond later is after every stored event.
    since = new Date(
      Math.max(...before.items.map((c) => Date.parse(c.recorded_at))) + 1,
    ).toISOString();
    await audit.stack().postLate(LATE);
    const wave = await changes(`&since=${since}`);
    expect(wave.items.map((c) => c.event_id).sort()).toEqual([
      'a5-c-hd-centcom',
      'a5-tz-reinstated',
    ]);
    const by = (id: string) => wave.items.find((c) => c.event_id === id)!;
    // The reinstatement makes s-taiz a member again: its row and the operation's change.
    expect(by('a5-tz-reinstated').change).toBe('reinstated');
    expect(by('a5-tz-reinstated').incident_ids).toContain('s-taiz');
    expect(by('a5-tz-reinstated').operation_ids).toContain(OP);
    // A claim on a member: the member's figures and the operation's tally change.
    expect(by('a5-c-hd-centcom').change).toBe('updated');
    expect(by('a5-c-hd-centcom').incident_ids).toContain('s-hodeidah');
    expect(by('a5-c-hd-centcom').operation_ids).toContain(OP);
    // Event times, not recording times, are in `time`.
    expect(Date.parse(by('a5-c-hd-centcom').time)).toBe(Date.parse('2024-02-05T00:00:00Z'));
  });

  it('the cursor taken before the wave continues exactly with the wave; since= before everything lists all', async () => {
    const next = await changes(`&cursor=${before.next_cursor}`);
    expect(next.items.map((c) => c.event_id).sort()).toEqual([
      'a5-c-hd-centcom',
      'a5-tz-reinstated',
    ]);
    const everything = await changes('&since=2000-01-01T00:00:00Z');
    expect(everything.items).toHaveLength(before.items.length + 2);
  });

  it('the refused batch published nothing', async () => {
    const ids5 = (await changes()).items.map((c) => c.event_id);
    expect(ids5.filter((id) => id === 'a5-c-never' || id.startsWith('a5-ga-amend-'))).toEqual([]);
  });

  it('s-taiz is active and a member again: start 19:45Z, the operation edges’ lags shrink by 15 minutes', async () => {
    // rs-0131-asbm 31 Jan 13:40:30Z → 3 Feb 19:45:00Z: 4684.5 → 4684; gulf 1 Feb 09:05Z → 3 Feb 19:45Z: 3520.
    expect((await edges(`link=rl-op-0203`)).map((e) => [e[1], e[5]])).toEqual([
      ['gulf-0201-uav', 3520],
      ['rs-0131-asbm', 4684],
    ]);
    const op = (await detail('s-taiz')).operation!;
    expect([[...op.member_incident_ids].sort(), op.anchor_incident_id]).toEqual([
      ['s-dailami', 's-hodeidah', 's-jawf', 's-taiz'],
      's-taiz',
    ]);
    // As of 7 Feb (before the reinstatement's time) nothing changed: still retracted, start 20:00Z.
    expect((await edges(`link=rl-op-0203&asOf=${T_0207}`)).map((e) => [e[1], e[5]])).toEqual([
      ['gulf-0201-uav', 3535],
      ['rs-0131-saba', null],
    ]);
  });

  it('Hodeidah’s figure: the late CENTCOM count changes the answer as of 5 Feb, not as of 4 Feb', async () => {
    // As of 4 Feb 12:00Z: saree approx 5 alone → 5 / 5 / 5. From 5 Feb 00:00Z: centcom 7 (B) + saree 5 (E) → low
    // min(7, 5) = 5, high max(7, 5) = 7, best from the more reliable source = 7 → 5 / 7 / 7.
    const fig = async (asOf?: string) =>
      (await detail('s-hodeidah', asOf)).casualties.map(
        (c) => `${c.role}/${c.outcome} ${c.low} / ${c.best} / ${c.high}`,
      );
    expect(await fig('2024-02-04T12:00:00Z')).toEqual(['militant/killed 5 / 5 / 5']);
    expect(await fig(T_0205)).toEqual(['militant/killed 5 / 7 / 7']);
    expect(await fig()).toEqual(['militant/killed 5 / 7 / 7']);
  });

  it('the list sees s-taiz active again', async () => {
    expect(await ids(`operation=${OP}`)).toEqual(['s-dailami', 's-hodeidah', 's-jawf', 's-taiz']);
    expect(await ids('status=retracted')).toEqual([]);
  });
});
