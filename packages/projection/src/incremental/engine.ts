import type { DomainEvent } from '@incidents/events';
import { AttackCounts } from '../derive/counts.js';
import { revisionRow } from '../derive/revisions.js';
import { ratingChangesGrade, type GradeEvent } from '../derive/reliability.js';
import { OverallTallies, type OverallTalliesState } from '../derive/tallies.js';
import { instantMicros } from '../order.js';
import { projectParts, referenceTables, type Contributions } from '../project.js';
import type { RevisionFeedRow } from '../rows.js';
import { rankVariants } from '../select.js';
import { ClusterIndex, type ClusterIndexState } from './cluster-index.js';
import {
  clusterKeys,
  isReferenceEvent,
  namedReferences,
  pairKey,
  referenceChanges,
} from './keys.js';
import {
  CLUSTER_TABLES,
  PRIMARY_KEYS,
  keyOfRow,
  type ClusterTable,
  type Row,
  type TableWrite,
} from './tables.js';

/** An event as stored, with its store sequence number (store order, unique per variant). */
export interface StoredEvent {
  readonly seq: number;
  readonly event: DomainEvent;
}

/** A cluster whose rows must be recomputed. */
export interface DirtyCluster {
  /** its id after this step */
  readonly id: number;
  /** ids, before this step, of the clusters it consists of that hold earlier events */
  readonly old: readonly number[];
  /** its events from this step */
  readonly fresh: readonly StoredEvent[];
  /** all its events, earlier and fresh */
  readonly size: number;
}

export interface Ingested {
  /** the cluster of each fresh non-reference event */
  readonly assignments: readonly { readonly seq: number; readonly cluster: number }[];
  /** earlier clusters now part of a cluster with a smaller id */
  readonly relabels: readonly { readonly from: number; readonly to: number }[];
  readonly dirty: readonly DirtyCluster[];
  /** stored variants that lose to another variant of their (source, id) (§5.1) */
  readonly rejected: readonly StoredEvent[];
  /** to apply before the writes of `recompute` */
  readonly writes: readonly TableWrite[];
}

/**
 * Version of `EngineSnapshot`'s layout and meaning (the key hash, what the maps hold). A
 * snapshot of another version is not restored: the index is then rebuilt from the store.
 */
export const SNAPSHOT_FORMAT = 2;

/**
 * An IncrementalProjection between steps, as plain data (typed arrays, arrays, numbers,
 * strings and events): what a process needs to go on from `lastSeq` without replaying the
 * store. Serialisable with the structured clone algorithm.
 */
export interface EngineSnapshot {
  readonly format: number;
  readonly lastSeq: number;
  readonly events: number;
  readonly index: ClusterIndexState;
  readonly reference: readonly (readonly [string, StoredEvent])[];
  readonly citedBy: readonly (readonly [string, Int32Array])[];
  readonly tallies: OverallTalliesState;
  readonly named: readonly (readonly [string, number])[];
}

/** Every stored variant of a (source, id) that has more than one, or undefined. */
export type VariantsOf = (pair: string) => readonly StoredEvent[] | undefined;

/**
 * Incremental maintenance of the read models, equal to `project(all stored events)` after
 * each step. Events fall into clusters (connected through shared entity keys, see
 * `clusterKeys`) that read only their own events and the reference data. A step:
 *
 * 1. `ingest(events)` adds newly stored events: it extends the clusters, ranks the variants
 *    of a (source, id) (§5.1), and lists the dirty clusters — those with new events and
 *    those citing a source, actor or site whose reference data changed;
 * 2. `recompute(group)`, for groups of dirty clusters given with their earlier events,
 *    projects (reference data ∪ the group's events) once and returns its rows; what the
 *    group contributed before (projected from its earlier events) is subtracted from the
 *    summed tables and what it contributes now is added;
 * 3. `finish()` ends the step.
 *
 * `flush()`, between steps, returns the rows of the summed tables changed since the last
 * flush (attack_counts as deltas, the overall tallies, sources, actors, sites and the
 * revision rows of reference events). The tables equal `project()` after a flush; several
 * steps may share one flush (their changes to these tables add up).
 *
 * The index holds no event: a step's caller loads the earlier events of dirty clusters.
 */
export class IncrementalProjection {
  private index = new ClusterIndex();
  /** pair → applied variant, for pairs whose winner is reference data */
  private readonly reference = new Map<string, StoredEvent>();
  private previousReference: readonly StoredEvent[] = [];
  private previousReferencePairs: ReadonlySet<string> = new Set();
  /** `<kind>/<id>` of a source, actor or site → nodes of clusters naming it */
  private readonly citedBy = new Map<string, NodeList>();
  private tallies = new OverallTallies();
  /** `<kind>/<id>` → applied non-reference events making it known */
  private readonly named = new Map<string, number>();

  private attack = new AttackCounts(false);
  private touchedTallies = new Set<string>();
  /**
   * Since the last flush, per `source/<id>` or `site/<id>`: incidents (`i|<id>`) and operations
   * (`o|<id>`) that started (+1) or stopped (-1) citing it. The sets themselves are in the
   * reference_citations table; only their changes pass through here.
   */
  private citationChanges = new Map<string, Map<string, number>>();
  private touchedNamed = new Set<string>();
  private changedReference: { before?: StoredEvent; after?: StoredEvent }[] = [];
  private inStep = false;

  /** Highest sequence number ingested. */
  lastSeq = 0;
  /** Stored events ingested (every variant). */
  events = 0;

  /** Starts a step with the events stored since the last one (each stored event exactly once). */
  ingest(events: readonly StoredEvent[], variantsOf: VariantsOf): Ingested {
    if (this.inStep) throw new Error('ingest: finish() the previous step first');
    const changedFrom = this.changedReference.length;
    this.previousReference = [...this.reference.values()];
    this.previousReferencePairs = new Set(this.reference.keys());
    this.inStep = true;
    const start = this.index.size;
    const nodesOf: { ev: StoredEvent; nodes: number[] }[] = [];
    const oldOfNode = new Map<number, number>();
    const noteOld = (n: number) => {
      if (n < start && !oldOfNode.has(n)) oldOfNode.set(n, this.index.cluster(n));
    };
    for (const ev of events) {
      if (ev.seq > this.lastSeq) this.lastSeq = ev.seq;
      this.events++;
      if (isReferenceEvent(ev.event)) continue;
      const nodes = indexKeys(ev.event).map((k) => this.index.nodeFor(k, ev.seq));
      for (const n of nodes) noteOld(n);
      nodesOf.push({ ev, nodes });
    }
    // The variants of a (source, id) share a cluster (§5.1: which one applies decides its
    // rows). They are joined here rather than through a key per (source, id), which would
    // cost the index a key per event.
    const pairs = new Map<string, StoredEvent>();
    for (const ev of events) pairs.set(pairKey(ev.event), ev);
    const varied = new Map<string, readonly StoredEvent[]>();
    const joins: number[][] = [];
    for (const pair of pairs.keys()) {
      const variants = variantsOf(pair);
      if (variants === undefined || variants.length < 2) continue;
      varied.set(pair, variants);
      const nodes: number[] = [];
      for (const v of variants) {
        if (isReferenceEvent(v.event)) continue;
        const n = this.index.node(indexKeys(v.event)[0] as string);
        if (n === undefined) continue; // not indexed yet: a variant stored after this step's events
        noteOld(n);
        nodes.push(n);
      }
      joins.push(nodes);
    }
    for (const nodes of joins)
      for (let i = 1; i < nodes.length; i++) this.index.union(nodes[0] as number, nodes[i] as number);
    for (const { ev, nodes } of nodesOf) {
      const first = nodes[0] as number;
      for (let i = 1; i < nodes.length; i++) this.index.union(first, nodes[i] as number);
      this.index.addEvent(first, ev.seq);
    }
    // By the root of the cluster after the step's joins: any node of a cluster stands for
    // it, and a root is shared by its events, so the sets grow with clusters, not events.
    const cited = new Set<string>();
    for (const { ev, nodes } of nodesOf) {
      const root = this.index.find(nodes[0] as number);
      for (const ref of namedReferences(ev.event)) {
        if (cited.has(`${root}|${ref}`)) continue;
        cited.add(`${root}|${ref}`);
        let list = this.citedBy.get(ref);
        if (list === undefined) {
          list = new NodeList();
          this.citedBy.set(ref, list);
        }
        list.push(root);
      }
    }

    const dirty = new Map<number, { old: Set<number>; fresh: StoredEvent[]; node: number }>();
    const entry = (node: number) => {
      const id = this.index.cluster(node);
      let d = dirty.get(id);
      if (d === undefined) {
        d = { old: new Set(), fresh: [], node };
        dirty.set(id, d);
      }
      return d;
    };
    const assignments: { seq: number; cluster: number }[] = [];
    for (const { ev, nodes } of nodesOf) {
      const d = entry(nodes[0] as number);
      d.fresh.push(ev);
      assignments.push({ seq: ev.seq, cluster: this.index.cluster(d.node) });
    }
    const relabels = new Map<number, number>();
    for (const [node, oldId] of oldOfNode) {
      entry(node).old.add(oldId);
      const id = this.index.cluster(node);
      if (oldId !== id) relabels.set(oldId, id);
    }
    /** an earlier cluster must be recomputed */
    const markDirty = (node: number) => {
      if (node >= start) return; // created by a fresh event: dirty already
      const d = entry(node);
      // a cluster with fresh events lists its earlier parts already; one without is unchanged
      if (d.old.size === 0) d.old.add(this.index.cluster(node));
    };

    // §5.1 variants, and the reference data they decide
    const rejected: StoredEvent[] = [];
    for (const [pair, ev] of pairs) {
      const variants = varied.get(pair);
      let winner = ev;
      if (variants !== undefined) {
        const ranked = rankVariants(variants);
        winner = ranked.winner;
        rejected.push(...ranked.losers);
      }
      const before = this.reference.get(pair);
      if (isReferenceEvent(winner.event)) {
        if (before?.seq !== winner.seq) {
          this.reference.set(pair, winner);
          this.changedReference.push({ before, after: winner });
        }
      } else if (before !== undefined) {
        this.reference.delete(pair);
        this.changedReference.push({ before });
      }
    }

    const writes: TableWrite[] = [];
    const gone: Row[] = [];
    for (const { before, after } of this.changedReference.slice(changedFrom)) {
      for (const ref of [
        ...(before ? referenceChanges(before.event) : []),
        ...(after ? referenceChanges(after.event) : []),
      ]) {
        this.citedBy.get(ref)?.forEach(markDirty);
      }
      if (before !== undefined && before.event.time !== after?.event.time) {
        const e = before.event;
        gone.push({ time: e.time, event_id: e.id, event_source: e.source });
      }
    }
    if (gone.length > 0) writes.push({ table: 'revision_feed', upserts: [], deletes: gone });

    return {
      assignments,
      relabels: [...relabels].map(([from, to]) => ({ from, to })),
      dirty: [...dirty].map(([id, d]) => ({
        id,
        old: [...d.old].sort((a, b) => a - b),
        fresh: d.fresh,
        size: this.index.eventCount(d.node),
      })),
      rejected,
      writes,
    };
  }

  /**
   * Recomputes a group of dirty clusters (from one or several `ingest` calls of this step),
   * each with every event stored before the step that belongs to it.
   */
  recompute(
    group: readonly { cluster: DirtyCluster; earlier: readonly StoredEvent[] }[],
    opts: { rows: boolean } = { rows: true },
  ): TableWrite[] {
    const earlier: DomainEvent[] = [];
    const all: DomainEvent[] = [];
    for (const { cluster, earlier: list } of group) {
      for (const e of list) earlier.push(e.event);
      for (const e of cluster.fresh) all.push(e.event);
    }
    // What the group's clusters hold in the tables now is what they projected to before this
    // step: (reference data before the step ∪ their earlier events). Their rows now are
    // compared with those, so only rows that changed, appeared or vanished are written.
    const before =
      earlier.length > 0
        ? projectParts([...this.previousReference.map((e) => e.event), ...earlier], { tables: opts.rows })
        : undefined;
    if (before !== undefined) this.fold(before.contributions, -1, this.previousReferencePairs);
    const now = projectParts(
      [...[...this.reference.values()].map((e) => e.event), ...earlier, ...all],
      { tables: opts.rows },
    );
    this.fold(now.contributions, 1, this.reference);
    if (!opts.rows) return [];
    const tables = now.tables;
    if (tables === null || (before !== undefined && before.tables === null)) throw new Error('projectParts returned no tables');
    const writes: TableWrite[] = [];
    for (const table of CLUSTER_TABLES) {
      // revision rows of reference events are the flush's (referenceRows)
      const rows = clusterRows(table, tables[table] as unknown as Row[], this.reference);
      const previous = before === undefined ? [] : clusterRows(table, before.tables![table] as unknown as Row[], this.previousReferencePairs);
      const { added, changed, removed } = diffRows(table, previous, rows);
      // Rows with a key no row of the group had: no other cluster owns it, so it is not in the table.
      if (added.length > 0) writes.push({ table, upserts: added, deletes: [], fresh: true });
      if (changed.length > 0 || removed.length > 0) writes.push({ table, upserts: changed, deletes: removed });
    }
    return writes;
  }

  /** Ends the step. */
  finish(): void {
    this.inStep = false;
  }

  /** The changed rows of the summed and reference tables since the last flush (between steps). */
  flush(): TableWrite[] {
    if (this.inStep) throw new Error('flush: finish() the step first');
    const writes: TableWrite[] = [];
    const deltas = [...this.attack.rows.values()].filter(
      (r) =>
        r.incidents !== 0 ||
        r.munitions_low !== 0 ||
        r.munitions_best !== 0 ||
        r.munitions_high !== 0 ||
        r.munitions_unknown !== 0 ||
        r.intercepted !== 0 ||
        r.incidents_with_casualties !== 0 ||
        r.imprecise !== 0,
    );
    if (deltas.length > 0)
      writes.push({
        table: 'attack_counts',
        upserts: deltas as unknown as Row[],
        deletes: [],
        additive: true,
      });

    const overall: Row[] = [];
    const overallGone: Row[] = [];
    const period: Row[] = [];
    const periodGone: Row[] = [];
    for (const t of this.touchedTallies) {
      const bar = t.indexOf('|');
      const k = t.slice(bar + 1);
      if (t.startsWith('p|')) {
        const row = this.tallies.periodRow(k);
        if (row !== null) period.push(row as unknown as Row);
        else periodGone.push(OverallTallies.periodKey(k));
      } else {
        const row = this.tallies.overallRow(k);
        if (row !== null) overall.push(row as unknown as Row);
        else overallGone.push(OverallTallies.overallKey(k));
      }
    }
    if (overall.length + overallGone.length > 0)
      writes.push({ table: 'casualty_tally', upserts: overall, deletes: overallGone });
    if (period.length + periodGone.length > 0)
      writes.push({ table: 'casualty_tally_by_period', upserts: period, deletes: periodGone });

    const changed = this.changedReference;
    if (changed.length > 0 || this.touchedNamed.size > 0)
      writes.push(...this.referenceRows(changed));

    // a change to a source's registrations or ratings may change which of its ratings list ids
    const changedRefs = new Set<string>();
    for (const c of changed)
      for (const e of [c.before, c.after]) {
        const ref = e === undefined ? null : citationRef(e.event);
        if (ref !== null) changedRefs.add(ref);
      }
    // A reference event's revision row changes with the event or with its source's reference
    // data (which decides whether a rating lists the citing ids); the ids it lists are
    // reference_citations rows, named by `cites`, and change there.
    const revisions: RevisionFeedRow[] = [];
    for (const ev of this.reference.values()) {
      const ref = citationRef(ev.event);
      const fresh = changed.some((c) => c.after === ev);
      if (!fresh && (ref === null || !changedRefs.has(ref))) continue;
      const row: RevisionFeedRow & { cites?: string } = revisionRow(ev.event, { incidents: new Set(), operations: new Set() });
      if (ref !== null && this.changesCitingRows(ev)) row.cites = ref;
      revisions.push(row);
    }
    if (revisions.length > 0)
      writes.push({ table: 'revision_feed', upserts: revisions as unknown as Row[], deletes: [] });
    const citing: Row[] = [];
    const uncited: Row[] = [];
    for (const [ref, ids] of this.citationChanges)
      for (const [k, n] of ids) {
        if (n === 0) continue;
        const row = { ref, kind: k.startsWith('i|') ? 'incident' : 'operation', id: k.slice(2) };
        (n > 0 ? citing : uncited).push(row);
      }
    // (an id starting to cite is not in the set: as fresh as a new cluster's rows)
    if (uncited.length > 0) writes.push({ table: 'reference_citations', upserts: [], deletes: uncited });
    if (citing.length > 0) writes.push({ table: 'reference_citations', upserts: citing, deletes: [], fresh: true });

    this.attack = new AttackCounts(false);
    this.touchedTallies = new Set();
    this.citationChanges = new Map();
    this.touchedNamed = new Set();
    this.changedReference = [];
    return writes;
  }

  /**
   * The engine's state between steps, after a flush (nothing pending for the tables). Its
   * typed arrays are the engine's own: serialise the snapshot before the next step.
   */
  snapshot(): EngineSnapshot {
    if (this.inStep) throw new Error('snapshot: finish() the step first');
    if (this.attack.rows.size > 0 || this.touchedTallies.size > 0 || this.citationChanges.size > 0 || this.touchedNamed.size > 0 || this.changedReference.length > 0)
      throw new Error('snapshot: flush() the summed tables first');
    return {
      format: SNAPSHOT_FORMAT,
      lastSeq: this.lastSeq,
      events: this.events,
      index: this.index.state(),
      reference: [...this.reference].map(([pair, e]) => [pair, { seq: e.seq, event: e.event }] as const),
      citedBy: [...this.citedBy].map(([ref, list]) => [ref, list.state()] as const),
      tallies: this.tallies.state(),
      named: [...this.named],
    };
  }

  /** The engine a snapshot was taken of; throws when `s` is not a snapshot of this format. */
  static restore(s: EngineSnapshot): IncrementalProjection {
    if (s.format !== SNAPSHOT_FORMAT) throw new Error(`snapshot format ${String(s.format)}, expected ${SNAPSHOT_FORMAT}`);
    if (!Number.isSafeInteger(s.lastSeq) || !Number.isSafeInteger(s.events) || s.lastSeq < 0 || s.events < 0)
      throw new Error('snapshot: lastSeq and events must be counts');
    const engine = new IncrementalProjection();
    engine.index = ClusterIndex.fromState(s.index);
    for (const [pair, e] of s.reference) engine.reference.set(pair, e);
    for (const [ref, nodes] of s.citedBy) {
      if (nodes.some((n) => n < 0 || n >= engine.index.size)) throw new Error(`snapshot: ${ref} cites a node outside the index`);
      engine.citedBy.set(ref, NodeList.of(nodes));
    }
    engine.tallies = OverallTallies.fromState(s.tallies);
    for (const [ref, n] of s.named) engine.named.set(ref, n);
    engine.lastSeq = s.lastSeq;
    engine.events = s.events;
    return engine;
  }

  /** Number of clusters' worth of nodes and references held (for stats). */
  get indexSize(): { keys: number; references: number } {
    return { keys: this.index.size, references: this.reference.size };
  }

  private referenceRows(
    changed: readonly { before?: StoredEvent; after?: StoredEvent }[],
  ): TableWrite[] {
    const touched = new Set(this.touchedNamed);
    for (const { before, after } of changed) {
      for (const e of [before, after])
        if (e !== undefined) for (const r of namedReferences(e.event)) touched.add(r);
    }
    const namedNow: string[] = [];
    for (const [ref, n] of this.named) if (n > 0) namedNow.push(ref);
    const tables = referenceTables(
      [...this.reference.values()].map((e) => e.event),
      namedNow,
    );
    const present = new Map<string, Row>();
    for (const r of tables.sources) present.set(`source/${r.source_id}`, r as unknown as Row);
    for (const r of tables.actors) present.set(`actor/${r.actor_id}`, r as unknown as Row);
    for (const r of tables.sites) present.set(`site/${r.site_id}`, r as unknown as Row);
    const byTable = {
      sources: {
        table: 'sources' as const,
        column: 'source_id',
        upserts: [] as Row[],
        deletes: [] as Row[],
      },
      actors: {
        table: 'actors' as const,
        column: 'actor_id',
        upserts: [] as Row[],
        deletes: [] as Row[],
      },
      sites: {
        table: 'sites' as const,
        column: 'site_id',
        upserts: [] as Row[],
        deletes: [] as Row[],
      },
    };
    for (const ref of touched) {
      const slash = ref.indexOf('/');
      const kind = ref.slice(0, slash);
      const t =
        kind === 'source' ? byTable.sources : kind === 'actor' ? byTable.actors : byTable.sites;
      const row = present.get(ref);
      if (row !== undefined) t.upserts.push(row);
      else t.deletes.push({ [t.column]: ref.slice(slash + 1) });
    }
    return Object.values(byTable)
      .filter((t) => t.upserts.length + t.deletes.length > 0)
      .map((t) => ({ table: t.table, upserts: t.upserts, deletes: t.deletes }));
  }

  /** Whether a reference event changes the rows citing its source or site (see `ratingChangesGrade`). */
  private changesCitingRows(ev: StoredEvent): boolean {
    const e = ev.event;
    if (e.type !== 'SourceReliabilityRated') return true;
    const ofSource: GradeEvent[] = [];
    for (const { event: x } of this.reference.values())
      if (
        (x.type === 'SourceRegistered' || x.type === 'SourceReliabilityRated') &&
        x.data.source_id === e.data.source_id
      )
        ofSource.push({ t: instantMicros(x.time), id: x.id, source: x.source, event: x });
    return ratingChangesGrade(e, ofSource);
  }

  private fold(
    c: Contributions,
    sign: 1 | -1,
    referencePairs: { has(pair: string): boolean },
  ): void {
    for (const item of c.attack) this.attack.add(item, sign);
    for (const item of c.tally) this.tallies.add(item, sign, this.touchedTallies);
    const cite = (ref: string, incidents: Iterable<string>, operations: Iterable<string>) => {
      let ids = this.citationChanges.get(ref);
      if (ids === undefined) {
        ids = new Map();
        this.citationChanges.set(ref, ids);
      }
      // (a recomputed cluster's earlier citations are subtracted and its new ones added: an id
      // cited before and after nets to 0 and is not written)
      for (const id of incidents) ids.set(`i|${id}`, (ids.get(`i|${id}`) ?? 0) + sign);
      for (const id of operations) ids.set(`o|${id}`, (ids.get(`o|${id}`) ?? 0) + sign);
    };
    for (const [id, t] of c.citations.sources) cite(`source/${id}`, t.incidents, t.operations);
    for (const [id, t] of c.citations.sites) cite(`site/${id}`, t.incidents, t.operations);
    for (const { source, id, refs } of c.named) {
      if (referencePairs.has(pairKey({ source, id }))) continue;
      for (const ref of refs) {
        const before = this.named.get(ref) ?? 0;
        const after = before + sign;
        if (after === 0) this.named.delete(ref);
        else this.named.set(ref, after);
        if (before === 0 || after === 0) this.touchedNamed.add(ref);
      }
    }
  }
}

/**
 * The keys an event is indexed under: its entity keys, or its pair key when it names no
 * entity (variants are joined apart, see `ingest`).
 */
function indexKeys(event: DomainEvent): string[] {
  const keys = clusterKeys(event);
  return keys.length > 1 ? keys.slice(1) : keys;
}

/**
 * Nodes in a growable typed array (4 bytes a node): the clusters naming a source, actor or
 * site, read only when its reference data changes. A node may be listed more than once (once
 * per step that adds events to its cluster); marking a cluster dirty twice is harmless.
 */
class NodeList {
  private nodes = new Int32Array(8);
  private length = 0;

  push(node: number): void {
    if (this.length === this.nodes.length) {
      const grown = new Int32Array(this.nodes.length * 2);
      grown.set(this.nodes);
      this.nodes = grown;
    }
    this.nodes[this.length++] = node;
  }

  forEach(fn: (node: number) => void): void {
    for (let i = 0; i < this.length; i++) fn(this.nodes[i] as number);
  }

  /** The nodes listed (a view of the list's own array). */
  state(): Int32Array {
    return this.nodes.subarray(0, this.length);
  }

  static of(nodes: Int32Array): NodeList {
    const list = new NodeList();
    list.nodes = new Int32Array(Math.max(8, nodes.length * 2));
    list.nodes.set(nodes);
    list.length = nodes.length;
    return list;
  }
}

function revisionPair(r: Row): { source: string; id: string } {
  return { source: r.event_source as string, id: r.event_id as string };
}

function keyOnly(table: ClusterTable, r: Row): Row {
  const out: Row = {};
  for (const c of PRIMARY_KEYS[table]) out[c] = r[c];
  return out;
}

/** The citation set a reference event's revision row lists, if any. */
function citationRef(e: DomainEvent): string | null {
  if (e.type === 'SourceRegistered' || e.type === 'SourceReliabilityRated')
    return `source/${e.data.source_id}`;
  if (e.type === 'SiteRegistered') return `site/${e.data.site_id}`;
  return null;
}

/** The rows of a cluster table that belong to clusters: revision rows of reference pairs are left out. */
function clusterRows(table: ClusterTable, rows: Row[], reference: ReadonlyMap<string, unknown> | ReadonlySet<string>): Row[] {
  return table === 'revision_feed' ? rows.filter((r) => !reference.has(pairKey(revisionPair(r)))) : rows;
}

/**
 * The rows of `now` whose key `before` lacks, those that differ from `before`'s row with their
 * key, and the keys of `before` that `now` lacks.
 */
function diffRows(table: ClusterTable, before: readonly Row[], now: readonly Row[]): { added: Row[]; changed: Row[]; removed: Row[] } {
  const previous = new Map<string, Row>();
  for (const r of before) previous.set(keyOfRow(table, r), r);
  const added: Row[] = [];
  const changed: Row[] = [];
  for (const r of now) {
    const key = keyOfRow(table, r);
    const old = previous.get(key);
    if (old === undefined) added.push(r);
    else {
      previous.delete(key);
      // (rows come out of the same derivation, so equal rows serialise alike; a difference
      // in key order alone would only cost a write that changes nothing)
      if (JSON.stringify(old) !== JSON.stringify(r)) changed.push(r);
    }
  }
  return { added, changed, removed: [...previous.values()].map((r) => keyOnly(table, r)) };
}
