// Checks of the query service against events.md (§5.3–§5.7, §6) beyond the seed, on a real PostgreSQL.
// Events are stored in event_store directly; as-of answers (asOf before a later sentinel event)
// therefore run the query service's SQL over project(events with time ≤ asOf).
import type { DomainEvent } from '@incidents/events';
import { startQueryOnFreshSchema, storeEvents, type QueryOnFreshSchema } from '../../../test/support/query.js';

let query: QueryOnFreshSchema;

beforeAll(async () => {
  query = await startQueryOnFreshSchema();
}, 60_000);

afterAll(async () => {
  await query?.stop();
});

const FEED = '/feeds/audit';
let n = 0;

function ev(type: string, subject: string, time: string, data: Record<string, unknown>, id = `aud-${type}-${++n}`): DomainEvent {
  return { specversion: '1.0', id, source: FEED, type, subject, time, datacontenttype: 'application/json', data } as unknown as DomainEvent;
}

function report(id: string, time: string, start: string, extra: Record<string, unknown> = {}): DomainEvent {
  return ev('IncidentReported', `incident/${id}`, time, {
    incident_id: id,
    kind: 'attack',
    time: { start, local_date: start.slice(0, 10), tz: 'UTC', precision: 'minute' },
    place: { name: 'Somewhere', country_iso3: 'SYR', admin1: 'Hasakah', precision: 'adm1' },
    method: 'rocket',
    source: { source_id: 'aud-src' },
    ...extra,
  });
}

function casualty(claim: string, incident: string, time: string, segment: Record<string, unknown>, best: number): DomainEvent {
  return ev('CasualtyReported', `incident/${incident}`, time, {
    claim_id: claim,
    scope: { incident_id: incident },
    segment,
    count: { low: best, best, high: best, qualifier: 'exact' },
    mode: 'total',
    source: { source_id: 'aud-src' },
  });
}

const store = (events: DomainEvent[]) => storeEvents(query.pool, events);

// A sentinel far in the future, so that every asOf below is answered from the store (§5.7).
const SENTINEL = ev('SourceRegistered', 'source/aud-late', '2030-01-01T00:00:00Z', {
  source_id: 'aud-late',
  name: 'late',
  kind: 'wire',
  scale: 'International',
  reliability: 'B',
});
const AS_OF = '2029-01-01T00:00:00Z';

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${query.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('query service against the spec', () => {
  beforeAll(async () => {
    await store([
      SENTINEL,
    ]);
  });

  // §6 revision_feed: "incident and operation ids whose rows changed … cache invalidation";
  // ChangeParams: cursor = "changes recorded after it (exact, no overlap)". The projector stores a
  // batch and projects it in a separate transaction (docs/decisions.md "Two steps, one guarantee").
  it('changes feed: a next_cursor taken while an event is stored but not yet projected does not skip it', async () => {
    const first = await get<{ next_cursor: string }>('/v1/changes');
    const a = report('aud-feed-a', '2024-03-01T10:00:00Z', '2024-03-01T09:00:00Z');
    const b = report('aud-feed-b', '2024-03-01T11:00:00Z', '2024-03-01T09:30:00Z');
    await store([a, b]);
    const row = (e: DomainEvent) =>
      query.pool.query(
        `INSERT INTO revision_feed (time, event_id, event_source, type, incident_ids, operation_ids) VALUES ($1, $2, $3, $4, $5, '[]')`,
        [e.time, e.id, e.source, e.type, JSON.stringify([(e.data as { incident_id: string }).incident_id])],
      );
    // the projector has written the feed row of a, not yet b's
    await row(a);
    const page1 = await get<{ items: { event_id: string }[]; next_cursor: string }>(`/v1/changes?cursor=${first.next_cursor}`);
    expect(page1.items.map((i) => i.event_id)).toEqual([a.id]);
    // the projector catches up
    await row(b);
    const page2 = await get<{ items: { event_id: string }[] }>(`/v1/changes?cursor=${page1.next_cursor}`);
    expect(page2.items.map((i) => i.event_id)).toEqual([b.id]);
  });

  describe('as-of with lifecycle events and imprecise incidents', () => {
    beforeAll(async () => {
      await store([
        report('aud-m-dup', '2024-04-01T10:00:00Z', '2024-04-01T08:00:00Z'),
        report('aud-m-surv', '2024-04-01T11:00:00Z', '2024-04-01T08:05:00Z'),
        casualty('aud-m-c1', 'aud-m-dup', '2024-04-01T12:00:00Z', { side: 'target', role: 'contractor', outcome: 'wounded', nationality_iso3: 'GBR' }, 4),
        ev('IncidentMerged', 'incident/aud-m-dup', '2024-04-02T00:00:00Z', { incident_id: 'aud-m-dup', into_incident_id: 'aud-m-surv', reason: 'duplicate_report' }),
        report('aud-r', '2024-04-01T10:00:00Z', '2024-04-01T07:00:00Z', { method: 'mortar' }),
        ev('IncidentRetracted', 'incident/aud-r', '2024-04-03T00:00:00Z', { incident_id: 'aud-r', reason: 'did_not_occur' }),
        // a year-precision and a week-precision incident (§5.4)
        ev('IncidentReported', 'incident/aud-y', '2024-05-01T00:00:00Z', {
          incident_id: 'aud-y', kind: 'attack', method: 'ied',
          time: { local_date: '2024-07-01', tz: 'UTC', precision: 'year' },
          place: { name: 'Somewhere', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'adm1' },
          source: { source_id: 'aud-src' },
        }),
        ev('IncidentReported', 'incident/aud-w', '2024-05-01T00:00:00Z', {
          incident_id: 'aud-w', kind: 'attack', method: 'ied',
          time: { local_date: '2024-04-11', tz: 'UTC', precision: 'week' },
          place: { name: 'Somewhere', country_iso3: 'IRQ', admin1: 'Anbar', precision: 'adm1' },
          source: { source_id: 'aud-src' },
        }),
      ]);
    });

    type Detail = { incident: { status: string }; merged_into: { incident_id: string } | null };
    // §5.3 "IncidentMerged → merged … Follow merges to the final survivor"; §5.7 "asOf=T evaluates every rule over the events with time ≤ T".
    it('detail before and after a merge timed before asOf', async () => {
      const before = await get<Detail>(`/v1/incidents/aud-m-dup?asOf=2024-04-01T23:00:00Z`);
      expect([before.incident.status, before.merged_into]).toEqual(['active', null]);
      const after = await get<Detail>(`/v1/incidents/aud-m-dup?asOf=2024-04-02T00:00:00Z`);
      expect([after.incident.status, after.merged_into?.incident_id]).toEqual(['merged', 'aud-m-surv']);
    });

    // §5.3 "every claim recorded against it … is read as a claim about the survivor".
    it('casualty per-incident tally moves to the survivor at the merge instant', async () => {
      const q = (t: string) => get<{ rows: { incident_id: string; best: number }[] }>(`/v1/stats/casualties?groupBy=incident&nationality=GBR&asOf=${t}`);
      expect((await q('2024-04-01T23:00:00Z')).rows.map((r) => [r.incident_id, r.best])).toEqual([['aud-m-dup', 4]]);
      expect((await q('2024-04-02T00:00:00Z')).rows.map((r) => [r.incident_id, r.best])).toEqual([['aud-m-surv', 4]]);
    });

    // §5.3 "Only active incidents enter counts and tallies."
    it('attack stats drop a retracted incident from the retraction instant', async () => {
      const q = (t: string) => get<{ totals: { incidents: number } }>(`/v1/stats/attacks?method=mortar&asOf=${t}`);
      expect((await q('2024-04-02T23:00:00Z')).totals.incidents).toBe(1);
      expect((await q('2024-04-03T00:00:00Z')).totals.incidents).toBe(0);
    });

    // §5.4 "A year-precision incident enters no attack_counts row and counts only in un-bucketed tallies";
    // the attack stats list such incidents in not_in_series rather than dropping them.
    it('attack stats report imprecise incidents separately', async () => {
      const month = await get<{ totals: { incidents: number }; not_in_series: { incident_ids: string[] } }>(`/v1/stats/attacks?method=ied&asOf=${AS_OF}`);
      expect(month.totals.incidents).toBe(1);
      expect(month.not_in_series.incident_ids).toEqual(['aud-y']);
      const day = await get<{ totals: { incidents: number }; not_in_series: { incident_ids: string[] } }>(
        `/v1/stats/attacks?method=ied&grain=day&from=2024-04-01&to=2024-04-30&asOf=${AS_OF}`,
      );
      expect(day.totals.incidents).toBe(0);
      expect(day.not_in_series.incident_ids).toEqual(['aud-w']);
    });

    // §6 casualty_tally "groupable by side, affiliation"; §5.5 a figure's side is the one all its claims share.
    it('casualty tallies of one key with different sides group and filter by side', async () => {
      await store([
        report('aud-s1', '2024-06-01T10:00:00Z', '2024-06-01T08:00:00Z'),
        report('aud-s2', '2024-06-01T10:00:00Z', '2024-06-02T08:00:00Z'),
        casualty('aud-s-c1', 'aud-s1', '2024-06-03T00:00:00Z', { side: 'target', affiliation_actor_id: 'aud-pmf', role: 'civilian', outcome: 'killed', nationality_iso3: 'LBN' }, 5),
        casualty('aud-s-c2', 'aud-s2', '2024-06-03T00:00:00Z', { side: 'third_party', role: 'civilian', outcome: 'killed', nationality_iso3: 'LBN' }, 2),
      ]);
      type Rows = { rows: Record<string, unknown>[] };
      const q = (params: string) => get<Rows>(`/v1/stats/casualties?nationality=LBN&asOf=${AS_OF}&${params}`);
      expect((await q('groupBy=side,affiliation')).rows.map((r) => [r.side, r.affiliation, r.best])).toEqual([
        ['target', 'aud-pmf', 5],
        ['third_party', null, 2],
      ]);
      expect((await q('groupBy=role&side=target')).rows.map((r) => [r.role, r.best])).toEqual([['civilian', 5]]);
      expect((await q('groupBy=role,outcome&affiliation=aud-pmf')).rows.map((r) => r.best)).toEqual([5]);
      const summed = (await q('groupBy=role,outcome,nationality')).rows;
      // two figures added up: `sum`, however the table keeps them (one row per side here)
      expect(summed.map((r) => [r.role, r.outcome, r.nationality, r.best, r.figure_count, r.source])).toEqual([['civilian', 'killed', 'LBN', 7, 2, 'sum']]);
      expect((await q('groupBy=side&side=third_party')).rows.map((r) => [r.side, r.figure_count, r.source])).toEqual([['third_party', 1, 'default']]);
      const weeks = (await q('groupBy=side&grain=week')).rows;
      expect(weeks.map((r) => [r.period, r.side, r.best])).toEqual([
        ['2024-W22', 'target', 5],
        ['2024-W22', 'third_party', 2],
      ]);
    });

    it('incident list pages with limit=1 neither skip nor repeat rows sharing a local date', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: { items: { incident_id: string }[]; next_cursor: string | null } = await get(
          `/v1/incidents?from=2024-04-01&to=2024-04-01&status=all&limit=1&asOf=${AS_OF}${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((x) => x.incident_id));
        cursor = page.next_cursor;
        if (cursor === null) break;
      }
      expect(seen).toEqual(['aud-r', 'aud-m-surv', 'aud-m-dup']);
    });
  });
});
