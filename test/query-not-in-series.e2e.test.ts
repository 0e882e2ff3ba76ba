// Attack stats over more imprecise incidents than `not_in_series` lists inline: the count is
// complete, the first 100 ids are listed, and `incidents_url` pages through every one of them.
import { randomUUID } from 'node:crypto';
import { postEvents, request } from './support/http.js';
import { seedEvents } from './support/seed.js';
import { startQueryStack, type QueryStack } from './query-support/stack.js';

let stack: QueryStack;

beforeAll(async () => {
  stack = await startQueryStack({ seed: false });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const MONTHLY = 105;
const WEEKLY = 3;

function incident(id: string, precision: 'month' | 'week', localDate: string) {
  const template = seedEvents().find((e) => e.type === 'IncidentReported' && e.subject === 'incident/i5-gv-uavs')!;
  const data = template.data as { time: object; place: object };
  return {
    ...template,
    id: `nis-${randomUUID()}`,
    subject: `incident/${id}`,
    data: {
      ...data,
      incident_id: id,
      time: { local_date: localDate, tz: 'Asia/Damascus', precision },
      place: { name: 'Deir ez-Zor governorate', country_iso3: 'SYR', admin1: 'Deir ez-Zor', precision: 'adm1' },
    },
  };
}

interface Stats {
  rows: { period: string; incidents: number }[];
  not_in_series: { incidents: number; by_precision: Record<string, number>; incident_ids: string[]; incident_ids_complete: boolean; incidents_url: string };
}

it('counts every incident a weekly series cannot hold, lists the first 100 and links to all of them', async () => {
  const sources = seedEvents().filter((e) => e.type === 'SourceRegistered');
  const monthly = Array.from({ length: MONTHLY }, (_, i) => `nis-month-${String(i).padStart(3, '0')}`);
  const weekly = Array.from({ length: WEEKLY }, (_, i) => `nis-week-${i}`);
  const posted = await postEvents(stack.ingest.url, [
    ...sources,
    ...monthly.map((id) => incident(id, 'month', '2023-02-15')),
    ...weekly.map((id) => incident(id, 'week', '2023-02-16')),
  ]);
  expect([posted.status, posted.status === 202 ? '' : posted.text.slice(0, 600)]).toEqual([202, '']);
  const { position } = posted.body as { position: string };

  const week = await request(`${stack.query.url}/v1/stats/attacks?grain=week&position=${position}`);
  expect(week.status).toBe(200);
  const stats = week.body as Stats;
  expect(stats.rows).toEqual([expect.objectContaining({ period: '2023-W07', incidents: WEEKLY })]);
  expect(stats.not_in_series).toMatchObject({ incidents: MONTHLY, by_precision: { 'time:month': MONTHLY }, incident_ids_complete: false });
  expect(stats.not_in_series.incident_ids).toEqual(monthly.slice(0, 100));
  expect(stats.not_in_series.incidents_url).toBe('/v1/incidents?notInSeries=week&sort=id');

  const paged: string[] = [];
  let next: string | null = `${stats.not_in_series.incidents_url}&limit=40`;
  while (next !== null) {
    const page = await request(`${stack.query.url}${next}`);
    expect(page.status).toBe(200);
    const body = page.body as { items: { incident_id: string }[]; next_cursor: string | null };
    paged.push(...body.items.map((i) => i.incident_id));
    next = body.next_cursor === null ? null : `${stats.not_in_series.incidents_url}&limit=40&cursor=${body.next_cursor}`;
  }
  expect(paged).toEqual(monthly);

  // The same over a date range (the range's own query plan), and as of a time after the reports
  // but before the last stored event (the as-of projection, not the tables).
  for (const extra of ['&from=2023-02-01&to=2023-02-28', '&from=2023-02-01&to=2023-02-28&asOf=2023-03-25T00:00:00Z']) {
    const ranged = (await request(`${stack.query.url}/v1/stats/attacks?grain=week${extra}`)).body as Stats;
    expect(ranged.not_in_series).toMatchObject({ incidents: MONTHLY, incident_ids_complete: false });
    expect(ranged.not_in_series.incident_ids).toEqual(monthly.slice(0, 100));
  }

  // A monthly series holds them all; a daily one holds none of them.
  const month = (await request(`${stack.query.url}/v1/stats/attacks?grain=month`)).body as Stats;
  expect(month.not_in_series).toMatchObject({ incidents: 0, incident_ids: [], incident_ids_complete: true });
  expect(month.rows).toEqual([expect.objectContaining({ period: '2023-02', incidents: MONTHLY + WEEKLY })]);
  const day = (await request(`${stack.query.url}/v1/stats/attacks?grain=day`)).body as Stats;
  expect(day.not_in_series).toMatchObject({ incidents: MONTHLY + WEEKLY, by_precision: { 'time:month': MONTHLY, 'time:week': WEEKLY } });
  expect(day.rows).toEqual([]);
}, 60_000);
