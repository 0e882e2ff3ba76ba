import type { PoolClient } from '@incidents/db';
import { CONFLICT_REASON, IncrementalProjection, REFERENCE_EVENT_TYPES, pairKey, type DirtyCluster, type StoredTable } from '@incidents/projection';
import { parkRecords, type DeadLetter } from './store/dead-letters.js';
import { assignClusters, clusterSizes, loadClusters, relabelClusters } from './store/clusters.js';
import { allVariants, countEvents, eventsOfTypes, loadEvents, loadVariants, seqsAfter, type StoredEvent } from './store/event-store.js';
import { applyWrites, settle, StagedUpserts, type TableMeta } from './store/read-models.js';
import { Serial, type Queryable } from './store/serial.js';

/** Most events projected together in one `project` call (bounds memory). */
export const GROUP_EVENTS = 4_000;

export interface StepContext {
  client: PoolClient;
  projection: string;
  meta: Map<StoredTable, TableMeta>;
  /** Copy the rows of clusters projected for the first time straight into the tables (no upsert). */
  freshInserts?: boolean;
  /**
   * Another connection for the loads of earlier events, when everything they read is committed
   * (the step is its transaction's first): they then run beside the writes instead of queuing
   * behind them. Unset: loads go through `client`, in turn.
   */
  reader?: Queryable;
}

export interface StepResult {
  parked: number;
  dirty: number;
  rows: number;
  /** earlier events projected again (with the clusters new events reached) */
  reprojected: number;
  /** where the step's time went (for the debug log) */
  ms: StepTimings;
}

/** Milliseconds a step spent in each phase. */
export interface StepTimings {
  /** variants looked up, new events clustered */
  ingest: number;
  /** projecting and encoding rows here (PostgreSQL writes meanwhile) */
  compute: number;
  /** waiting for the earlier events of the next group (queued behind the writes) */
  load: number;
  /** waiting, at the end, for the writes still running in PostgreSQL */
  settle: number;
}

/** A stopwatch that adds the time since its last lap (or restart) to `phases[phase]`. */
export function lapTimer<K extends string>(phases: Record<K, number>): { lap: (phase: K) => void; restart: () => void } {
  let t = performance.now();
  return {
    lap: (phase) => {
      const now = performance.now();
      phases[phase] += now - t;
      t = now;
    },
    restart: () => {
      t = performance.now();
    },
  };
}

function byPair(events: readonly StoredEvent[]): Map<string, StoredEvent[]> {
  const out = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const k = pairKey(e.event);
    const list = out.get(k);
    if (list === undefined) out.set(k, [e]);
    else list.push(e);
  }
  return out;
}

/** Consecutive groups of dirty clusters holding at most GROUP_EVENTS events (a larger cluster alone). */
function groups(dirty: readonly DirtyCluster[]): DirtyCluster[][] {
  const out: DirtyCluster[][] = [];
  let current: DirtyCluster[] = [];
  let size = 0;
  for (const d of dirty) {
    if (current.length > 0 && size + d.size > GROUP_EVENTS) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(d);
    size += d.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function conflictLetters(rejected: readonly StoredEvent[]): DeadLetter[] {
  return rejected.map((r) => {
    const { traceparent: _tp, tracestate: _ts, ...event } = r.event;
    return {
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: event.subject,
      code: 'conflicting_duplicate',
      error: CONFLICT_REASON,
      value: JSON.stringify(event),
      headers: {},
    };
  });
}

/**
 * One incremental step over `fresh` (every event stored after `engine.lastSeq`, in store
 * order): cluster them, park losing variants, recompute the dirty clusters group by group
 * from their stored events and write the rows that belong to them, then the changed rows of
 * the summed tables.
 */
export async function projectStep(
  ctx: StepContext,
  engine: IncrementalProjection,
  fresh: readonly StoredEvent[],
  /** fresh events whose (source, id) may have other stored contents */
  unsure: readonly StoredEvent[],
): Promise<StepResult> {
  const { client, projection, meta } = ctx;
  const ms: StepTimings = { ingest: 0, compute: 0, load: 0, settle: 0 };
  const { lap } = lapTimer(ms);
  const before = engine.lastSeq;
  const last = fresh.at(-1)?.seq ?? before;
  const variants = byPair(await loadVariants(client, unsure, last));
  const ingested = engine.ingest(fresh, (pair) => variants.get(pair));
  lap('ingest');
  // Statements run in the order they are issued; issuing them without waiting lets
  // PostgreSQL write one group while the next one is computed here.
  const db = new Serial(client);
  const issued: Promise<unknown>[] = [];
  const track = <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined);
    issued.push(p);
    return p;
  };
  const parked = track(parkRecords(db, projection, conflictLetters(ingested.rejected as StoredEvent[])));
  void track(relabelClusters(db, projection, ingested.relabels));
  void track(assignClusters(db, projection, ingested.assignments));
  const written: Promise<number>[] = [track(applyWrites(db, meta, ingested.writes))];
  const staged = new StagedUpserts(db);
  // Clusters projected for the first time go in groups of their own: their rows are new keys.
  const all = [...groups(ingested.dirty.filter((d) => d.old.length === 0)), ...groups(ingested.dirty.filter((d) => d.old.length > 0))];
  const load = (group: DirtyCluster[]) => {
    const reprojected = group.filter((d) => d.old.length > 0);
    if (ctx.reader === undefined) return track(loadClusters(db, projection, reprojected.map((d) => d.id), before));
    // Committed rows carry the ids the clusters had before this step (its relabels are this
    // transaction's): load by those, filed under each cluster's id now.
    const fileUnder = new Map(reprojected.flatMap((d) => d.old.map((id) => [id, d.id] as const)));
    return track(loadClusters(ctx.reader, projection, [...fileUnder.keys()], before, fileUnder));
  };
  let next = all.length > 0 ? load(all[0]!) : undefined;
  let reprojected = 0;
  for (let i = 0; i < all.length; i++) {
    const group = all[i]!;
    lap('compute');
    const earlier = await next!;
    lap('load');
    for (const list of earlier.values()) reprojected += list.length;
    next = i + 1 < all.length ? load(all[i + 1]!) : undefined;
    written.push(track(applyWrites(db, meta, engine.recompute(group.map((cluster) => ({ cluster, earlier: earlier.get(cluster.id) ?? [] }))), staged, ctx.freshInserts)));
    // Let the connection send what is queued: a statement that completed during the
    // computation is only followed by the next one when I/O callbacks run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  engine.finish();
  void track(staged.done());
  lap('compute');
  await settle(issued);
  lap('settle');
  let rows = 0;
  for (const w of written) rows += await w;
  return { parked: await parked, dirty: ingested.dirty.length, rows, reprojected, ms };
}

/** Writes the summed tables changed by the steps since the last flush. */
export function flushSums(ctx: StepContext, engine: IncrementalProjection): Promise<number> {
  return applyWrites(new Serial(ctx.client), ctx.meta, engine.flush(), undefined, ctx.freshInserts);
}

/**
 * Brings an index up to `upToSeq` after another process projected the events in between:
 * the same steps as `projectStep`, minus every write (the tables and the cluster table hold
 * them already). Costs what those events reach, not the whole store.
 */
export async function catchUpIndex(client: PoolClient, projection: string, engine: IncrementalProjection, upToSeq: number): Promise<void> {
  for (;;) {
    const seqs = await seqsAfter(client, engine.lastSeq, upToSeq, 20_000);
    if (seqs.length === 0) break;
    const fresh = await loadEvents(client, seqs);
    const before = engine.lastSeq;
    const variants = byPair(await loadVariants(client, fresh, seqs.at(-1)!));
    const ingested = engine.ingest(fresh, (pair) => variants.get(pair));
    for (const group of groups(ingested.dirty)) {
      const earlier = await loadClusters(
        client,
        projection,
        group.filter((d) => d.old.length > 0).map((d) => d.id),
        before,
      );
      engine.recompute(
        group.map((cluster) => ({ cluster, earlier: earlier.get(cluster.id) ?? [] })),
        { rows: false },
      );
    }
    engine.finish();
  }
  engine.flush(); // the tables hold this already
  engine.lastSeq = upToSeq;
}

/**
 * The index of the events stored up to `upToSeq`, rebuilt from the store and the cluster
 * table (reference data first, then whole clusters), on the premise that the read models
 * reflect exactly those events. Writes nothing. Undefined when the cluster table does not
 * match the store (then the read models must be rewritten).
 */
export async function rebuildIndex(client: PoolClient, projection: string, upToSeq: number): Promise<IncrementalProjection | undefined> {
  const engine = new IncrementalProjection();
  const variants = byPair(await allVariants(client, upToSeq));
  const variantsOf = (pair: string) => variants.get(pair);
  const replay = (events: StoredEvent[], clusters?: ReadonlySet<number>): boolean => {
    if (events.length === 0) return true;
    const ingested = engine.ingest(events, variantsOf);
    const consistent =
      ingested.dirty.every((d) => d.old.length === 0) && (clusters === undefined || ingested.assignments.every((a) => clusters.has(a.cluster)));
    for (const group of groups(ingested.dirty)) engine.recompute(group.map((cluster) => ({ cluster, earlier: [] })), { rows: false });
    engine.finish();
    return consistent;
  };
  if (!replay(await eventsOfTypes(client, REFERENCE_EVENT_TYPES, upToSeq))) return undefined;
  const sizes = await clusterSizes(client, projection, upToSeq);
  for (let i = 0; i < sizes.length; ) {
    const ids: number[] = [];
    let n = 0;
    while (i < sizes.length && (ids.length === 0 || n + sizes[i]!.size <= GROUP_EVENTS)) {
      ids.push(sizes[i]!.id);
      n += sizes[i]!.size;
      i++;
    }
    const loaded = await loadClusters(client, projection, ids, upToSeq);
    const events = [...loaded.values()].flat().sort((a, b) => a.seq - b.seq);
    if (!replay(events, new Set(ids))) return undefined;
  }
  if (engine.events !== (await countEvents(client, upToSeq))) return undefined;
  engine.flush(); // once, at the end: the tables hold this already
  engine.lastSeq = upToSeq;
  return engine;
}
