// The incremental projection equals project(all stored events), table by table, after every
// step: for random worlds, the seed, the rich world and synthetic streams, delivered in any
// interleaving that keeps each subject's order, with re-deliveries (also with trace
// context), conflicting variants and reference data arriving late, cut into random batches
// and random groups of dirty clusters, and across rebuilds of the index from the store.
import fc from 'fast-check';
import type { DomainEvent } from '@incidents/events';
import { syntheticEvents } from '../../../../bench/src/synthetic.js';
import { interleave, rng, seedEvents } from '../fixtures.test.js';
import { richWorld } from '../scenarios.test.js';
import { IncrementalProjection, SNAPSHOT_FORMAT, type EngineSnapshot } from './engine.js';
import { MemoryStore, TableStore, catchUp, expected, rebuild, step } from './harness.test.js';
import { buildWorld, opArb } from './worlds.test.js';

const TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

interface Plan {
  /** one random number per event: the interleaving (per-subject order kept) */
  keys: number[];
  /** re-deliveries: event index, position, with trace context */
  again: { index: number; position: number; traced: boolean }[];
  /** batch sizes (arrivals per step) */
  cuts: number[];
  /** steps after which the index is rebuilt from the store */
  rebuilds: number[];
  /** steps after which the engine is replaced by one restored from its snapshot */
  snapshots?: number[];
  seed: number;
}

function planArb(n: number): fc.Arbitrary<Plan> {
  return fc.record({
    keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
    again: fc.array(
      fc.record({ index: fc.nat(Math.max(0, n - 1)), position: fc.nat(n), traced: fc.boolean() }),
      { maxLength: 6 },
    ),
    cuts: fc.array(fc.integer({ min: 1, max: Math.max(1, Math.ceil(n / 2)) }), {
      minLength: 1,
      maxLength: 12,
    }),
    rebuilds: fc.array(fc.nat(12), { maxLength: 2 }),
    snapshots: fc.array(fc.nat(12), { maxLength: 3 }),
    seed: fc.nat(),
  });
}

function arrivals(events: readonly DomainEvent[], plan: Plan): DomainEvent[] {
  const out = interleave(events, plan.keys);
  for (const r of events.length === 0 ? [] : plan.again) {
    const copy = structuredClone(events[r.index % events.length] as DomainEvent);
    if (r.traced) copy.traceparent = TRACE;
    out.splice(Math.min(r.position, out.length), 0, copy);
  }
  return out;
}

/** Runs the plan; checks every table against project() after each step (or only at the end). */
function run(events: readonly DomainEvent[], plan: Plan, checkEachStep: boolean): void {
  const random = rng(plan.seed);
  const queue = arrivals(events, plan);
  const store = new MemoryStore();
  const tables = new TableStore();
  let engine = new IncrementalProjection();
  let stepNo = 0;
  let cut = 0;
  while (queue.length > 0) {
    const size = plan.cuts[cut++ % plan.cuts.length] ?? 1;
    for (const e of queue.splice(0, size)) store.receive(e);
    // several steps may share one flush of the summed tables, as in one projector transaction
    const snapshot = plan.snapshots?.includes(stepNo) === true;
    const flush = queue.length === 0 || random() < 0.6 || plan.rebuilds.includes(stepNo) || snapshot;
    step(engine, store, tables, random, flush);
    if (plan.rebuilds.includes(stepNo)) engine = rebuild(store, engine.lastSeq, random);
    // serialised and read back as a process would (structured clone)
    if (snapshot) engine = IncrementalProjection.restore(structuredClone(engine.snapshot()));
    stepNo++;
    if (checkEachStep && flush) expect(tables.dump()).toEqual(expected(store));
  }
  if (!checkEachStep) expect(tables.dump()).toEqual(expected(store));
  expect(engine.events).toBe(store.rows.length);
}

/** 300 synthetic incidents (ids prefixed `prefix`), stored and projected in one step. */
function projected(prefix: string) {
  const events = [...syntheticEvents({ incidents: 300, seed: 9, prefix })];
  const store = new MemoryStore();
  const tables = new TableStore();
  const engine = new IncrementalProjection();
  for (const e of events) store.receive(e);
  step(engine, store, tables, rng(1));
  return { events, store, tables, engine };
}

describe('incremental projection', () => {
  it('equals project() after every step, for random worlds in random batches', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 45 }).chain((ops) => {
          const events = buildWorld(ops);
          return fc.tuple(fc.constant(events), planArb(events.length));
        }),
        ([events, plan]) => run(events, plan, true),
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('equals project() when processes take turns, each replaying what the other projected', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 45 }).chain((ops) => {
          const events = buildWorld(ops);
          return fc.tuple(fc.constant(events), planArb(events.length));
        }),
        ([events, plan]) => {
          const random = rng(plan.seed);
          const queue = arrivals(events, plan);
          const store = new MemoryStore();
          const tables = new TableStore();
          const engines = [new IncrementalProjection(), new IncrementalProjection()];
          let projected = 0;
          let cut = 0;
          // the last snapshot any process took (as in projection_snapshots), cloned when taken
          let saved: EngineSnapshot | undefined;
          while (queue.length > 0) {
            for (const e of queue.splice(0, plan.cuts[cut++ % plan.cuts.length] ?? 1))
              store.receive(e);
            const which = random() < 0.5 ? 0 : 1;
            // a process that starts again goes on from the last snapshot, however old
            if (saved !== undefined && random() < 0.3) engines[which] = IncrementalProjection.restore(structuredClone(saved));
            const engine = engines[which]!;
            if (engine.lastSeq < projected) catchUp(engine, store, projected, random);
            step(engine, store, tables, random);
            projected = engine.lastSeq;
            if (random() < 0.3) saved = structuredClone(engine.snapshot());
            expect(tables.dump()).toEqual(expected(store));
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('equals project() for the seed and the rich world in random batches', () => {
    for (const events of [seedEvents(), richWorld()]) {
      fc.assert(
        fc.property(planArb(events.length), (plan) => run(events, plan, true)),
        { numRuns: 25 },
      );
    }
  });

  it('equals project() for synthetic streams, one event per step and in larger batches', () => {
    const events = [...syntheticEvents({ incidents: 150, seed: 5, prefix: 'inc' })];
    const plan = (cuts: number[], seed: number): Plan => ({
      keys: events.map((_, i) => rng(seed + i)()),
      again: [],
      cuts,
      rebuilds: [3],
      seed,
    });
    run(events, plan([1], 1), false);
    run(events, plan([40, 7, 130], 2), true);
    run(events, { ...plan([25, 60], 3), snapshots: [0, 2, 4] }, true);
  });

  it('restores only snapshots taken between steps, after a flush, of its own format and shape', () => {
    const { store, engine } = projected('snap');
    const good = structuredClone(engine.snapshot());
    expect(good.format).toBe(SNAPSHOT_FORMAT);
    expect(IncrementalProjection.restore(structuredClone(good)).snapshot()).toEqual(good);
    expect(() => IncrementalProjection.restore({ ...good, format: SNAPSHOT_FORMAT + 1 })).toThrow(/format/);
    expect(() => IncrementalProjection.restore({ ...good, lastSeq: -1 })).toThrow(/lastSeq/);
    const nodes = good.index.parent.length;
    expect(() => IncrementalProjection.restore({ ...good, index: { ...good.index, parent: good.index.parent.subarray(1) } })).toThrow(/node arrays/);
    const parent = good.index.parent.slice();
    parent[0] = nodes;
    expect(() => IncrementalProjection.restore({ ...good, index: { ...good.index, parent } })).toThrow(/parent/);
    expect(() => IncrementalProjection.restore({ ...good, index: { ...good.index, keys: { ...good.index.keys, nodes: good.index.keys.nodes.subarray(1) } } })).toThrow(/key table/);
    expect(() => IncrementalProjection.restore({ ...good, citedBy: [['source/x', Int32Array.of(nodes)]] })).toThrow(/outside the index/);
    expect(() => IncrementalProjection.restore({ ...good, tallies: { overall: [['k', [1, 2, 3] as never]], byPeriod: [] } })).toThrow(/six numbers/);
    // mid-step, or with summed-table changes not flushed yet: refused
    const more = [...syntheticEvents({ incidents: 3, seed: 4, prefix: 'snap2' })];
    for (const e of more) store.receive(e);
    const ingested = engine.ingest(store.after(engine.lastSeq), store.variantsOf(Infinity));
    expect(() => engine.snapshot()).toThrow(/finish/);
    engine.recompute(ingested.dirty.map((cluster) => ({ cluster, earlier: [] })));
    engine.finish();
    expect(() => engine.snapshot()).toThrow(/flush/);
    engine.flush();
    expect(engine.snapshot().lastSeq).toBe(store.rows.at(-1)!.seq);
  });

  it('puts a later variant of a (source, id) that names another incident in the cluster of the earlier one', () => {
    const { events, store, engine } = projected('var');
    const report = (incident: string) => {
      const e = events.find((x) => x.type === 'IncidentReported' && x.data.incident_id === incident);
      if (e?.type !== 'IncidentReported') throw new Error(`no report of ${incident}`);
      return e;
    };
    const [a, b] = [report('var-i10'), report('var-i20')];
    const clusterOf = (e: DomainEvent) =>
      store.cluster.get(store.rows.find((r) => r.event.id === e.id && r.event.source === e.source)!.seq);
    expect(clusterOf(a)).not.toBe(clusterOf(b));
    // the same (source, id) as incident 10's report, with incident 20's report as content:
    // one of the two applies (§5.1), so both incidents' rows depend on the pair
    store.receive({ ...structuredClone(b), id: a.id, source: a.source });
    const before = engine.lastSeq;
    const ingested = engine.ingest(store.after(before), store.variantsOf(Infinity));
    expect(ingested.dirty).toHaveLength(1);
    expect(ingested.dirty[0]!.old).toEqual([clusterOf(a), clusterOf(b)].sort((x, y) => x! - y!));
    engine.finish();
    // the same two steps, run the projector's way, give project()'s tables
    const replay = new MemoryStore();
    const written = new TableStore();
    const again = new IncrementalProjection();
    for (const e of events) replay.receive(e);
    step(again, replay, written, rng(2));
    replay.receive(store.rows.at(-1)!.event);
    step(again, replay, written, rng(3));
    expect(written.dump()).toEqual(expected(store));
  });

  it('only recomputes the cluster a new event reaches', () => {
    const { events, store, tables, engine } = projected('loc');
    const report = events.find(
      (e) => e.type === 'IncidentReported' && e.data.incident_id === 'loc-i10',
    );
    if (report?.type !== 'IncidentReported') throw new Error('no report');
    const late: DomainEvent = {
      ...report,
      id: 'late-1',
      type: 'MunitionCountReported',
      data: {
        incident_id: 'loc-i10',
        munitions: { low: 1, best: 1, high: 1, qualifier: 'exact' },
        source: report.data.source,
      },
    };
    store.receive(late);
    const before = engine.lastSeq;
    const ingested = engine.ingest(store.after(before), store.variantsOf(Infinity));
    expect(ingested.dirty).toHaveLength(1);
    const dirty = ingested.dirty[0]!;
    expect(dirty.size).toBeLessThan(40);
    const earlier = store.rows.filter(
      (r) => r.seq <= before && store.cluster.get(r.seq) === dirty.id,
    );
    expect(earlier.length).toBe(dirty.size - 1);
    tables.apply(ingested.writes);
    tables.apply(engine.recompute([{ cluster: dirty, earlier }]));
    engine.finish();
    tables.apply(engine.flush());
    expect(tables.dump()).toEqual(expected(store));
  });

  it('writes only the rows of a recomputed cluster that appeared, changed or vanished', () => {
    const { events, store, tables, engine } = projected('dif');
    const report = events.find((e) => e.type === 'IncidentReported' && e.data.incident_id === 'dif-i10');
    if (report?.type !== 'IncidentReported') throw new Error('no report');
    store.receive({
      ...report,
      id: 'late-2',
      type: 'MunitionCountReported',
      time: '2030-01-01T00:00:00Z',
      data: { incident_id: 'dif-i10', munitions: { low: 7, best: 7, high: 7, qualifier: 'exact' }, source: report.data.source },
    });
    const before = engine.lastSeq;
    const ingested = engine.ingest(store.after(before), store.variantsOf(Infinity));
    const dirty = ingested.dirty[0]!;
    const earlier = store.rows.filter((r) => r.seq <= before && store.cluster.get(r.seq) === dirty.id);
    expect(earlier.length).toBeGreaterThan(2);
    tables.apply(ingested.writes);
    const writes = engine.recompute([{ cluster: dirty, earlier }]);
    const upserted = (table: string) => writes.filter((w) => w.table === table).flatMap((w) => w.upserts);
    // the earlier events' timeline and revision rows are unchanged: only the new event's rows go out, as new keys
    expect(upserted('incident_timeline').map((r) => r.event_id)).toEqual(['late-2']);
    expect(upserted('revision_feed').map((r) => r.event_id)).toEqual(['late-2']);
    expect(writes.filter((w) => w.table === 'incident_timeline').every((w) => w.fresh === true)).toBe(true);
    // the incident's current row changed (its munitions): an upsert of an existing key
    const current = writes.filter((w) => w.table === 'incident_current');
    expect(current.flatMap((w) => w.upserts.map((r) => r.incident_id))).toEqual(['dif-i10']);
    expect(current.every((w) => w.fresh !== true)).toBe(true);
    expect(writes.flatMap((w) => w.deletes)).toEqual([]);
    tables.apply(writes);
    engine.finish();
    tables.apply(engine.flush());
    expect(tables.dump()).toEqual(expected(store));
  });
});
