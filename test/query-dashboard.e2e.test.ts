// The dashboard page in headless Chromium over the seed: the numbers it renders equal the
// API's, the drill-down shows the timeline and discrepancies, the as-of picker changes the
// figures. A screenshot is saved under .artifacts/ (git-ignored).
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { request } from './support/http.js';
import { repoRoot, waitFor } from './support/infra.js';
import { startQueryStack, type QueryStack } from './query-support/stack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.join(repoRoot, '.artifacts');

let stack: QueryStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  stack = await startQueryStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function api<T>(p: string): Promise<T> {
  const res = await request(`${stack.query.url}${p}`);
  expect(res.status).toBe(200);
  return res.body as T;
}

const ready = () => page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
const texts = async (selector: string) => (await page.locator(selector).allTextContents()).map((t) => t.trim());
const text = (selector: string) => page.locator(selector).textContent();
async function attrs(selector: string, ...names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const el of await page.locator(selector).all()) {
    const values: string[] = [];
    for (const name of names) values.push((await el.getAttribute(name)) ?? '');
    out.push(values.join(' '));
  }
  return out;
}

interface Attack { period: string; method: string; incidents: number }
interface Tally { role: string; outcome: string; nationality: string | null; low: number; best: number; high: number; incomplete: boolean }

it('renders attacks, casualty tallies, incidents and the lag as the API gives them', async () => {
  await page.goto(`${stack.query.url}/`);
  await ready();

  const attacks = await api<{ rows: Attack[] }>('/v1/stats/attacks?grain=day&groupBy=method&kind=attack');
  const perDay = new Map<string, number>();
  for (const r of attacks.rows) perDay.set(r.period, (perDay.get(r.period) ?? 0) + r.incidents);
  expect([...perDay.entries()]).toEqual([['2023-03-23', 1], ['2023-03-24', 3]]);
  expect(await attrs('#attacks-table tbody tr', 'data-period')).toEqual([...perDay.keys()]);
  expect((await texts('#attacks-table .attack-total')).map(Number)).toEqual([...perDay.values()]);
  const segments = await attrs('#attacks-chart rect', 'data-period', 'data-method', 'data-count');
  expect(segments.sort()).toEqual(attacks.rows.map((r) => `${r.period} ${r.method} ${r.incidents}`).sort());

  const tallies = await api<{ rows: Tally[] }>('/v1/stats/casualties?groupBy=role,outcome,nationality');
  expect(await texts('#casualty-table .casualty-lbh')).toEqual(tallies.rows.map((r) => `${r.low} / ${r.best} / ${r.high}${r.incomplete ? ' (incomplete)' : ''}`));
  expect(await texts('#casualty-table .casualty-lbh')).toContain('11 / 11 / 16');
  expect(await page.locator('#casualty-chart line.uncertainty').count()).toBe(tallies.rows.length);

  const incidents = await api<{ items: { incident_id: string }[] }>('/v1/incidents?status=all&sort=-date&limit=100');
  expect(await attrs('#incident-table tr.incident', 'data-id')).toEqual(incidents.items.map((i) => i.incident_id));
  expect(await text('tr.incident[data-id="i3-gv-rockets"] .munitions')).toBe('7 / 10 / 10');

  const lag = await api<{ projections: { lag_events: number; lag_seconds: number }[] }>('/v1/projections');
  expect(await text('#lag')).toBe(`${lag.projections[0]!.lag_events} events, ${Math.round(lag.projections[0]!.lag_seconds)} s`);
});

it('drills down to the timeline and the discrepancies of an incident', async () => {
  await page.click('tr.incident[data-id="i3-gv-rockets"]');
  await page.waitForSelector('#detail[data-ready="true"]');
  const detail = await api<{ timeline: { event_id: string }[] }>('/v1/incidents/i3-gv-rockets');
  expect(await attrs('#timeline-table tr.timeline-entry', 'data-event')).toEqual(detail.timeline.map((t) => t.event_id));
  expect(await texts('#discrepancy-table tr[data-field]')).toEqual([
    'munitions7 / 10 / 10 (default)centcom [B] 10; ntd [D] 8; seed-2023-03-25 [F] 7 via merge',
  ]);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'query-dashboard.png'), fullPage: true });
});

it('shows the figures as known at the as-of date picked', async () => {
  const militant = '#casualty-table tr[data-key="militant/killed/"] .casualty-lbh';
  expect(await text(militant)).toBe('4 / 8 / 19');
  await page.fill('#asof', '2023-03-25T23:59:59'); // fires change: the page reloads its data
  await waitFor('the as-of figures', async () => (await text(militant)) !== '4 / 8 / 19');
  await ready();
  const tallies = await api<{ rows: Tally[] }>('/v1/stats/casualties?groupBy=role,outcome,nationality&asOf=2023-03-25T23:59:59Z');
  expect(await text(militant)).toBe('19 / 19 / 19');
  expect(await texts('#casualty-table .casualty-lbh')).toEqual(tallies.rows.map((r) => `${r.low} / ${r.best} / ${r.high}${r.incomplete ? ' (incomplete)' : ''}`));
  // Before 30 March neither i1's TBI claim nor the adoption existed: no umbrella row yet.
  expect(await page.locator('#casualty-table tr[data-key="service_member/wounded_or_injured/USA"]').count()).toBe(0);
  const incidents = await api<{ items: { incident_id: string }[] }>('/v1/incidents?status=all&sort=-date&limit=100&asOf=2023-03-25T23:59:59Z');
  expect(await attrs('#incident-table tr.incident', 'data-id')).toEqual(incidents.items.map((i) => i.incident_id));
  await page.screenshot({ path: path.join(artifacts, 'query-dashboard-asof.png'), fullPage: true });
});
