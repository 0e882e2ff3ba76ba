import { randomUUID } from 'node:crypto';
import { isTransientDbError, withTransaction, type Pool, type PoolClient } from '@incidents/db';
import type { PartitionBatch } from '@incidents/kafka';
import { IncrementalProjection } from '@incidents/projection';
import type { DomainEvent } from '@incidents/events';
import { withSpan, type Logger } from '@incidents/telemetry';
import { catchUpIndex, flushSums, lapTimer, projectStep, rebuildIndex, type StepContext, type StepTimings } from './incremental.js';
import { parseRecord, type ParsedEvent, type PoisonRecord } from './records.js';
import { CATCH_UP_FRESH_MS, nextRecompute, snapshotDue } from './schedule.js';
import { clearClusters } from './store/clusters.js';
import { parkRecords, type DeadLetter } from './store/dead-letters.js';
import { insertEvents, loadEvents, projectedOffsets, seqsAfter, type InsertedEvent, type StoredEvent } from './store/event-store.js';
import { lockOffset, markProjectedUpTo, storeOffset } from './store/offsets.js';
import { analyzeTables, clearReadModels, readTableMeta } from './store/read-models.js';
import { clearSnapshot, loadSnapshot, saveSnapshot } from './store/snapshots.js';

export interface ProjectorStats {
  batches: number;
  events: number;
  duplicates: number;
  parked: number;
  retries: number;
  recomputes: number;
  /** rebuilds of the in-memory index from the store (start, a failure) */
  rebuilds: number;
  /** replays into the index of what another process projected */
  catchUps: number;
  /** indexes taken from a saved snapshot instead of rebuilt from the store */
  restores: number;
  /** snapshots of the index saved */
  snapshots: number;
  /** clusters recomputed */
  clusters: number;
  /** earlier events projected again with new events of their clusters */
  reprojected: number;
  /** rows written to the read models */
  rows: number;
}

export interface ProjectorOptions {
  retryMaxMs?: number;
  /** Pause before the first retry of a failed recomputation, ms. */
  minRecomputeIntervalMs?: number;
  /** Stored events kept in memory for the next recomputation (the others are read back). */
  maxPendingEvents?: number;
  /** Most stored events one recomputation transaction projects. */
  maxEventsPerRecompute?: number;
  /**
   * Copy the rows of clusters projected for the first time straight into the tables instead
   * of upserting them (default true). A key that exists after all (a unique violation) turns
   * it off for the life of the process; the recomputation is retried with upserts.
   */
  freshInserts?: boolean;
  /**
   * Events projected since the last snapshot of the index (or a tenth of the events indexed,
   * if more) after which a caught-up projector saves the next one (and one when it stops); 0:
   * never saves. A saved snapshot is used at start either way.
   */
  snapshotEvents?: number;
}

interface Index {
  engine: IncrementalProjection;
  /** The write token of the tables when they last reflected `engine` (our own write). */
  token: string;
}

/** Rows written since the last ANALYZE below which the tables' statistics are left alone. */
const ANALYZE_MIN_ROWS = 20_000;
const UNIQUE_VIOLATION = '23505';

/**
 * Applies partition batches to PostgreSQL in two activities that share one guarantee (a
 * crash or a redelivery never double-counts):
 * 1. store (per batch): new events once per (source, id, content) in `event_store`, poison
 *    records in `dead_letters`, and the partition's next offset, in one transaction;
 * 2. project (one background loop): bring the read models to every event stored so far,
 *    incrementally (see IncrementalProjection in `@incidents/projection`): only the
 *    clusters new events reach are recomputed, from their stored events; the rows, the
 *    cluster table, the projection state and the offsets the read models reflect change in
 *    one transaction.
 * The two run side by side: storing takes the projection's store lock, projecting its
 * write lock (advisory, per schema and projection), so processes may share the partitions
 * with one writer of each kind at a time. A process whose tables another process wrote
 * since its own last write rebuilds its index from the store first.
 */
export class Projector {
  readonly stats: ProjectorStats = { batches: 0, events: 0, duplicates: 0, parked: 0, retries: 0, recomputes: 0, rebuilds: 0, catchUps: 0, restores: 0, snapshots: 0, clusters: 0, reprojected: 0, rows: 0 };
  private index: Index | undefined;
  /**
   * Events this process stored that the read models do not reflect yet, by seq (at most
   * maxPending), as JSON: a flat string per event costs the garbage collector nothing to
   * trace, and parsing it again when it is projected costs less than keeping the objects.
   */
  private readonly pending = new Map<number, Omit<InsertedEvent, 'event' | 'variants'>>();
  /** Whether each event this process stored and not projected yet has other variants. */
  private readonly variants = new Map<number, boolean>();
  private meta: Awaited<ReturnType<typeof readTableMeta>> | undefined;
  private dirty = true;
  private storing: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private wanted = false;
  private failure: Error | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;
  private lastEnd = 0;
  private lastDuration = 0;
  private lastStoredAt = 0;
  /** Events stored since the last recomputation began (what the next one will project). */
  private backlog = 0;
  /** Stored events the last recomputation left for the next (it takes at most maxPerRecompute). */
  private leftOver = 0;
  /** Per partition, records in the log after the last batch stored (at that batch's fetch), and when. */
  private readonly behind = new Map<number, { lag: bigint; at: number }>();
  private stopped = false;
  private readonly retryMaxMs: number;
  private readonly minIntervalMs: number;
  private readonly maxPending: number;
  private readonly maxPerRecompute: number;
  /** `stats.rows` when the tables' planner statistics were last refreshed by this process. */
  private rowsAnalyzed = 0;
  /** where the last recomputation's time went (ms), for the debug log */
  private phases: Record<string, number> = {};
  private freshInserts: boolean;
  private readonly snapshotEvery: number;
  /** `engine.events` of the index when it was last saved or restored */
  private snapshotAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    private readonly logger: Logger,
    options: ProjectorOptions = {},
  ) {
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.minIntervalMs = options.minRecomputeIntervalMs ?? 200;
    this.maxPerRecompute = options.maxEventsPerRecompute ?? 100_000;
    // a recomputation's events are in memory anyway: keeping them spares reading them back
    this.maxPending = options.maxPendingEvents ?? this.maxPerRecompute;
    this.retryDelay = this.minIntervalMs;
    this.freshInserts = options.freshInserts ?? true;
    this.snapshotEvery = options.snapshotEvents ?? 50_000;
  }

  /** Stores a batch, retrying transient failures with back-off until it succeeds or the batch is revoked. */
  async handle(batch: PartitionBatch): Promise<string> {
    // Parsed before waiting for the store transaction of another partition's batch.
    const parsed = batch.records.map(parseRecord);
    let delay = 100;
    for (;;) {
      try {
        const next = await this.serially(() =>
          withSpan('projector.batch', { 'messaging.kafka.partition': batch.partition, 'messaging.batch.message_count': batch.records.length }, () =>
            this.store(batch, parsed),
          ),
        );
        const last = batch.records.at(-1);
        if (last !== undefined) this.behind.set(batch.partition, { lag: BigInt(batch.highWatermark) - BigInt(last.offset) - 1n, at: Date.now() });
        this.kick();
        return next;
      } catch (error) {
        this.stats.retries += 1;
        const transient = isTransientDbError(error);
        this.logger[transient ? 'warn' : 'error']('batch failed; retrying', {
          partition: batch.partition,
          firstOffset: batch.records[0]?.offset,
          transient,
          retryInMs: delay,
          error,
        });
        if (!batch.isActive()) throw error;
        await sleepWithHeartbeat(delay, batch.heartbeat);
        delay = Math.min(delay * 2, this.retryMaxMs);
      }
    }
  }

  /**
   * Projects what an earlier process stored and did not project (it stopped or crashed between
   * its store transaction and its recomputation). Without this, a process whose stored offsets
   * are at the log end would receive no batch and leave those events out of the read models
   * until the next event arrives. Called on every partition assignment.
   */
  async resume(): Promise<void> {
    const r = await this.pool
      .query<{ behind: boolean | null }>(
        `SELECT coalesce((SELECT max(seq) FROM event_store), 0) > coalesce((SELECT projected_seq FROM projection_state WHERE projection = $1), 0) AS behind`,
        [this.projection],
      )
      .catch((error: unknown) => {
        // the store is unreachable for now: a recomputation retries with back-off
        this.logger.warn('could not read the projection state at start; projecting to be sure', { error });
        return { rows: [{ behind: true }] };
      });
    if (r.rows[0]?.behind) this.kick();
  }

  /** Brings the read models to every event stored so far; rejects if that fails. */
  async flush(): Promise<void> {
    this.failure = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.kick();
    while (this.loop !== undefined) await this.loop;
    const failure = this.failure as Error | undefined; // set by the loop meanwhile
    if (failure !== undefined) throw failure;
  }

  /**
   * Stops projecting (a recomputation under way finishes first) and saves a snapshot of the
   * index if it moved since the last one, so the next process to start goes on from it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    while (this.loop !== undefined) await this.loop;
    if (this.index !== undefined && this.snapshotEvery > 0 && this.index.engine.events > this.snapshotAt) await this.saveSnapshot();
  }

  /** True when every event this process stored is reflected in the read models. */
  isClean(): boolean {
    return !this.dirty && this.loop === undefined;
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.storing.then(fn, fn);
    this.storing = run.catch(() => undefined);
    return run;
  }

  private lock(client: PoolClient, kind: 'store' | 'write'): Promise<unknown> {
    // per schema: schemas are separate deployments (tests, blue/green versions)
    return client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [`projector-${kind}:${this.projection}`]);
  }

  private async store(batch: PartitionBatch, parsed: readonly (ParsedEvent | PoisonRecord)[]): Promise<string> {
    const last = batch.records[batch.records.length - 1]!;
    const next = BigInt(last.offset) + 1n;
    let added: InsertedEvent[] = [];
    const result = await withTransaction(this.pool, async (client) => {
      await this.lock(client, 'store');
      const stored = await lockOffset(client, this.projection, batch.topic, batch.partition);
      // The stored offset was moved back (ops replay): read again from there, skip nothing.
      if (stored !== undefined && stored < BigInt(batch.records[0]!.offset)) return stored.toString();
      const fresh = parsed.filter((p) => stored === undefined || BigInt(p.record.offset) >= stored);
      if (fresh.length === 0) return (stored ?? next).toString();

      const events = fresh.filter((p): p is ParsedEvent => p.kind === 'event');
      const poison = fresh.filter((p): p is PoisonRecord => p.kind === 'poison');
      added = await insertEvents(client, batch.topic, events);
      const parked = await parkRecords(client, this.projection, poison.map((p) => toDeadLetter(batch.topic, p)));
      const lastTime = events.reduce<string | undefined>((t, e) => (t === undefined || e.event.time > t ? e.event.time : t), undefined);
      await storeOffset(client, this.projection, batch.topic, batch.partition, next, lastTime);
      if (added.length === 0) {
        // Nothing new to project (duplicates, a replay, poison only): when every stored event
        // is already projected, the read models reflect this partition up to `next` too.
        const clean = await client.query<{ clean: boolean | null }>(
          `SELECT (SELECT projected_seq FROM projection_state WHERE projection = $1) >= coalesce((SELECT max(seq) FROM event_store), 0) AS clean`,
          [this.projection],
        );
        if (clean.rows[0]?.clean) {
          await markProjectedUpTo(client, this.projection, [{ topic: batch.topic, partition: batch.partition, next_offset: next.toString() }]);
        }
      }
      this.stats.batches += 1;
      this.stats.events += added.length;
      this.stats.duplicates += events.length - added.length;
      this.stats.parked += parked;
      return next.toString();
    });
    // committed: the projection loop may use these
    for (const e of added) {
      this.variants.set(e.seq, e.variants);
      if (this.pending.size < this.maxPending) this.pending.set(e.seq, { seq: e.seq, json: e.json, topic: e.topic, partition: e.partition, offset: e.offset });
    }
    if (added.length > 0) this.dirty = true;
    this.backlog += added.length;
    this.lastStoredAt = Date.now();
    return result;
  }

  /** Makes the projection loop run (again) soon. */
  private kick(): void {
    this.wanted = true;
    if (this.loop !== undefined || this.stopped || this.retryTimer !== undefined) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
    });
  }

  private async run(): Promise<void> {
    while (this.wanted && !this.stopped) {
      // (see nextRecompute: gather while batches come, go at once with a recomputation's worth)
      const until = this.lastEnd + Math.max(this.minIntervalMs, this.lastDuration);
      let far = false;
      for (;;) {
        if (this.stopped) break;
        const now = Date.now();
        const next = nextRecompute({
          now,
          lastStoredAt: this.lastStoredAt,
          until,
          minIntervalMs: this.minIntervalMs,
          maxPerRecompute: this.maxPerRecompute,
          waiting: this.backlog + this.leftOver,
          lags: [...this.behind.values()].filter((b) => now - b.at < CATCH_UP_FRESH_MS).map((b) => b.lag),
          far,
        });
        far = next.far;
        if (next.go) break;
        await new Promise((r) => setTimeout(r, next.waitMs));
      }
      if (this.stopped) return;
      this.wanted = false;
      this.backlog = 0;
      const started = Date.now();
      const before = { ...this.stats };
      try {
        this.stats.parked += await withTransaction(this.pool, async (client) => {
          await this.lock(client, 'write');
          return this.refresh(client);
        });
        this.lastEnd = Date.now();
        this.lastDuration = this.lastEnd - started;
        this.retryDelay = this.minIntervalMs;
        const now = Date.now();
        if (
          this.index !== undefined &&
          snapshotDue({
            every: this.snapshotEvery,
            indexed: this.index.engine.events,
            sinceSnapshot: this.index.engine.events - this.snapshotAt,
            leftOver: this.leftOver,
            lags: [...this.behind.values()].filter((b) => now - b.at < CATCH_UP_FRESH_MS).map((b) => b.lag),
          })
        )
          await this.saveSnapshot();
        this.logger.debug('recomputed', {
          ms: this.lastDuration,
          events: this.stats.events - before.events,
          clusters: this.stats.clusters - before.clusters,
          reprojected: this.stats.reprojected - before.reprojected,
          rows: this.stats.rows - before.rows,
          phasesMs: Object.fromEntries(Object.entries(this.phases).map(([k, v]) => [k, Math.round(v)])),
        });
      } catch (error) {
        this.forget();
        if (this.freshInserts && (error as { code?: unknown }).code === UNIQUE_VIOLATION) {
          // a rule that names a row's owner outside its cluster's keys: correct, only slower
          this.freshInserts = false;
          this.logger.error('a new cluster wrote a key that existed; upserting every row from now on', { error });
        }
        this.failure = error instanceof Error ? error : new Error(String(error));
        this.logger.warn('recomputation failed; will retry', { error, retryInMs: this.retryDelay });
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, this.retryDelay);
        this.retryTimer.unref();
        this.retryDelay = Math.min(this.retryDelay * 2, this.retryMaxMs);
        return;
      }
    }
  }

  /**
   * Saves the index as the projection's snapshot, under the write lock, if the tables are still
   * the ones it describes (no other writer since). A failure is logged: projecting goes on.
   */
  private async saveSnapshot(): Promise<void> {
    const index = this.index;
    if (index === undefined) return;
    const started = Date.now();
    try {
      const saved = await withTransaction(this.pool, async (client) => {
        await this.lock(client, 'write');
        const state = await client.query<{ write_token: string | null }>(`SELECT write_token FROM projection_state WHERE projection = $1`, [this.projection]);
        if (state.rows[0]?.write_token !== index.token) return undefined;
        return saveSnapshot(client, this.projection, index.token, index.engine);
      });
      if (saved === undefined) return;
      this.stats.snapshots += 1;
      this.logger.info('index snapshot saved', { projection: this.projection, projectedSeq: saved.projectedSeq, bytes: saved.bytes, ms: Date.now() - started });
    } catch (error) {
      this.logger.warn('could not save the index snapshot; projecting goes on', { projection: this.projection, error });
    } finally {
      // saved, skipped or failed: the next try comes after as many events again
      this.snapshotAt = index.engine.events;
    }
  }

  /** The index from the projection's snapshot, when there is one this process can use. */
  private async restoreSnapshot(client: PoolClient, projectedSeq: number): Promise<Index | undefined> {
    const started = Date.now();
    const loaded = await loadSnapshot(client, this.projection, projectedSeq);
    if (loaded.kind === 'skipped') this.logger.warn('index snapshot not used; rebuilding the index from the store', { projection: this.projection, reason: loaded.reason });
    if (loaded.kind !== 'restored') return undefined;
    this.stats.restores += 1;
    this.snapshotAt = loaded.engine.events;
    this.logger.info('index restored from its snapshot', { projection: this.projection, projectedSeq: loaded.projectedSeq, bytes: loaded.bytes, ms: Date.now() - started });
    return { engine: loaded.engine, token: loaded.token };
  }

  /** After a failed transaction the index and the pending events may not match the store. */
  private forget(): void {
    this.index = undefined;
    this.pending.clear();
    this.variants.clear();
  }

  /**
   * Brings the read models to every event committed when it starts: the index is rebuilt
   * from the store when another writer wrote since our last write (or at start), then each
   * step projects the clusters the new events reach. Returns newly parked variants.
   */
  private async refresh(client: PoolClient): Promise<number> {
    const phases = (this.phases = { read: 0, ingest: 0, compute: 0, load: 0, settle: 0, sums: 0, analyze: 0 });
    const timer = lapTimer(phases);
    const lap = timer.lap;
    this.meta ??= await readTableMeta(client);
    // One statement, one snapshot: the stored events and the offsets they account for.
    const state = await client.query<{
      max_seq: string;
      offsets: { topic: string; partition: number; next_offset: string }[];
      write_token: string | null;
      projected_seq: string | null;
      events_applied: string | null;
    }>(
      `SELECT (SELECT coalesce(max(seq), 0) FROM event_store) AS max_seq,
              (SELECT coalesce(json_agg(json_build_object('topic', topic, 'partition', partition, 'next_offset', next_offset)), '[]')
                 FROM projector_offsets WHERE projection = $1) AS offsets,
              s.write_token, s.projected_seq, s.events_applied
         FROM (SELECT 1) AS one LEFT JOIN projection_state s ON s.projection = $1`,
      [this.projection],
    );
    const row = state.rows[0]!;
    const stored = Number(row.max_seq);
    const projectedSeq = row.projected_seq === null ? null : Number(row.projected_seq);
    // a process without an index goes on from the saved snapshot, if any (else from the store)
    const restored = this.index === undefined && projectedSeq !== null ? await this.restoreSnapshot(client, projectedSeq) : undefined;
    if (restored !== undefined) this.index = restored;
    let engine = this.index !== undefined && this.index.token === row.write_token ? this.index.engine : undefined;
    if (engine === undefined && this.index !== undefined && projectedSeq !== null && projectedSeq >= this.index.engine.lastSeq) {
      // another process projected since our last write: replay what it projected into our index
      engine = this.index.engine;
      this.index = undefined;
      this.stats.catchUps += 1;
      await catchUpIndex(client, this.projection, engine, projectedSeq);
    }
    // The writer records its index's event count with every write (events_applied): an index
    // restored and brought up to projected_seq must count as many (a snapshot of another store
    // or of other code does not). O(1), where counting the store took seconds at 10M events.
    if (engine !== undefined && engine === restored?.engine && engine.events !== Number(row.events_applied)) {
      this.logger.warn('the index restored from its snapshot does not add up to the tables; rebuilding it', { projection: this.projection });
      engine = undefined;
    }
    this.index = undefined;
    let rewrite = false;
    if (engine === undefined) {
      this.stats.rebuilds += 1;
      engine = projectedSeq === null ? undefined : await rebuildIndex(client, this.projection, projectedSeq);
      this.snapshotAt = 0;
      if (engine === undefined) {
        // the tables' content is unknown: rewrite them from the store
        this.logger.info('rewriting the read models from the event store', { projection: this.projection });
        await clearReadModels(client);
        await clearClusters(client, this.projection);
        await clearSnapshot(client, this.projection);
        engine = new IncrementalProjection();
        // written before (a migration or a mismatch asks for the rewrite), not a new version's
        rewrite = row.write_token !== null;
      }
    }
    // A long backlog is projected in several transactions, each committing what it did. Read
    // models written before are rewritten in one, steps and all: readers keep what the tables
    // held (still readable after migrations 008 and 009) until the new content is complete.
    const upTo = rewrite ? stored : Math.min(stored, engine.lastSeq + this.maxPerRecompute);
    this.leftOver = stored - upTo; // (by sequence numbers, which may skip: at most a little early)
    const ctx: StepContext = { client, projection: this.projection, meta: this.meta, freshInserts: this.freshInserts };
    let parked = 0;
    let first = true;
    for (;;) {
      // One step per recomputation: a cluster whose events fall in two steps is projected again
      // in the second (20k-event steps re-projected a fifth of a 100k catch-up).
      const seqs = await seqsAfter(client, engine.lastSeq, upTo, this.maxPerRecompute);
      if (seqs.length === 0) break;
      const loaded = await loadEvents(client, seqs.filter((s) => !this.pending.has(s)));
      const byseq = new Map<number, StoredEvent>(loaded.map((e) => [e.seq, e]));
      const fresh = seqs.map((s) => {
        const p = this.pending.get(s);
        return p === undefined ? byseq.get(s)! : { seq: p.seq, event: JSON.parse(p.json) as DomainEvent, topic: p.topic, partition: p.partition, offset: p.offset };
      });
      // other variants of a (source, id): known for the events this process stored, looked up for the others
      const unsure = fresh.filter((e) => this.variants.get(e.seq) !== false);
      lap('read');
      // The first step's earlier events are all committed (this transaction has written no
      // cluster row yet): they load on another connection, beside its writes. Not in a rewrite,
      // whose transaction deleted the committed cluster rows.
      const step = await projectStep(first && !rewrite ? { ...ctx, reader: this.pool } : ctx, engine, fresh, unsure);
      first = false;
      for (const [k, v] of Object.entries(step.ms)) phases[k as keyof StepTimings] += v;
      timer.restart();
      for (const s of seqs) {
        this.pending.delete(s);
        this.variants.delete(s);
      }
      parked += step.parked;
      this.stats.clusters += step.dirty;
      this.stats.reprojected += step.reprojected;
      this.stats.rows += step.rows;
    }
    for (const s of this.pending.keys()) if (s <= engine.lastSeq) this.pending.delete(s);
    for (const s of this.variants.keys()) if (s <= engine.lastSeq) this.variants.delete(s);
    this.stats.rows += await flushSums(ctx, engine);
    lap('sums');
    // The planner needs statistics for the deletes and loads of later recomputations (without
    // them `= ANY(array)` looks like the whole table and is read in full); tables growing from
    // empty within a catch-up must not wait for autovacuum, which may be slow or off.
    const grown = this.stats.rows - this.rowsAnalyzed;
    if (grown >= Math.max(ANALYZE_MIN_ROWS, this.rowsAnalyzed / 5)) {
      await analyzeTables(client);
      this.rowsAnalyzed = this.stats.rows;
    }
    lap('analyze');
    const token = randomUUID();
    await client.query(
      `INSERT INTO projection_state (projection, events_applied, write_token, projected_seq, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (projection) DO UPDATE SET events_applied = EXCLUDED.events_applied, write_token = EXCLUDED.write_token,
         projected_seq = EXCLUDED.projected_seq, updated_at = now()`,
      [this.projection, engine.events, token, engine.lastSeq],
    );
    // last: these rows are what a store transaction locks
    await markProjectedUpTo(client, this.projection, upTo === stored ? row.offsets : await projectedOffsets(client, row.offsets, upTo, stored));
    if (upTo < stored) this.wanted = true;
    // Becomes current only if the transaction commits (the loop forgets it on failure).
    this.index = { engine, token };
    if (this.pending.size === 0 && this.variants.size === 0) this.dirty = false;
    this.stats.recomputes += 1;
    return parked;
  }
}

function toDeadLetter(topic: string, p: PoisonRecord): DeadLetter {
  return {
    topic,
    partition: p.record.partition,
    offset: p.record.offset,
    key: p.record.key,
    code: p.code,
    error: p.error,
    value: p.record.value,
    headers: p.record.headers,
  };
}

async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}
