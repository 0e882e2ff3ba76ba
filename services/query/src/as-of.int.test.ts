// As-of answers computed from the event store against a real PostgreSQL.
import { canonicalJson, type DomainEvent } from '@incidents/events';
import { startQueryOnFreshSchema, storeEvents, type QueryOnFreshSchema } from '../../../test/support/query.js';
import { seedEvents } from '../../../test/support/seed.js';

let query: QueryOnFreshSchema;

beforeAll(async () => {
  query = await startQueryOnFreshSchema();
}, 60_000);

afterAll(async () => {
  await query?.stop();
});

const store = (events: { event: DomainEvent; variant: string }[]) => storeEvents(query.pool, events);

type Tally = { role: string; outcome: string; best: number };

async function tallies(asOf: string): Promise<Tally[]> {
  const res = await fetch(`${query.url}/v1/stats/casualties?groupBy=role,outcome&asOf=${asOf}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Tally[] }).rows;
}

describe('as-of from the event store', () => {
  it('never applies a losing variant of a (source, id), even when only it is timed before asOf (§5.1, §5.7)', async () => {
    const seed = seedEvents();
    const report = seed.find((e) => e.id === 'seed-e011')!;
    const claim = seed.find((e) => e.id === 'seed-e014')! as DomainEvent & { data: { count: Record<string, unknown> } };
    // Two contents for one (source, id); the one whose canonical JSON sorts first wins (§5.1).
    const a = { ...claim, id: 'asof-variant', data: { ...claim.data, count: { low: 3, best: 3, high: 3, qualifier: 'exact' } } } as DomainEvent;
    const b = { ...claim, id: 'asof-variant', data: { ...claim.data, count: { low: 7, best: 7, high: 7, qualifier: 'exact' } } } as DomainEvent;
    const [winner, loser] = canonicalJson(a) < canonicalJson(b) ? [a, b] : [b, a];
    const early = { ...loser, time: '2023-03-24T04:00:00Z' } as DomainEvent;
    const late = { ...winner, time: '2023-03-30T00:00:00Z' } as DomainEvent;
    await store([
      { event: report, variant: 'r' },
      { event: early, variant: 'early' },
      { event: late, variant: 'late' },
      // something later than both, so that as-of answers come from the store, not the tables
      { event: { ...report, id: 'asof-later', time: '2023-04-05T00:00:00Z' }, variant: 'l' },
    ]);

    const killed = (rows: Tally[]) => rows.filter((r) => r.role === 'contractor' && r.outcome === 'killed').map((r) => r.best);
    // Before the winner's time: the winner is not there yet, and the loser never applies.
    expect(killed(await tallies('2023-03-25T00:00:00Z'))).toEqual([]);
    // After it: the winner's figure.
    expect(killed(await tallies('2023-03-31T00:00:00Z'))).toEqual([(late as { data: { count: { best: number } } }).data.count.best]);
  });
});

describe('as-of answers beyond QUERY_AS_OF_MAX_EVENTS', () => {
  let small: QueryOnFreshSchema;
  beforeAll(async () => {
    small = await startQueryOnFreshSchema({ QUERY_AS_OF_MAX_EVENTS: '5' });
    const seed = seedEvents();
    // 5 events timed 2023-03-24, 3 on 2023-03-28, the rest on 2023-04-10
    const time = (i: number) => (i < 5 ? '2023-03-24T00:00:00Z' : i < 8 ? '2023-03-28T00:00:00Z' : '2023-04-10T00:00:00Z');
    await storeEvents(small.pool, seed.map((e, i) => ({ ...e, time: time(i) })));
  }, 60_000);
  afterAll(async () => {
    await small?.stop();
  });

  it('answers with a 422 problem naming asOf, and answers within the bound and without asOf', async () => {
    const res = await fetch(`${small.url}/v1/stats/casualties?groupBy=role,outcome&asOf=2023-03-30T00:00:00Z`);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { type: string; status: number; detail: string; errors: { parameter: string; code: string }[] };
    expect(problem).toMatchObject({ type: 'urn:incidents:problem:as-of-too-large', status: 422 });
    expect(problem.detail).toContain('more than 5 stored events');
    expect(problem.errors).toEqual([expect.objectContaining({ parameter: 'asOf', code: 'too_many_events' })]);
    // exactly the bound: projected
    expect((await fetch(`${small.url}/v1/stats/casualties?groupBy=role,outcome&asOf=2023-03-25T00:00:00Z`)).status).toBe(200);
    // the current figures come from the tables, whatever the store holds
    expect((await fetch(`${small.url}/v1/stats/casualties?groupBy=role,outcome`)).status).toBe(200);
    // an asOf after every stored event is answered from the tables: nothing to project, no bound
    expect((await fetch(`${small.url}/v1/incidents?asOf=2030-01-01T00:00:00Z`)).status).toBe(200);
  });
});
