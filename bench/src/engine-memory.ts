/**
 * Engine memory benchmark: what the incremental projection keeps between steps as the store
 * grows (its cluster index, the clusters naming each source, actor and site, the summed
 * tallies; the citation sets of reference data are rows since migration 009), without a database.
 *
 *   node --expose-gc bench/dist/engine-memory.js --incidents 213000 [--step 100000]
 *
 * The synthetic stream is fed through `IncrementalProjection` in steps the way the projector
 * feeds it (ingest, recompute the dirty clusters with their earlier events, flush). The stream
 * and this script's bookkeeping (the cluster of each event, in a typed array) are allocated
 * before the first step, so what the heap and array buffers gain after a full collection is
 * the engine's. At the end the engine is dropped and the difference printed.
 */
import { parseArgs } from 'node:util';
import { IncrementalProjection, type StoredEvent } from '@incidents/projection';
import { syntheticEvents } from './synthetic.js';

const { values } = parseArgs({
  options: { incidents: { type: 'string', default: '21300' }, step: { type: 'string', default: '100000' } },
});
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const collect = gc;

function inUse(): number {
  collect();
  collect();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

const stream: StoredEvent[] = [];
for (const event of syntheticEvents({ incidents: Number(values.incidents) })) stream.push({ seq: stream.length + 1, event });
const clusterOf = new Float64Array(stream.length + 1);
const stepSize = Number(values.step);
const start = inUse();
// held through an object, so dropping it at the end leaves no other reference
const held: { engine?: IncrementalProjection } = { engine: new IncrementalProjection() };
const t0 = performance.now();
console.log(`${stream.length} events; steps of ${stepSize}; in use before the first step: ${start.toFixed(1)} MiB`);
console.log('| events ingested | engine keys | heap + array buffers gained | bytes per event | s |');
console.log('|---|---|---|---|---|');
feed(held.engine!);
const withEngine = inUse();
delete held.engine;
console.log(`held by the engine at the end: ${(withEngine - inUse()).toFixed(1)} MiB`);

function feed(engine: IncrementalProjection): void {
  for (let from = 0; from < stream.length; from += stepSize) {
    const fresh = stream.slice(from, from + stepSize);
    const ingested = engine.ingest(fresh, () => undefined);
    // earlier events by the ids their clusters had before this step
    const old = new Set(ingested.dirty.flatMap((d) => d.old));
    const earlier = new Map<number, StoredEvent[]>();
    for (let s = 1; s <= from; s++) {
      const c = clusterOf[s]!;
      if (!old.has(c)) continue;
      const list = earlier.get(c) ?? [];
      list.push(stream[s - 1]!);
      earlier.set(c, list);
    }
    for (const cluster of ingested.dirty) engine.recompute([{ cluster, earlier: cluster.old.flatMap((o) => earlier.get(o) ?? []) }]);
    engine.finish();
    engine.flush();
    if (ingested.relabels.length > 0) {
      const to = new Map(ingested.relabels.map((r) => [r.from, r.to]));
      for (let s = 1; s <= from; s++) {
        const moved = to.get(clusterOf[s]!);
        if (moved !== undefined) clusterOf[s] = moved;
      }
    }
    for (const a of ingested.assignments) clusterOf[a.seq] = a.cluster;
    const gained = inUse() - start;
    const done = Math.min(from + stepSize, stream.length);
    console.log(`| ${done} | ${engine.indexSize.keys} | ${gained.toFixed(1)} MiB | ${Math.round((gained * 2 ** 20) / done)} | ${((performance.now() - t0) / 1000).toFixed(1)} |`);
  }
}
