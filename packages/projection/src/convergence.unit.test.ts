// §5.1/§5.2: the projection is a function of the set of events — any interleaving that keeps
// per-subject order, any re-delivery, any replay gives deep-equal rows.
import fc from 'fast-check';
import type { DomainEvent } from '@incidents/events';
import { project, type Projection } from './index.js';
import {
  Given,
  approx,
  day,
  exact,
  inAdmin1,
  interleave,
  minute,
  seg,
  seedEvents,
  src,
  vague,
} from './fixtures.test.js';
import { at, instantsOf, richWorld } from './scenarios.test.js';

interface Delivery {
  keys: number[];
  redeliver: { index: number; position: number; traced: boolean }[];
  asOf: string;
}

function delivery(events: readonly DomainEvent[]): fc.Arbitrary<Delivery> {
  const n = events.length;
  return fc.record({
    keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
    redeliver: fc.array(
      fc.record({ index: fc.nat(n - 1), position: fc.nat(n), traced: fc.boolean() }),
      { maxLength: 8 },
    ),
    asOf: fc.constantFrom(...instantsOf(events)),
  });
}

const TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function deliver(events: readonly DomainEvent[], d: Delivery): DomainEvent[] {
  const out = interleave(events, d.keys);
  for (const r of d.redeliver) {
    const copy = structuredClone(events[r.index] as DomainEvent);
    if (r.traced) copy.traceparent = TRACE;
    out.splice(Math.min(r.position, out.length), 0, copy);
  }
  return out;
}

function expectConvergence(events: readonly DomainEvent[], numRuns: number): void {
  const expected = new Map<string, Projection>();
  const reference = (asOf: string) => {
    let p = expected.get(asOf);
    if (p === undefined) {
      p = project(events, { asOf });
      expected.set(asOf, p);
    }
    return p;
  };
  fc.assert(
    fc.property(delivery(events), (d) => {
      expect(project(deliver(events, d), { asOf: d.asOf })).toEqual(reference(d.asOf));
    }),
    { numRuns },
  );
  expect(project([...events].reverse())).toEqual(project(events));
}

describe('convergence', () => {
  it('over the seed', () => {
    expectConvergence(seedEvents(), 60);
  });

  it('over the rich hand-built world (series, supersession, reassignment, merges, loops, late references)', () => {
    expectConvergence(richWorld(), 60);
  });

  it('gives plain JSON rows (a JSON round trip changes nothing)', () => {
    for (const events of [seedEvents(), richWorld()]) {
      const p = project(events);
      expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    }
  });

  it('keeps the variant whose canonical JSON sorts first, whatever the arrival order', () => {
    const world = richWorld();
    const variants = world.filter((e) => e.id === 'conflict-1');
    expect(variants).toHaveLength(2);
    for (const events of [world, [...world].reverse()]) {
      const p = project(events);
      expect(
        p.rejected.map((r) => [
          r.id,
          r.code,
          (r.event.data as { munitions: { best: number } }).munitions.best,
        ]),
      ).toEqual([['conflict-1', 'CONFLICTING_DUPLICATE', 30]]);
      expect(p.incident_current.find((r) => r.incident_id === 'inc-d')?.munitions?.best).toBe(3);
    }
  });
});

/**
 * Random small worlds: five incidents, two sources, random lifecycle events (merges that may
 * loop), claims with totals, deltas, supersessions, retractions, reassignments and
 * adoptions, munitions, attributions and links, many of them at the same instant so that the
 * id tie-break matters. Shuffled copies must project identically.
 */
const INCIDENTS = ['i-1', 'i-2', 'i-3', 'i-4', 'i-5'] as const;
const SOURCES = ['s-1', 's-2', 's-3'] as const;

type Step =
  | { kind: 'report'; incident: number; t: number; op: boolean; precise: boolean }
  | { kind: 'amend'; incident: number; t: number; op: boolean }
  | { kind: 'merge'; incident: number; into: number; t: number }
  | { kind: 'retract' | 'reinstate'; incident: number; t: number }
  | {
      kind: 'claim';
      incident: number;
      t: number;
      source: number;
      outcome: number;
      mode: number;
      n: number;
      supersedes: number | null;
      opScope: boolean;
    }
  | { kind: 'retractClaim'; claim: number; t: number }
  | { kind: 'reassign'; claim: number; to: number; t: number }
  | { kind: 'adopt'; incident: number; t: number; outcome: number; n: number }
  | { kind: 'munitions'; incident: number; t: number; source: number; n: number | null }
  | {
      kind: 'attribute';
      incident: number;
      t: number;
      source: number;
      actor: number;
      likelihood: number;
      withdraw: boolean;
    }
  | { kind: 'link'; from: number; to: number; t: number; removed: boolean }
  | { kind: 'rate'; source: number; t: number; grade: number };

const idx = fc.nat(4);
const time = fc.nat(5);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('report' as const),
    incident: idx,
    t: time,
    op: fc.boolean(),
    precise: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('amend' as const), incident: idx, t: time, op: fc.boolean() }),
  fc.record({ kind: fc.constant('merge' as const), incident: idx, into: idx, t: time }),
  fc.record({
    kind: fc.constantFrom('retract' as const, 'reinstate' as const),
    incident: idx,
    t: time,
  }),
  fc.record({
    kind: fc.constant('claim' as const),
    incident: idx,
    t: time,
    source: fc.nat(2),
    outcome: fc.nat(2),
    mode: fc.nat(2),
    n: fc.nat(9),
    supersedes: fc.option(fc.nat(11)),
    opScope: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('retractClaim' as const), claim: fc.nat(11), t: time }),
  fc.record({ kind: fc.constant('reassign' as const), claim: fc.nat(11), to: idx, t: time }),
  fc.record({
    kind: fc.constant('adopt' as const),
    incident: idx,
    t: time,
    outcome: fc.nat(2),
    n: fc.nat(9),
  }),
  fc.record({
    kind: fc.constant('munitions' as const),
    incident: idx,
    t: time,
    source: fc.nat(2),
    n: fc.option(fc.nat(9)),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    incident: idx,
    t: time,
    source: fc.nat(2),
    actor: fc.nat(2),
    likelihood: fc.nat(2),
    withdraw: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('link' as const),
    from: idx,
    to: idx,
    t: time,
    removed: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('rate' as const), source: fc.nat(2), t: time, grade: fc.nat(5) }),
);

const OUTCOMES = ['wounded', 'injured_tbi', 'wounded_or_injured'] as const;
const LIKELIHOODS = ['unlikely', 'likely', 'very_likely'] as const;
const GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

function build(steps: readonly Step[]): DomainEvent[] {
  const g = new Given('rnd');
  const T = (t: number) => at(2, t);
  const inc = (i: number) => INCIDENTS[i] ?? 'i-1';
  const source = (i: number) => src(SOURCES[i] ?? 's-1');
  g.add('SourceRegistered', at(1), {
    source_id: 's-1',
    name: 'one',
    kind: 'wire',
    scale: 'National',
    reliability: 'B',
  });
  g.add('SourceRegistered', at(1), {
    source_id: 's-2',
    name: 'two',
    kind: 'wire',
    scale: 'National',
    reliability: 'B',
  });
  let claims = 0;
  let links = 0;
  let assertions = 0;
  for (const s of steps) {
    switch (s.kind) {
      case 'report':
        g.add('IncidentReported', T(s.t), {
          incident_id: inc(s.incident),
          kind: 'attack',
          ...(s.op ? { operation_id: 'op-r' } : {}),
          time: s.precise
            ? minute(`2024-01-0${1 + s.incident}T0${s.t}:00:00Z`)
            : day(`2024-01-0${1 + (s.t % 3)}`),
          place: inAdmin1(s.t % 2 === 0 ? 'Homs' : 'Hama'),
          method: 'rocket',
          munitions: exact(s.t),
          source: src('s-1'),
        });
        break;
      case 'amend':
        g.add('IncidentAmended', T(s.t), {
          incident_id: inc(s.incident),
          changes: s.op
            ? { operation_id: 'op-r', method: 'mortar' }
            : { operation_id: null, time: day('2024-01-05') },
          reason: 'r',
          source: src('s-2'),
        });
        break;
      case 'merge':
        if (s.incident !== s.into) {
          g.add('IncidentMerged', T(s.t), {
            incident_id: inc(s.incident),
            into_incident_id: inc(s.into),
            reason: 'duplicate_report',
          });
        }
        break;
      case 'retract':
        g.add('IncidentRetracted', T(s.t), {
          incident_id: inc(s.incident),
          reason: 'did_not_occur',
        });
        break;
      case 'reinstate':
        g.add('IncidentReinstated', T(s.t), { incident_id: inc(s.incident), reason: 'r' });
        break;
      case 'claim': {
        const id = `c-${claims++}`;
        const total = s.mode !== 0;
        const supersedes =
          total && s.supersedes !== null && `c-${s.supersedes}` !== id
            ? { supersedes_claim_id: `c-${s.supersedes}` }
            : {};
        g.add('CasualtyReported', T(s.t), {
          claim_id: id,
          scope: s.opScope ? { operation_id: 'op-r' } : { incident_id: inc(s.incident) },
          segment: seg('service_member', OUTCOMES[s.outcome] ?? 'wounded', 'USA'),
          count:
            s.n === 0 ? vague('some') : s.mode === 2 ? approx(s.n, s.n + 1, s.n + 3) : exact(s.n),
          mode: total ? 'total' : 'delta',
          ...supersedes,
          source: source(s.source),
        });
        break;
      }
      case 'retractClaim':
        g.add('CasualtyClaimRetracted', T(s.t), {
          claim_id: `c-${s.claim}`,
          scope: { incident_id: 'i-1' },
          reason: 'r',
        });
        break;
      case 'reassign':
        g.add('CasualtyClaimReassigned', T(s.t), {
          claim_id: `c-${s.claim}`,
          from_incident_id: 'i-1',
          to_incident_id: inc(s.to),
        });
        break;
      case 'adopt':
        g.add('CasualtyEstimateAdopted', T(s.t), {
          scope: { incident_id: inc(s.incident) },
          segment: seg('service_member', OUTCOMES[s.outcome] ?? 'wounded', 'USA'),
          count: exact(s.n),
          policy: 'editorial',
        });
        break;
      case 'munitions':
        g.add('MunitionCountReported', T(s.t), {
          incident_id: inc(s.incident),
          munitions: s.n === null ? vague('rockets') : exact(s.n),
          source: source(s.source),
        });
        break;
      case 'attribute': {
        const id = `a-${assertions++ % 4}`;
        g.add('AttributionAsserted', T(s.t), {
          assertion_id: id,
          incident_id: inc(s.incident),
          actor_id: `act-${s.actor}`,
          role: 'perpetrator',
          basis: 'media',
          likelihood: LIKELIHOODS[s.likelihood] ?? 'likely',
          source: source(s.source),
        });
        if (s.withdraw)
          g.add('AttributionWithdrawn', T(5 - s.t), {
            assertion_id: id,
            incident_id: inc(s.incident),
            reason: 'r',
          });
        break;
      }
      case 'link': {
        const id = `l-${links++ % 3}`;
        g.add('ResponseLinked', T(s.t), {
          link_id: id,
          trigger_incident_ids: [inc(s.from)],
          ...(s.to === 4
            ? { response_operation_id: 'op-r' }
            : { response_incident_ids: [inc(s.to)] }),
          basis: 'media',
          likelihood: 'likely',
          source: src('s-1'),
        });
        if (s.removed) g.add('ResponseLinkRemoved', T(s.t), { link_id: id, reason: 'r' });
        break;
      }
      case 'rate':
        g.add('SourceReliabilityRated', T(s.t), {
          source_id: SOURCES[s.source] ?? 's-1',
          reliability: GRADES[s.grade] ?? 'F',
        });
        break;
      default: {
        const never: never = s;
        throw new Error(`unknown step ${JSON.stringify(never)}`);
      }
    }
  }
  return g.events;
}

describe('convergence over random worlds', () => {
  it('any order of any world gives the same projection, at every asOf', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 200, maxLength: 200 }),
        fc.nat(6),
        (steps, keys, cut) => {
          const events = build(steps);
          const shuffled = events
            .map((e, i) => ({ e, k: keys[i % keys.length] ?? 0, i }))
            .sort((a, b) => a.k - b.k || b.i - a.i)
            .map((x) => x.e);
          const asOf = cut === 6 ? undefined : at(2, cut);
          const opts = asOf === undefined ? {} : { asOf };
          const expected = project(events, opts);
          expect(project(shuffled, opts)).toEqual(expected);
          // §5.7: as of T is the projection of the events recorded up to T
          if (asOf !== undefined)
            expect(project(events.filter((e) => e.time <= asOf))).toEqual(expected);
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 150) },
    );
  });
});
