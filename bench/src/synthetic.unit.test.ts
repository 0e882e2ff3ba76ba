import { validateEvent } from '@incidents/events';
import { project } from '@incidents/projection';
import { syntheticEvents } from './synthetic.js';

describe('synthetic stream', () => {
  const events = [...syntheticEvents({ incidents: 400, seed: 7 })];

  it('is valid under the v1 contract and mixes every kind of revision', () => {
    const invalid = events.flatMap((e) => {
      const r = validateEvent(e, { now: new Date('2030-01-01T00:00:00Z') });
      return r.ok ? [] : [{ id: e.id, errors: r.errors }];
    });
    expect(invalid).toEqual([]);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['IncidentAmended', 'IncidentMerged', 'IncidentRetracted', 'CasualtyClaimRetracted', 'CasualtyEstimateAdopted', 'AttributionAsserted', 'ResponseLinked', 'MunitionCountReported']) {
      expect(types).toContain(t);
    }
    expect(events.some((e) => e.type === 'CasualtyReported' && e.data.mode === 'delta')).toBe(true);
    expect(events.some((e) => e.type === 'CasualtyReported' && e.data.supersedes_claim_id !== undefined)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    expect([...syntheticEvents({ incidents: 50, seed: 3 })]).toEqual([...syntheticEvents({ incidents: 50, seed: 3 })]);
  });

  it('projects to the same read models when subjects interleave differently', () => {
    const bySubject = new Map<string, typeof events>();
    for (const e of events) bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), e]);
    // Round-robin over subjects in reverse: per-subject order kept, cross-subject order changed.
    const queues = [...bySubject.values()].reverse();
    const shuffled: typeof events = [];
    while (queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0) shuffled.push(q.shift()!);
    expect(shuffled).toHaveLength(events.length);
    expect(project(shuffled)).toEqual(project(events));
  });
});
