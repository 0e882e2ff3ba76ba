// Shared helpers of the spec suites (not a suite: jest only runs *.unit.test.ts).
import type { DomainEvent } from '@incidents/events';
import { project, type Projection } from '../index.js';
import { interleave, lbh, rng } from '../fixtures.test.js';
import { IncrementalProjection } from '../incremental/engine.js';
import { MemoryStore, TableStore, expected, step } from '../incremental/harness.test.js';

/** `2025-03-<dd>T<hh>:<mm>:00Z` (new instants, not the seed's nor the rule tests'). */
export const t = (dd: number, hh = 0, mm = 0) =>
  `2025-03-${String(dd).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00Z`;

/** A random interleaving that keeps each subject's order (as Kafka does per key). */
export function shuffled(events: readonly DomainEvent[], seed: number): DomainEvent[] {
  const r = rng(seed);
  return interleave(
    events,
    events.map(() => r()),
  );
}

/**
 * §5.2: "Any interleaving of subjects, any redelivery and any replay must give the same rows."
 * Checks a reversed copy (subject order broken too: the rules use the logical order), several
 * shuffles keeping per-subject order, and a redelivery of every event.
 */
export function expectOrderIndependent(
  events: readonly DomainEvent[],
  asOfs: readonly (string | undefined)[] = [undefined],
): void {
  for (const asOf of asOfs) {
    const opts = asOf === undefined ? {} : { asOf };
    const expected = project(events, opts);
    expect(project([...events].reverse(), opts)).toEqual(expected);
    for (let seed = 1; seed <= 6; seed++)
      expect(project(shuffled(events, seed * 7919), opts)).toEqual(expected);
    expect(project([...shuffled(events, 3), ...shuffled(events, 5)], opts)).toEqual(expected);
  }
  expectIncrementalAgrees(events);
}

/**
 * The projector maintains the tables incrementally (packages/projection README): fed in a
 * shuffled order (per-subject order kept), one event per step and then in batches of 3, its
 * tables must equal project(all) after every step.
 */
export function expectIncrementalAgrees(events: readonly DomainEvent[]): void {
  for (const [seed, batch] of [
    [11, 1],
    [29, 3],
  ] as const) {
    const random = rng(seed);
    const queue = shuffled(events, seed);
    const store = new MemoryStore();
    const tables = new TableStore();
    const engine = new IncrementalProjection();
    while (queue.length > 0) {
      for (const e of queue.splice(0, batch)) store.receive(e);
      step(engine, store, tables, random, true);
      expect(tables.dump()).toEqual(expected(store));
    }
  }
}

/** The casualty figures of an incident as `{ 'role/outcome/nat': 'l / b / h' }`. */
export function figures(p: Projection, incidentId: string): Record<string, string> {
  const row = p.incident_current.find((r) => r.incident_id === incidentId);
  const out: Record<string, string> = {};
  for (const f of row?.casualties ?? []) out[`${f.role}/${f.outcome}/${f.nationality}`] = lbh(f);
  return out;
}

/** The casualty figure of one key at an incident or operation. */
export function figureOf(
  p: Projection,
  scope: { incident_id: string } | { operation_id: string },
  key: string,
) {
  const list =
    'incident_id' in scope
      ? p.incident_current.find((r) => r.incident_id === scope.incident_id)?.casualties
      : p.operations.find((o) => o.operation_id === scope.operation_id)?.casualties;
  return list?.find((f) => `${f.role}/${f.outcome}/${f.nationality}` === key);
}

/** The per-source series of one (scope, field) as `[source, 'l / b / h', delta_without_base]`. */
export function seriesOf(p: Projection, scopeId: string, field: string) {
  return p.source_discrepancies
    .find((d) => d.scope_id === scopeId && d.field === field)
    ?.series.map((s) => [s.source_id, lbh(s), s.delta_without_base]);
}

/** attack_counts rows at one geo level as `grain period incidents/imprecise`. */
export function periods(p: Projection, level = 'all', key = ''): string[] {
  return p.attack_counts
    .filter((r) => r.geo_level === level && r.geo_key === key)
    .map((r) => `${r.grain} ${r.period} ${r.incidents}/${r.imprecise}`);
}
