// Shared helpers for the unit tests of this package (jest only runs *.unit.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  expectedSubject,
  validateEvent,
  type Count,
  type DataOf,
  type DomainEvent,
  type EventOf,
  type EventType,
  type PlaceSpec,
  type Segment,
  type TimeSpec,
} from '@incidents/events';
import type { CasualtyTallyRow, Projection } from './index.js';

const seedPath = fileURLToPath(new URL('../../../fixtures/seed-incidents.ndjson', import.meta.url));

/** The 58 seed events, validated against the v1 contract. */
export function seedEvents(): DomainEvent[] {
  return readFileSync(seedPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => valid(JSON.parse(line)));
}

export const NOW = new Date('2030-01-01T00:00:00Z');

/** Validates a fixture event (so the tests never feed the projector what ingest would reject). */
export function valid(input: unknown): DomainEvent {
  const result = validateEvent(input, { now: NOW });
  if (!result.ok)
    throw new Error(
      `invalid fixture event ${JSON.stringify(input)}: ${JSON.stringify(result.errors)}`,
    );
  return result.event;
}

/** Builds valid events with ids `<prefix>-001`, `<prefix>-002`, … */
export class Given {
  private n = 0;
  readonly events: DomainEvent[] = [];
  constructor(
    private readonly prefix = 'ev',
    private readonly feed = '/feeds/test',
  ) {}

  add<T extends EventType>(
    type: T,
    time: string,
    data: DataOf<T>,
    opts: { id?: string; source?: string } = {},
  ): EventOf<T> {
    this.n++;
    const event = {
      specversion: '1.0',
      id: opts.id ?? `${this.prefix}-${String(this.n).padStart(3, '0')}`,
      source: opts.source ?? this.feed,
      type,
      subject: expectedSubject(type, data),
      time,
      datacontenttype: 'application/json',
      data,
    } as EventOf<T>;
    valid(event);
    this.events.push(event as DomainEvent);
    return event;
  }
}

export const exact = (n: number): Count => ({ low: n, best: n, high: n, qualifier: 'exact' });
export const approx = (low: number | null, best: number, high: number | null): Count => ({
  low,
  best,
  high,
  qualifier: 'approx',
});
export const atLeast = (n: number): Count => ({
  low: n,
  best: null,
  high: null,
  qualifier: 'at_least',
});
export const vague = (raw: string): Count => ({
  low: null,
  best: null,
  high: null,
  qualifier: 'vague',
  raw,
});

export const day = (localDate: string, tz = 'UTC'): TimeSpec => ({
  local_date: localDate,
  tz,
  precision: 'day',
});
export const minute = (start: string, tz = 'UTC'): TimeSpec => ({
  start,
  local_date: start.slice(0, 10),
  tz,
  precision: 'minute',
});
export const week = (localDate: string): TimeSpec => ({
  local_date: localDate,
  tz: 'UTC',
  precision: 'week',
});
export const atSite = (siteId: string, precision: PlaceSpec['precision'] = 'site'): PlaceSpec => ({
  site_id: siteId,
  precision,
});
export const inAdmin1 = (admin1: string, country = 'SYR'): PlaceSpec => ({
  name: `somewhere in ${admin1}`,
  country_iso3: country,
  admin1,
  precision: 'adm1',
});

export const seg = (
  role: Segment['role'],
  outcome: Segment['outcome'],
  nationality?: string,
  extra: Partial<Segment> = {},
): Segment => ({
  side: 'target',
  role,
  outcome,
  ...(nationality === undefined ? {} : { nationality_iso3: nationality }),
  ...extra,
});

export const src = (sourceId: string) => ({ source_id: sourceId });

/** `low / best / high` as the seed tables write it. */
export const lbh = (
  t: { low: number | null; best: number | null; high: number | null } | null,
): string => (t === null ? '—' : `${t.low ?? '?'} / ${t.best ?? '?'} / ${t.high ?? '?'}`);

/**
 * A tally as `{ 'role/outcome/nationality': 'l / b / h' }`, summed over sides and
 * affiliations (rows of one key with different sides are kept apart in the table).
 */
export function tally(
  p: Projection,
  kind: CasualtyTallyRow['scope_kind'],
  id = '',
): Record<string, string> {
  const sums = new Map<string, { low: number; best: number; high: number }>();
  for (const r of p.casualty_tally) {
    if (r.scope_kind !== kind || r.scope_id !== id) continue;
    const k = `${r.role}/${r.outcome}/${r.nationality}`;
    const s = sums.get(k) ?? { low: 0, best: 0, high: 0 };
    sums.set(k, { low: s.low + r.low, best: s.best + r.best, high: s.high + r.high });
  }
  return Object.fromEntries([...sums].map(([k, s]) => [k, lbh(s)]));
}

export function incident(p: Projection, id: string) {
  const row = p.incident_current.find((r) => r.incident_id === id);
  if (row === undefined) throw new Error(`no incident_current row ${id}`);
  return row;
}

/** A small deterministic PRNG (mulberry32) for shuffles outside fast-check. */
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

/**
 * An interleaving of `events` that keeps each subject's events in their given order (as Kafka
 * does per key): `keys[i]` is a random number per position; each subject's events receive its
 * sorted share of the keys, then everything is ordered by key.
 */
export function interleave<E extends { subject: string }>(
  events: readonly E[],
  keys: readonly number[],
): E[] {
  const bySubject = new Map<string, number[]>();
  events.forEach((e, i) => {
    const list = bySubject.get(e.subject);
    if (list === undefined) bySubject.set(e.subject, [i]);
    else list.push(i);
  });
  const assigned = new Array<number>(events.length);
  for (const positions of bySubject.values()) {
    const ks = positions.map((i) => keys[i] ?? 0).sort((a, b) => a - b);
    positions.forEach((pos, j) => (assigned[pos] = ks[j] ?? 0));
  }
  return events
    .map((e, i) => ({ e, k: assigned[i] ?? 0, i }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.e);
}

/** A Given with sources s-a (A), s-b (B), s-c (C) registered on 2024-01-01. */
export function world(prefix = 'w'): Given {
  const g = new Given(prefix);
  for (const [id, grade] of [
    ['s-a', 'A'],
    ['s-b', 'B'],
    ['s-c', 'C'],
  ] as const) {
    g.add('SourceRegistered', '2024-01-01T00:00:00Z', {
      source_id: id,
      name: id,
      kind: 'wire',
      scale: 'International',
      reliability: grade,
    });
  }
  return g;
}

/** Reports a plain attack (day precision, adm1 Homs) unless data overrides it. */
export function report(
  g: Given,
  incidentId: string,
  time: string,
  data: Partial<DataOf<'IncidentReported'>> = {},
  opts: { id?: string } = {},
) {
  return g.add(
    'IncidentReported',
    time,
    {
      incident_id: incidentId,
      kind: 'attack',
      time: day('2024-01-02'),
      place: inAdmin1('Homs'),
      method: 'rocket',
      source: src('s-a'),
      ...data,
    },
    opts,
  );
}

/** Reports a casualty claim (total unless said otherwise). */
export function claim(
  g: Given,
  claimId: string,
  time: string,
  scope: { incident_id: string } | { operation_id: string },
  segment: Segment,
  count: Count,
  sourceId: string,
  more: Partial<DataOf<'CasualtyReported'>> = {},
  opts: { id?: string } = {},
) {
  return g.add(
    'CasualtyReported',
    time,
    { claim_id: claimId, scope, segment, count, mode: 'total', source: src(sourceId), ...more },
    opts,
  );
}
