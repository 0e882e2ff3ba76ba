// Every query endpoint against the seed fixture's expected results (shared/domain/seed-expected.md),
// final and as of the dates listed there. Each 200 answer is also validated against /openapi.json.
import { project } from '@incidents/projection';
import { request } from './support/http.js';
import { seedEvents } from './support/seed.js';
import { OpenApiChecker } from './query-support/openapi.js';
import { startQueryStack, type QueryStack } from './query-support/stack.js';
import type { z } from 'zod';
import type { AttackStats as AttackStatsSchema } from '../services/query/src/responses.js';

let stack: QueryStack;
let openapi: OpenApiChecker;

beforeAll(async () => {
  stack = await startQueryStack();
  const doc = await request(`${stack.query.url}/openapi.json`);
  openapi = new OpenApiChecker(doc.body as ConstructorParameters<typeof OpenApiChecker>[0]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** GET a path; expects 200 and an answer that matches the OpenAPI schema of `template`. */
async function get<T = Record<string, unknown>>(path: string, template = path.split('?')[0]!): Promise<T> {
  const res = await request(`${stack.query.url}${path}`);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${res.text}`);
  openapi.check(template, res.body);
  return res.body as T;
}

const lbh = (x: { low: number | null; best: number | null; high: number | null } | null) => (x === null ? null : `${x.low} / ${x.best} / ${x.high}`);

interface Summary {
  incident_id: string;
  status: string;
  merged_into: string | null;
  kind: string;
  method: string;
  local_date: string;
  time_precision: string;
  place_precision: string;
  site_id: string | null;
  admin1: string | null;
  operation_id: string | null;
  munitions: { low: number | null; best: number | null; high: number | null } | null;
  intercepted: { low: number | null; best: number | null; high: number | null } | null;
  has_discrepancy: boolean;
  has_casualties: boolean;
}

describe('GET /v1/incidents (final, §1)', () => {
  it('lists every incident with its state, place, munitions and badges', async () => {
    const body = await get<{ items: Summary[]; next_cursor: string | null }>('/v1/incidents?status=all&sort=id&limit=500');
    expect(body.next_cursor).toBeNull();
    const rows = body.items.map((r) => [
      r.incident_id,
      r.status,
      r.merged_into,
      `${r.kind} / ${r.method}`,
      `${r.local_date} (${r.time_precision})`,
      `${r.place_precision} / ${r.site_id ?? '—'} / ${r.admin1}`,
      r.operation_id,
      r.munitions === null ? 'unknown' : lbh(r.munitions),
      lbh(r.intercepted),
      r.has_discrepancy,
    ]);
    expect(rows).toEqual([
      ['i1-rlz-uav', 'active', null, 'attack / one_way_uav', '2023-03-23 (minute)', 'near_site / rlz / Al-Hasakah', null, '1 / 1 / 1', null, false],
      ['i2a-us-strike-dez-city', 'active', null, 'response_strike / airstrike_fixed_wing', '2023-03-24 (hour)', 'adm3 / — / Deir ez-Zor', 'op-2023-03-24-us-strikes', 'unknown', null, true],
      ['i2b-us-strike-mayadin-bukamal', 'active', null, 'response_strike / airstrike_fixed_wing', '2023-03-24 (day)', 'adm1 / — / Deir ez-Zor', 'op-2023-03-24-us-strikes', 'unknown', null, false],
      ['i3-gv-rockets', 'active', null, 'attack / rocket', '2023-03-24 (minute)', 'site / green-village / Deir ez-Zor', null, '7 / 10 / 10', null, true],
      ['i4-conoco-rockets', 'active', null, 'attack / rocket', '2023-03-24 (day)', 'site / conoco / Deir ez-Zor', null, 'unknown', null, false],
      ['i5-gv-uavs', 'active', null, 'attack / one_way_uav', '2023-03-24 (day)', 'site / green-village / Deir ez-Zor', null, '3 / 3 / 3', '2 / 2 / 2', false],
      ['seed-alomar-7rockets', 'merged', 'i3-gv-rockets', 'attack / rocket', '2023-03-23 (week)', 'near_site / — / Deir ez-Zor', null, 'unknown', null, false],
    ]);
  });

  it('lists active incidents by default, newest local date first', async () => {
    const body = await get<{ items: Summary[] }>('/v1/incidents');
    expect(body.items.map((r) => r.incident_id)).toEqual([
      'i5-gv-uavs',
      'i4-conoco-rockets',
      'i3-gv-rockets',
      'i2b-us-strike-mayadin-bukamal',
      'i2a-us-strike-dez-city',
      'i1-rlz-uav',
    ]);
  });

  it.each([
    ['kind=response_strike', ['i2a-us-strike-dez-city', 'i2b-us-strike-mayadin-bukamal']],
    ['method=rocket', ['i3-gv-rockets', 'i4-conoco-rockets']],
    ['method=rocket&status=all', ['i3-gv-rockets', 'i4-conoco-rockets', 'seed-alomar-7rockets']],
    ['status=merged', ['seed-alomar-7rockets']],
    ['from=2023-03-23&to=2023-03-23', ['i1-rlz-uav']],
    ['site=green-village', ['i3-gv-rockets', 'i5-gv-uavs']],
    ['admin1=Al-Hasakah', ['i1-rlz-uav']],
    ['admin1=SYR/Deir%20ez-Zor&kind=attack', ['i3-gv-rockets', 'i4-conoco-rockets', 'i5-gv-uavs']],
    ['country=SYR&method=one_way_uav', ['i1-rlz-uav', 'i5-gv-uavs']],
    ['country=IRQ', []],
    ['perpetrator=irgc-affiliated&minLikelihood=likely', ['i1-rlz-uav']],
    ['perpetrator=irgc-affiliated&minLikelihood=very_likely', []],
    ['perpetrator=none&kind=attack', ['i3-gv-rockets', 'i4-conoco-rockets', 'i5-gv-uavs']],
    ['hasCasualties=false', ['i5-gv-uavs']],
    ['hasCasualties=true&kind=attack', ['i1-rlz-uav', 'i3-gv-rockets', 'i4-conoco-rockets']],
    ['operation=op-2023-03-24-us-strikes', ['i2a-us-strike-dez-city', 'i2b-us-strike-mayadin-bukamal']],
    // Every filter value is a bound parameter: an injection string is just a value that matches nothing.
    ["admin1=Deir%20ez-Zor'%20OR%20'1'='1", []],
  ])('filters %s', async (query, ids) => {
    const body = await get<{ items: Summary[] }>(`/v1/incidents?sort=id&${query}`, '/v1/incidents');
    expect(body.items.map((r) => r.incident_id)).toEqual(ids);
  });
});

interface Detail {
  incident: Summary & { unresolved: string[] };
  merged_into: { incident_id: string; href: string } | null;
  munitions: { figure: Summary['munitions']; claims: { source_id: string; reliability: string; best: number | null; via_merge: boolean }[] };
  casualties: { role: string; outcome: string; nationality: string | null; low: number; best: number; high: number; source: string; covered: boolean; covered_by_operation: boolean; claims: { source_id: string; best: number | null }[] }[];
  operation: { operation_id: string; member_incident_ids: string[]; casualties: Detail['casualties'] } | null;
  attribution: { top_perpetrator: { actor_id: string; likelihood: string } | null; materiel_origin: { actor_id: string; likelihood: string } | null; claimed_by: string[]; denied_by: string[] };
  responses: { triggered: { link_id: string; response: { kind: string; id: string }; lag_minutes: number | null }[]; answered: { link_id: string; trigger: { incident_id: string }; lag_minutes: number | null }[] };
  discrepancies: { scope_kind: string; scope_id: string; field: string; series: { source_id: string; best: number | null; via_merge: boolean }[] }[];
  timeline: { event_id: string; via_merge: boolean }[];
  damage: { object: string; extent: string }[];
}

const fig = (c: Detail['casualties'][number]) => `${c.role}/${c.outcome}/${c.nationality ?? '-'} ${c.low} / ${c.best} / ${c.high} ${c.source}${c.covered ? ' covered' : ''}`;

describe('GET /v1/incidents/{id} (final)', () => {
  it('i1: attribution without claims or relations turning into attributions, covered figures next to the adopted umbrella', async () => {
    const d = await get<Detail>('/v1/incidents/i1-rlz-uav', '/v1/incidents/{id}');
    expect(d.attribution).toMatchObject({
      top_perpetrator: { actor_id: 'irgc-affiliated', likelihood: 'likely' },
      materiel_origin: { actor_id: 'iran-state', likelihood: 'likely' },
      claimed_by: ['ghaliboun'],
      denied_by: ['kataib-hezbollah'],
    });
    expect(d.casualties.map(fig).sort()).toEqual(
      [
        'contractor/killed/USA 1 / 1 / 1 default',
        'contractor/wounded/USA 1 / 1 / 1 default',
        'service_member/injured_tbi/USA 11 / 11 / 11 default covered',
        'service_member/wounded/USA 5 / 5 / 5 default covered',
        'service_member/wounded_or_injured/USA 11 / 11 / 16 adopted',
      ].sort(),
    );
    const tbi = d.casualties.find((c) => c.outcome === 'injured_tbi')!;
    expect(tbi.claims.map((c) => [c.source_id, c.best])).toEqual([['dod', 11]]);
    expect(d.responses.triggered.map((e) => [e.link_id, e.response.kind, e.response.id, e.lag_minutes])).toEqual([
      ['r1', 'operation', 'op-2023-03-24-us-strikes', 782],
    ]);
    expect(d.merged_into).toBeNull();
    expect(d.incident.unresolved).toEqual([]);
  });

  it('i3: the munitions claims behind 7 / 10 / 10, the discrepancy, the responses it answered, the timeline with the merged report', async () => {
    const d = await get<Detail>('/v1/incidents/i3-gv-rockets', '/v1/incidents/{id}');
    expect(lbh(d.munitions.figure)).toBe('7 / 10 / 10');
    expect(d.munitions.claims.map((c) => [c.source_id, c.reliability, c.best, c.via_merge]).sort()).toEqual([
      ['centcom', 'B', 10, false],
      ['ntd', 'D', 8, false],
      ['seed-2023-03-25', 'F', 7, true],
    ]);
    expect(d.discrepancies.map((x) => `${x.scope_kind}/${x.scope_id}/${x.field}`)).toEqual(['incident/i3-gv-rockets/munitions']);
    expect(d.responses.answered.map((e) => [e.link_id, e.trigger.incident_id, e.lag_minutes])).toEqual([
      ['r2', 'i2a-us-strike-dez-city', 325],
      ['r2', 'i2b-us-strike-mayadin-bukamal', null],
    ]);
    expect(d.timeline.map((t) => `${t.event_id.replace('seed-', '')}${t.via_merge ? '*' : ''}`)).toEqual([
      'e027', 'e030', 'e031', 'e028', 'e032', 'e026*', 'e029', 'e042', 'e044',
    ]);
    expect(d.casualties.map(fig)).toEqual(['civilian/wounded/SYR 4 / 4 / 4 default']);
    expect(d.damage).toEqual([expect.objectContaining({ object: 'civilian_house', extent: 'significant' })]);
  });

  it('i2a: both sources behind the default figure, and the operation figure that covers it', async () => {
    const d = await get<Detail>('/v1/incidents/i2a-us-strike-dez-city', '/v1/incidents/{id}');
    const killed = d.casualties.find((c) => c.outcome === 'killed')!;
    expect(`${killed.low} / ${killed.best} / ${killed.high}`).toBe('4 / 6 / 6');
    expect(killed.covered_by_operation).toBe(true);
    expect(killed.claims.map((c) => [c.source_id, c.best]).sort()).toEqual([['deirezzor24', 4], ['sohr', 6]]);
    expect(d.operation?.member_incident_ids).toEqual(['i2a-us-strike-dez-city', 'i2b-us-strike-mayadin-bukamal']);
    expect(d.operation?.casualties.map(fig)).toEqual(['militant/killed/- 4 / 8 / 19 adopted']);
    expect(d.discrepancies.map((x) => [x.scope_kind, x.field, x.series.map((s) => `${s.source_id} ${s.best}`).sort()])).toEqual([
      ['incident', 'casualties:militant/killed/', ['deirezzor24 4', 'sohr 6']],
      ['operation', 'casualties:militant/killed/', ['dod 8', 'sohr 19']],
    ]);
    expect(d.responses.triggered.map((e) => [e.link_id, e.response.id, e.lag_minutes])).toEqual([['r2', 'i3-gv-rockets', 325]]);
    expect(d.responses.answered.map((e) => [e.link_id, e.trigger.incident_id, e.lag_minutes])).toEqual([['r1', 'i1-rlz-uav', 782]]);
  });

  it('§6 as of: i3 munitions 8 / 10 / 10 from two sources before the merge; its TBI key holds only reuters 2 on 31 March', async () => {
    const before = await get<Detail>('/v1/incidents/i3-gv-rockets?asOf=2023-03-25T12:59:59Z', '/v1/incidents/{id}');
    expect(lbh(before.munitions.figure)).toBe('8 / 10 / 10');
    expect(before.discrepancies.map((x) => [x.field, x.series.map((v) => `${v.source_id} ${v.best}`).sort()])).toEqual([['munitions', ['centcom 10', 'ntd 8']]]);
    const march = await get<Detail>('/v1/incidents/i3-gv-rockets?asOf=2023-03-31T23:59:59Z', '/v1/incidents/{id}');
    const tbi = march.casualties.find((c) => c.outcome === 'injured_tbi')!;
    expect(tbi.claims.map((c) => [c.source_id, c.best])).toEqual([['reuters', 2]]);
    expect(`${tbi.low} / ${tbi.best} / ${tbi.high}`).toBe('2 / 2 / 2');
  });

  it('a merged incident answers with a pointer to the incident it was merged into, and keeps its timeline', async () => {
    const res = await request(`${stack.query.url}/v1/incidents/seed-alomar-7rockets`);
    expect(res.status).toBe(200);
    expect(res.headers.get('link')).toBe('</v1/incidents/i3-gv-rockets>; rel="canonical"');
    const d = res.body as Detail;
    expect(d.incident.status).toBe('merged');
    expect(d.merged_into).toEqual({ incident_id: 'i3-gv-rockets', href: '/v1/incidents/i3-gv-rockets' });
    expect(d.timeline.map((t) => t.event_id)).toEqual(['seed-e026', 'seed-e029']);
  });
});

// the query service's own response schema (services/query/src/responses.ts)
type AttackStats = z.infer<typeof AttackStatsSchema>;
type AttackRow = AttackStats['rows'][number];

const attackRow = (r: AttackRow) =>
  [r.period, r.site ?? r.admin1, r.kind, r.method, r.incidents, `${r.munitions.low} / ${r.munitions.best} / ${r.munitions.high}`, r.munitions.unknown, r.intercepted, r.incidents_with_casualties]
    .filter((x) => x !== undefined)
    .join(' | ');

describe('GET /v1/stats/attacks (§2)', () => {
  it('§2.1 per local day, geography all', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=kind,method');
    expect(s.rows.map(attackRow)).toEqual([
      '2023-03-23 | attack | one_way_uav | 1 | 1 / 1 / 1 | 0 | 0 | 1',
      '2023-03-24 | attack | one_way_uav | 1 | 3 / 3 / 3 | 0 | 2 | 0',
      '2023-03-24 | attack | rocket | 2 | 7 / 10 / 10 | 1 | 0 | 2',
      '2023-03-24 | response_strike | airstrike_fixed_wing | 2 | 0 / 0 / 0 | 2 | 0 | 2',
    ]);
    expect(s.not_in_series).toEqual({
      incidents: 0,
      by_precision: {},
      incident_ids: [],
      incident_ids_complete: true,
      incidents_url: '/v1/incidents?notInSeries=day&sort=id',
    });
  });

  it('all attacks on 2023-03-24: 3 incidents, munitions 10 / 13 / 13 plus 1 unknown', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks?kind=attack&from=2023-03-24&to=2023-03-24');
    expect(s.totals).toEqual({ incidents: 3, munitions: { low: 10, best: 13, high: 13, unknown: 1 }, intercepted: 2, incidents_with_casualties: 2 });
  });

  it('§2.2 per local day and site; the strikes without a site are reported, not dropped', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=site,kind,method');
    expect(s.rows.map(attackRow)).toEqual([
      '2023-03-23 | rlz | attack | one_way_uav | 1 | 1 / 1 / 1 | 0 | 0 | 1',
      '2023-03-24 | conoco | attack | rocket | 1 | 0 / 0 / 0 | 1 | 0 | 1',
      '2023-03-24 | green-village | attack | one_way_uav | 1 | 3 / 3 / 3 | 0 | 2 | 0',
      '2023-03-24 | green-village | attack | rocket | 1 | 7 / 10 / 10 | 0 | 0 | 1',
    ]);
    expect(s.not_in_series).toEqual({
      incidents: 2,
      by_precision: { 'place:adm1': 1, 'place:adm3': 1 },
      incident_ids: ['i2a-us-strike-dez-city', 'i2b-us-strike-mayadin-bukamal'],
      incident_ids_complete: true,
      incidents_url: '/v1/incidents?notInSeries=day%3Asite&sort=id',
    });
    const list = await get<{ items: { incident_id: string }[] }>(s.not_in_series.incidents_url);
    expect(list.items.map((i) => i.incident_id)).toEqual(['i2a-us-strike-dez-city', 'i2b-us-strike-mayadin-bukamal']);
  });

  it('§2.3 per local day and admin1', async () => {
    const s = await get<AttackStats>('/v1/stats/attacks?grain=day&groupBy=admin1,kind,method');
    expect(s.rows.map(attackRow)).toEqual([
      '2023-03-23 | SYR/Al-Hasakah | attack | one_way_uav | 1 | 1 / 1 / 1 | 0 | 0 | 1',
      '2023-03-24 | SYR/Deir ez-Zor | attack | one_way_uav | 1 | 3 / 3 / 3 | 0 | 2 | 0',
      '2023-03-24 | SYR/Deir ez-Zor | attack | rocket | 2 | 7 / 10 / 10 | 1 | 0 | 2',
      '2023-03-24 | SYR/Deir ez-Zor | response_strike | airstrike_fixed_wing | 2 | 0 / 0 / 0 | 2 | 0 | 2',
    ]);
  });

  it.each(['week', 'month'])('§2.4 %s with the top perpetrator, imprecise 0', async (grain) => {
    const s = await get<AttackStats>(`/v1/stats/attacks?grain=${grain}&groupBy=kind,method,perpetrator`);
    const period = grain === 'week' ? '2023-W12' : '2023-03';
    expect(s.rows.map((r) => [r.period, r.kind, r.method, r.perpetrator, r.perpetrator_likelihood, r.incidents, r.imprecise])).toEqual([
      [period, 'attack', 'one_way_uav', null, null, 1, 0],
      [period, 'attack', 'one_way_uav', 'irgc-affiliated', 'likely', 1, 0],
      [period, 'attack', 'rocket', null, null, 2, 0],
      [period, 'response_strike', 'airstrike_fixed_wing', null, null, 2, 0],
    ]);
    const country = await get<AttackStats>(`/v1/stats/attacks?grain=${grain}&groupBy=country,kind,method,perpetrator`);
    expect(country.rows.map((r) => ({ ...r, country: undefined }))).toEqual(s.rows.map((r) => ({ ...r, country: undefined })));
  });

  it('§2.5 before the merge (as of 2023-03-25T12:30:00Z): the week-precision seed incident counts in week and month rows only', async () => {
    const asOf = 'asOf=2023-03-25T12:30:00Z';
    const day = await get<AttackStats>(`/v1/stats/attacks?grain=day&groupBy=kind,method&method=rocket&${asOf}`);
    expect(day.rows.map(attackRow)).toEqual(['2023-03-24 | attack | rocket | 2 | 8 / 10 / 10 | 1 | 0 | 2']);
    expect(day.not_in_series).toMatchObject({ incidents: 1, by_precision: { 'time:week': 1 }, incident_ids: ['seed-alomar-7rockets'], incident_ids_complete: true });
    // The list behind the count is as of the same instant (after the merge, the incident is no longer counted).
    const behind = await get<{ items: { incident_id: string }[] }>(day.not_in_series.incidents_url);
    expect(behind.items.map((i) => i.incident_id)).toEqual(['seed-alomar-7rockets']);
    expect((await get<{ items: unknown[] }>('/v1/incidents?notInSeries=day&method=rocket')).items).toEqual([]);
    for (const grain of ['week', 'month']) {
      const s = await get<AttackStats>(`/v1/stats/attacks?grain=${grain}&groupBy=admin1,kind,method&method=rocket&${asOf}`);
      expect(s.rows.map((r) => [r.admin1, r.incidents, `${r.munitions.low} / ${r.munitions.best} / ${r.munitions.high}`, r.munitions.unknown, r.incidents_with_casualties, r.imprecise])).toEqual([
        ['SYR/Deir ez-Zor', 3, '15 / 17 / 17', 1, 2, 1],
      ]);
      const site = await get<AttackStats>(`/v1/stats/attacks?grain=${grain}&site=green-village&method=rocket&${asOf}`);
      expect(site.rows.map((r) => [r.incidents, r.munitions.low, r.imprecise])).toEqual([[1, 8, 0]]);
    }
    const merged = await get<AttackStats>('/v1/stats/attacks?grain=week&groupBy=kind,method&method=rocket&asOf=2023-03-25T13:00:00Z');
    expect(merged.rows.map((r) => [r.incidents, r.munitions.low, r.munitions.best, r.imprecise])).toEqual([[2, 7, 10, 0]]);
  });
});

interface Tally {
  scope: string;
  rows: { incident_id?: string; operation_id?: string; side?: string | null; affiliation?: string | null; role?: string; outcome?: string; nationality?: string | null; low: number; best: number; high: number; source: string }[];
}
const tally = (r: Tally['rows'][number]) =>
  [r.incident_id ?? r.operation_id, r.role, r.outcome, r.nationality === undefined ? undefined : (r.nationality ?? '(unknown)'), `${r.low} / ${r.best} / ${r.high}`]
    .filter((x) => x !== undefined)
    .join(' ');

describe('GET /v1/stats/casualties (§3)', () => {
  const overall: Record<string, string[]> = {
    final: [
      'civilian wounded SYR 4 / 4 / 4',
      'contractor killed USA 1 / 1 / 1',
      'contractor wounded USA 1 / 1 / 1',
      'militant killed (unknown) 4 / 8 / 19',
      'service_member injured_tbi USA 12 / 12 / 12',
      'service_member wounded USA 1 / 1 / 1',
      'service_member wounded_or_injured USA 11 / 11 / 16',
    ],
    '2023-03-25T23:59:59Z': [
      'civilian wounded SYR 4 / 4 / 4',
      'contractor killed USA 1 / 1 / 1',
      'contractor wounded USA 1 / 1 / 1',
      'militant killed (unknown) 19 / 19 / 19',
      'service_member wounded USA 6 / 6 / 6',
    ],
    '2023-03-31T23:59:59Z': [
      'civilian wounded SYR 4 / 4 / 4',
      'contractor killed USA 1 / 1 / 1',
      'contractor wounded USA 1 / 1 / 1',
      'militant killed (unknown) 4 / 8 / 19',
      'service_member injured_tbi USA 6 / 6 / 6',
      'service_member wounded USA 6 / 6 / 6',
    ],
  };

  it.each(Object.entries(overall))('§3.1 overall, %s', async (when, expected) => {
    const t = await get<Tally>(`/v1/stats/casualties${when === 'final' ? '' : `?asOf=${when}`}`);
    expect(t.scope).toBe('overall');
    expect(t.rows.map(tally)).toEqual(expected);
  });

  it('§3 every row falls into one side/affiliation group', async () => {
    const t = await get<Tally>('/v1/stats/casualties?groupBy=side,affiliation,role,nationality');
    expect(t.rows.map((r) => `${r.side}/${r.affiliation} ${r.role} ${r.nationality ?? '(unknown)'} ${r.low} / ${r.best} / ${r.high}`)).toEqual([
      'target/irgc-affiliated militant (unknown) 4 / 8 / 19',
      'target/us-mil contractor USA 2 / 2 / 2',
      'target/us-mil service_member USA 24 / 24 / 29',
      'third_party/civilians-syria civilian SYR 4 / 4 / 4',
    ]);
  });

  it('§3.2 per incident, final and as of 31 March', async () => {
    const final = await get<Tally>('/v1/stats/casualties?groupBy=incident,role,outcome,nationality');
    expect(final.scope).toBe('incident');
    expect(final.rows.map(tally)).toEqual([
      'i1-rlz-uav contractor killed USA 1 / 1 / 1',
      'i1-rlz-uav contractor wounded USA 1 / 1 / 1',
      'i1-rlz-uav service_member wounded_or_injured USA 11 / 11 / 16',
      'i2a-us-strike-dez-city militant killed (unknown) 4 / 6 / 6',
      'i2b-us-strike-mayadin-bukamal militant killed (unknown) 2 / 2 / 2',
      'i3-gv-rockets civilian wounded SYR 4 / 4 / 4',
      'i4-conoco-rockets service_member injured_tbi USA 12 / 12 / 12',
      'i4-conoco-rockets service_member wounded USA 1 / 1 / 1',
    ]);
    const march = await get<Tally>('/v1/stats/casualties?incident=i1-rlz-uav,i3-gv-rockets&role=service_member&asOf=2023-03-31T23:59:59Z');
    expect(march.rows.map(tally)).toEqual([
      'i1-rlz-uav service_member injured_tbi USA 4 / 4 / 4',
      'i1-rlz-uav service_member wounded USA 5 / 5 / 5',
      'i3-gv-rockets service_member injured_tbi USA 2 / 2 / 2',
    ]);
  });

  it.each([
    ['', '4 / 8 / 19 adopted'],
    ['&asOf=2023-03-25T23:59:59Z', '19 / 19 / 19 default'],
    ['&asOf=2023-03-31T23:59:59Z', '4 / 8 / 19 adopted'],
  ])('§3.3 per operation%s', async (asOf, expected) => {
    const t = await get<Tally>(`/v1/stats/casualties?groupBy=operation,role,outcome${asOf}`);
    expect(t.rows.map((r) => `${r.operation_id} ${r.role} ${r.outcome} ${r.low} / ${r.best} / ${r.high} ${r.source}`)).toEqual([
      `op-2023-03-24-us-strikes militant killed ${expected}`,
    ]);
  });

  it.each([
    ['2023-03-24T03:21:00Z', null, ['wounded 5 / 5 / 5']],
    ['2023-03-24T06:00:00Z', '4 / 4 / 4', ['wounded 5 / 5 / 5']],
    ['2023-03-24T10:00:00Z', '4 / 6 / 6', ['wounded 5 / 5 / 5']],
    ['2023-03-24T12:00:00Z', '6 / 8 / 8', ['wounded 5 / 5 / 5']],
    ['2023-03-24T22:00:00Z', '6 / 8 / 8', ['wounded 6 / 6 / 6']],
    ['2023-03-25T08:00:00Z', '19 / 19 / 19', ['wounded 6 / 6 / 6']],
    ['2023-03-30T18:00:00Z', '8 / 8 / 19', ['injured_tbi 6 / 6 / 6', 'wounded 6 / 6 / 6']],
    ['2023-03-31T09:00:00Z', '4 / 8 / 19', ['injured_tbi 6 / 6 / 6', 'wounded 6 / 6 / 6']],
    ['2023-04-17T18:00:00Z', '4 / 8 / 19', ['injured_tbi 23 / 23 / 23', 'wounded 6 / 6 / 6']],
    ['2023-04-18T09:00:00Z', '4 / 8 / 19', ['injured_tbi 12 / 12 / 12', 'wounded 1 / 1 / 1', 'wounded_or_injured 11 / 11 / 16']],
  ])('§3.5 revision curve as of %s', async (asOf, militants, serviceMembers) => {
    const t = await get<Tally>(`/v1/stats/casualties?groupBy=role,outcome&asOf=${asOf}`);
    const rows = t.rows.map((r) => ({ key: `${r.role} ${r.outcome}`, value: `${r.low} / ${r.best} / ${r.high}` }));
    expect(rows.find((r) => r.key === 'militant killed')?.value ?? null).toBe(militants);
    expect(rows.filter((r) => r.key.startsWith('service_member')).map((r) => `${r.key.slice('service_member '.length)} ${r.value}`)).toEqual(serviceMembers);
    expect(rows.filter((r) => r.key.startsWith('contractor')).map((r) => `${r.key} ${r.value}`)).toEqual(['contractor killed 1 / 1 / 1', 'contractor wounded 1 / 1 / 1']);
  });
});

describe('GET /v1/responses (§5)', () => {
  it('has three edges with basis, likelihood and lag, in one component', async () => {
    const r = await get<{ items: { link_id: string; trigger: { incident_id: string }; response: { kind: string; id: string }; basis: string; likelihood: string; lag_minutes: number | null; also_cites: string | null; component_id: string }[] }>(
      '/v1/responses',
    );
    expect(r.items.map((e) => [e.link_id, e.trigger.incident_id, `${e.response.kind} ${e.response.id}`, e.basis, e.likelihood, e.lag_minutes])).toEqual([
      ['r1', 'i1-rlz-uav', 'operation op-2023-03-24-us-strikes', 'self_declared', 'almost_certain', 782],
      ['r2', 'i2a-us-strike-dez-city', 'incident i3-gv-rockets', 'official_assessment', 'likely', 325],
      ['r2', 'i2b-us-strike-mayadin-bukamal', 'incident i3-gv-rockets', 'official_assessment', 'likely', null],
    ]);
    expect(new Set(r.items.map((e) => e.component_id)).size).toBe(1);
    expect(r.items[0]!.also_cites).toMatch(/series of recent attacks/);
    const likely = await get<{ items: unknown[] }>('/v1/responses?minLikelihood=very_likely', '/v1/responses');
    expect(likely.items).toHaveLength(1);
    const byIncident = await get<{ items: { link_id: string }[] }>('/v1/responses?incident=i3-gv-rockets', '/v1/responses');
    expect(byIncident.items.map((e) => e.link_id)).toEqual(['r2', 'r2']);
  });
});

describe('reference and context data (§0)', () => {
  it('GET /v1/sources: every source with its kind and reliability, all registered', async () => {
    const s = await get<{ items: { source_id: string; kind: string; reliability: string; registered: boolean }[] }>('/v1/sources');
    expect(s.items.map((x) => `${x.source_id} ${x.kind} ${x.reliability} ${x.registered}`)).toEqual([
      'centcom military B true',
      'deirezzor24 local_media C true',
      'dod official_gov B true',
      'memri monitor_ngo C true',
      'nbc national_media B true',
      'ntd partisan_media D true',
      'nyt national_media B true',
      'reuters wire B true',
      'seed-2023-03-25 seed_document F true',
      'sohr monitor_ngo C true',
      'stripes national_media B true',
    ]);
    const unregistered = await get<{ items: unknown[] }>('/v1/sources?registered=false', '/v1/sources');
    expect(unregistered.items).toEqual([]);
  });

  it('GET /v1/actors and /v1/sites', async () => {
    const a = await get<{ items: { actor_id: string; actor_type: number; relations: { relation: string; to_actor_id: string }[] }[] }>('/v1/actors');
    expect(a.items.map((x) => `${x.actor_id} ${x.actor_type}`)).toEqual([
      'civilians-syria 7',
      'ghaliboun 3',
      'iran-state 8',
      'irgc-affiliated 3',
      'kataib-hezbollah 3',
      'us-mil 8',
    ]);
    expect(a.items.find((x) => x.actor_id === 'ghaliboun')?.relations).toEqual([expect.objectContaining({ relation: 'facade_of', to_actor_id: 'irgc-affiliated' })]);
    const s = await get<{ items: { site_id: string; admin1: string; place: { precision: string }; defense_posture: unknown[] }[] }>('/v1/sites');
    expect(s.items.map((x) => `${x.site_id} ${x.admin1} ${x.place.precision}`)).toEqual([
      'conoco Deir ez-Zor site',
      'green-village Deir ez-Zor site',
      'rlz Al-Hasakah near_site',
    ]);
    expect(s.items.find((x) => x.site_id === 'rlz')?.defense_posture).toHaveLength(1);
  });

  it('GET /v1/external-stats: third-party figures, never summed', async () => {
    const x = await get<{ items: { stat_id: string; metric: string; value: { best: number }; geography: string[] }[] }>('/v1/external-stats?country=SYR');
    expect(x.items.map((s) => [s.stat_id, s.metric, s.value.best, s.geography])).toEqual([['x1', 'attacks_on_facilities_housing_us_troops', 78, ['IRQ', 'SYR']]]);
    const none = await get<{ items: unknown[] }>('/v1/external-stats?country=USA', '/v1/external-stats');
    expect(none.items).toEqual([]);
  });
});

describe('GET /v1/changes', () => {
  it('lists what changed, the merge naming both incidents, and continues exactly from next_cursor', async () => {
    const all = await get<{ items: { event_id: string; change: string; incident_ids: string[] }[]; next_cursor: string }>('/v1/changes');
    expect(all.items).toHaveLength(58);
    expect(all.items.find((c) => c.event_id === 'seed-e029')).toMatchObject({ change: 'merged', incident_ids: ['i3-gv-rockets', 'seed-alomar-7rockets'] });
    expect(all.items.filter((c) => c.change === 'new').map((c) => c.event_id)).toHaveLength(7);
    const after = await get<{ items: unknown[]; next_cursor: string }>(`/v1/changes?cursor=${all.next_cursor}`, '/v1/changes');
    expect(after.items).toEqual([]);
    expect(after.next_cursor).toBe(all.next_cursor);
    const page = await get<{ items: { event_id: string }[]; next_cursor: string }>('/v1/changes?limit=50', '/v1/changes');
    const rest = await get<{ items: { event_id: string }[] }>(`/v1/changes?cursor=${page.next_cursor}`, '/v1/changes');
    expect([...page.items, ...rest.items].map((c) => c.event_id)).toEqual(all.items.map((c) => c.event_id));
    const future = await get<{ items: unknown[] }>('/v1/changes?since=2999-01-01T00:00:00Z', '/v1/changes');
    expect(future.items).toEqual([]);
  });

  it('lists, for a source or site registration, every incident and operation citing it (stored as a citation set, §6)', async () => {
    const all = await get<{ items: { event_id: string; incident_ids: string[]; operation_ids: string[] }[] }>('/v1/changes');
    const expected = project(seedEvents()).revision_feed;
    // seed-e001 registers source dod, seed-e008 site rlz
    for (const id of ['seed-e001', 'seed-e008']) {
      const row = expected.find((r) => r.event_id === id)!;
      expect(row.incident_ids.length).toBeGreaterThan(0);
      expect(all.items.find((c) => c.event_id === id)).toMatchObject({ incident_ids: row.incident_ids, operation_ids: row.operation_ids });
    }
  });
});

describe('GET /v1/projections', () => {
  it('shows the offsets of every partition, lag 0 once caught up, and the events applied', async () => {
    const p = await get<{ kafka: string; projections: { projection: string; events_applied: number; lag_events: number; lag_seconds: number; partitions: { lag_events: number; log_end: string; next_offset: string }[] }[] }>(
      '/v1/projections',
    );
    expect(p.kafka).toBe('ok');
    expect(p.projections).toHaveLength(1);
    const main = p.projections[0]!;
    expect(main).toMatchObject({ projection: 'main', events_applied: 58, lag_events: 0, lag_seconds: 0 });
    expect(main.partitions.reduce((s, x) => s + Number(x.next_offset), 0)).toBe(58);
    expect(main.partitions.every((x) => x.lag_events === 0 && x.log_end === x.next_offset)).toBe(true);
  });
});
