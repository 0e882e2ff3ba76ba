// In-memory stand-ins for what the projector keeps in PostgreSQL (the event store with its
// cluster side table, and the read-model tables), driving IncrementalProjection exactly as
// the projector does. A helper for the unit tests, not a suite.
import { canonicalJson, type DomainEvent } from '@incidents/events';
import { project, type Projection } from '../index.js';
import { IncrementalProjection, type DirtyCluster, type StoredEvent } from './engine.js';
import { isReferenceEvent, pairKey } from './keys.js';
import { compareCodePoints } from '../order.js';
import {
  PRIMARY_KEYS,
  READ_MODEL_TABLES,
  STORED_TABLES,
  keyOfRow,
  type ReadModelTable,
  type Row,
  type StoredTable,
  type TableWrite,
} from './tables.js';

function identity(e: DomainEvent): string {
  const { traceparent: _tp, tracestate: _ts, ...rest } = e;
  return canonicalJson(rest);
}

/** event_store: one row per (source, id, content); `cluster` is the side table. */
export class MemoryStore {
  readonly rows: StoredEvent[] = [];
  readonly cluster = new Map<number, number>();
  private readonly variants = new Set<string>();
  private seq = 0;

  /** Stores an arriving event unless that content of its (source, id) is stored already. */
  receive(event: DomainEvent): void {
    const k = `${pairKey(event)}\u0000${identity(event)}`;
    if (this.variants.has(k)) return;
    this.variants.add(k);
    // sequence numbers with gaps, as a bigserial may have
    this.seq += 1 + (this.rows.length % 3 === 0 ? 1 : 0);
    this.rows.push({ seq: this.seq, event: structuredClone(event) });
  }

  after(seq: number): StoredEvent[] {
    return this.rows.filter((r) => r.seq > seq);
  }

  upTo(seq: number): StoredEvent[] {
    return this.rows.filter((r) => r.seq <= seq);
  }

  variantsOf(upTo: number): (pair: string) => StoredEvent[] | undefined {
    return (pair) => {
      const list = this.rows.filter((r) => r.seq <= upTo && pairKey(r.event) === pair);
      return list.length > 1 ? list : undefined;
    };
  }
}

type Table = Map<string, Row>;

/** The read-model tables, written the way the projector's writer does. */
export class TableStore {
  readonly tables = new Map<StoredTable, Table>(STORED_TABLES.map((t) => [t, new Map()]));

  /**
   * Applies writes in order; with `later`, their removals (deletes) are
   * held there instead, to be applied after the step's upserts, as the projector's writer may.
   */
  apply(writes: readonly TableWrite[], later?: TableWrite[]): void {
    for (const w of writes) {
      if (later === undefined || w.additive === true || w.deletes.length === 0) {
        this.write(w);
        continue;
      }
      later.push({ ...w, upserts: [] });
      this.write({ table: w.table, upserts: w.upserts, deletes: [], ...(w.fresh ? { fresh: true } : {}) });
    }
  }

  private write(w: TableWrite): void {
    const table = this.tables.get(w.table) as Table;
    // citation changes are net changes of a set: an id starts citing once, stops once
    if (w.table === 'reference_citations') {
      for (const d of w.deletes)
        if (!table.has(keyOfRow(w.table, d))) throw new Error(`citation deleted that was not there: ${JSON.stringify(d)}`);
      for (const u of w.upserts)
        if (table.has(keyOfRow(w.table, u))) throw new Error(`citation added that was there: ${JSON.stringify(u)}`);
    }
    for (const d of w.deletes) table.delete(keyOfRow(w.table, d));
    for (const u of w.upserts) {
      const k = keyOfRow(w.table, u);
      if (k.includes('undefined') || PRIMARY_KEYS[w.table].some((c) => u[c] === undefined))
        throw new Error(`${w.table} row without its key: ${JSON.stringify(u)}`);
      // what lets a writer copy fresh rows in without conflict handling
      if (w.fresh === true && table.has(k)) throw new Error(`${w.table} row marked fresh has a key the table holds: ${k}`);
      const row = structuredClone(u);
      if (!w.additive) {
        table.set(k, row);
        continue;
      }
      const old = table.get(k);
      if (old !== undefined) {
        for (const [c, v] of Object.entries(row))
          if (typeof v === 'number') row[c] = (old[c] as number) + v;
      }
      if (row.incidents === 0) table.delete(k);
      else table.set(k, row);
    }
  }

  /**
   * Every read-model table as rows sorted by key (JSON round trip, as the database would
   * give), a revision row naming a citation set (`cites`) with that set's ids as its lists,
   * as readers of the tables put them back.
   */
  dump(): Record<ReadModelTable, Row[]> {
    const cited = new Map<string, { incident_ids: string[]; operation_ids: string[] }>();
    for (const c of (this.tables.get('reference_citations') as Table).values()) {
      const ref = c.ref as string;
      let lists = cited.get(ref);
      if (lists === undefined) {
        lists = { incident_ids: [], operation_ids: [] };
        cited.set(ref, lists);
      }
      (c.kind === 'incident' ? lists.incident_ids : lists.operation_ids).push(c.id as string);
    }
    const out = {} as Record<ReadModelTable, Row[]>;
    for (const t of READ_MODEL_TABLES) {
      let rows = [...(this.tables.get(t) as Table).values()];
      if (t === 'revision_feed')
        rows = rows.map(({ cites, ...r }) => {
          if (cites === undefined || cites === null) return r;
          const lists = cited.get(cites as string);
          return {
            ...r,
            incident_ids: [...(lists?.incident_ids ?? [])].sort(compareCodePoints),
            operation_ids: [...(lists?.operation_ids ?? [])].sort(compareCodePoints),
          };
        });
      out[t] = sortRows(t, rows);
    }
    return out;
  }
}

export function sortRows(table: ReadModelTable, rows: readonly unknown[]): Row[] {
  return (JSON.parse(JSON.stringify(rows)) as Row[])
    .map((r) => ({ r, k: keyOfRow(table, r) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.r);
}

export function dumpProjection(p: Projection): Record<ReadModelTable, Row[]> {
  const out = {} as Record<ReadModelTable, Row[]>;
  for (const t of READ_MODEL_TABLES) out[t] = sortRows(t, p[t]);
  return out;
}

export function expected(store: MemoryStore): Record<ReadModelTable, Row[]> {
  return dumpProjection(project(store.rows.map((r) => r.event)));
}

/** Splits `items` into consecutive groups of random sizes. */
function groups<T>(items: readonly T[], random: () => number): T[][] {
  const out: T[][] = [];
  let i = 0;
  while (i < items.length) {
    const n = 1 + Math.floor(random() * Math.max(1, items.length - i));
    out.push(items.slice(i, i + n));
    i += n;
  }
  return out;
}

/**
 * One projector step over everything stored since the engine's last step; with `flush`,
 * the summed tables are written too (else they wait for a later step).
 */
export function step(
  engine: IncrementalProjection,
  store: MemoryStore,
  tables: TableStore,
  random: () => number,
  flush = true,
): void {
  const before = engine.lastSeq;
  const fresh = store.after(before);
  const last = fresh.at(-1)?.seq ?? before;
  const ingested = engine.ingest(fresh, store.variantsOf(last));
  for (const r of ingested.relabels)
    for (const [seq, c] of store.cluster) if (c === r.from) store.cluster.set(seq, r.to);
  for (const a of ingested.assignments) store.cluster.set(a.seq, a.cluster);
  tables.apply(ingested.writes);
  const earlier = (d: DirtyCluster) =>
    d.old.length === 0
      ? []
      : store.rows.filter((r) => r.seq <= before && store.cluster.get(r.seq) === d.id);
  // Half the steps hold their removals until every group's upserts are written: removals
  // never touch a key upserted in the same step (a group deletes keys its clusters held and
  // no longer produce, and groups own disjoint keys), so the order must not matter.
  const later: TableWrite[] | undefined = random() < 0.5 ? [] : undefined;
  for (const group of groups(ingested.dirty, random))
    tables.apply(
      engine.recompute(group.map((cluster) => ({ cluster, earlier: earlier(cluster) }))),
      later,
    );
  if (later !== undefined) tables.apply(later);
  engine.finish();
  if (flush) tables.apply(engine.flush());
}

/**
 * A new engine built from the store up to `upTo` the way a projector rebuilds its index:
 * reference data first, then whole clusters in side-table order. Nothing is written.
 */
export function rebuild(
  store: MemoryStore,
  upTo: number,
  random: () => number,
): IncrementalProjection {
  const engine = new IncrementalProjection();
  const rows = store.upTo(upTo);
  const variantsOf = store.variantsOf(upTo);
  const chunks: StoredEvent[][] = [rows.filter((r) => isReferenceEvent(r.event))];
  const byCluster = new Map<number, StoredEvent[]>();
  for (const r of rows) {
    if (isReferenceEvent(r.event)) continue;
    const c = store.cluster.get(r.seq);
    if (c === undefined) throw new Error(`event ${r.seq} has no cluster`);
    const list = byCluster.get(c);
    if (list === undefined) byCluster.set(c, [r]);
    else list.push(r);
  }
  const ordered = [...byCluster.keys()].sort((a, b) => a - b);
  for (const ids of groups(ordered, random))
    chunks.push(ids.flatMap((id) => byCluster.get(id) ?? []));
  for (const chunk of chunks) {
    const ingested = engine.ingest(chunk, variantsOf);
    for (const d of ingested.dirty)
      if (d.old.length > 0) throw new Error(`rebuild: cluster ${d.id} was split over chunks`);
    for (const a of ingested.assignments)
      if (store.cluster.get(a.seq) !== a.cluster)
        throw new Error(
          `rebuild: event ${a.seq} in cluster ${a.cluster}, stored ${store.cluster.get(a.seq)}`,
        );
    engine.recompute(
      ingested.dirty.map((cluster) => ({ cluster, earlier: [] })),
      { rows: false },
    );
    engine.finish();
  }
  engine.flush();
  return engine;
}

/**
 * Brings a stale engine up to `upTo` (another process projected the events in between) the
 * way a projector does: the same steps, without any write.
 */
export function catchUp(
  engine: IncrementalProjection,
  store: MemoryStore,
  upTo: number,
  random: () => number,
): void {
  const before = engine.lastSeq;
  const fresh = store.rows.filter((r) => r.seq > before && r.seq <= upTo);
  if (fresh.length > 0) {
    const ingested = engine.ingest(fresh, store.variantsOf(upTo));
    for (const group of groups(ingested.dirty, random)) {
      engine.recompute(
        group.map((cluster) => ({
          cluster,
          earlier:
            cluster.old.length === 0
              ? []
              : store.rows.filter(
                  (r) => r.seq <= before && store.cluster.get(r.seq) === cluster.id,
                ),
        })),
        { rows: false },
      );
    }
    engine.finish();
  }
  engine.flush();
  engine.lastSeq = upTo;
}
