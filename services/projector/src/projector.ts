import { randomUUID } from 'node:crypto';
import { isTransientDbError, withTransaction, type Pool, type PoolClient } from '@incidents/db';
import type { PartitionBatch } from '@incidents/kafka';
import { IncrementalProjection } from '@incidents/projection';
import { withSpan, type Logger } from '@incidents/telemetry';
import { projectStep, rebuildIndex } from './incremental.js';
import { parseRecord, type ParsedEvent, type PoisonRecord } from './records.js';
import { clearClusters } from './store/clusters.js';
import { parkRecords, type DeadLetter } from './store/dead-letters.js';
import { insertEvents, loadEvents, seqsAfter, type StoredEvent } from './store/event-store.js';
import { lockOffset, markProjected, storeOffset } from './store/offsets.js';
import { clearReadModels, readTableMeta } from './store/read-models.js';

export interface ProjectorStats {
  batches: number;
  events: number;
  duplicates: number;
  parked: number;
  retries: number;
  recomputes: number;
  /** full rebuilds of the in-memory index from the store (start, another writer, failure) */
  rebuilds: number;
  /** clusters recomputed */
  clusters: number;
}

export interface ProjectorOptions {
  retryMaxMs?: number;
  /** Shortest pause between two recomputations while a backlog is being read, ms. */
  minRecomputeIntervalMs?: number;
  /** Stored events awaiting projection that force a recomputation (bounds memory). */
  maxPendingEvents?: number;
}

interface Index {
  engine: IncrementalProjection;
  /** The write token of the tables when they last reflected `engine` (our own write). */
  token: string;
}

/** Events read from the store per incremental step (bounds memory). */
const STEP_EVENTS = 20_000;

/**
 * Applies partition batches to PostgreSQL in two steps that share one guarantee (a crash or
 * a redelivery never double-counts):
 * 1. store: new events once per (source, id, content) in `event_store`, poison records in
 *    `dead_letters`, and the partition's next offset, in one transaction;
 * 2. project: recompute the read models from the stored event set (a pure function of the
 *    set, events.md §5.2), write the rows that changed and mark the offsets they reflect,
 *    in one transaction.
 * Step 2 runs in a batch's transaction at most once per four times its own duration, so
 * reading a backlog stays linear in the log, and in the background once no batch arrived
 * for `minRecomputeIntervalMs`, so a quiet stream is projected at once.
 * All writes take the projection's advisory lock: one writer at a time.
 */
export class Projector {
  readonly stats: ProjectorStats = { batches: 0, events: 0, duplicates: 0, parked: 0, retries: 0, recomputes: 0, rebuilds: 0, clusters: 0 };
  private index: Index | undefined;
  /** Events this process stored that the read models do not reflect yet, by seq. */
  private pending = new Map<number, StoredEvent>();
  private meta: Awaited<ReturnType<typeof readTableMeta>> | undefined;
  private dirty = true;
  private lastRecomputeAt = 0;
  private lastRecomputeMs = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly retryMaxMs: number;
  private readonly minIntervalMs: number;
  private readonly maxPending: number;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    private readonly logger: Logger,
    options: ProjectorOptions = {},
  ) {
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.minIntervalMs = options.minRecomputeIntervalMs ?? 200;
    this.maxPending = options.maxPendingEvents ?? 20_000;
  }

  /** Applies a batch, retrying transient failures with back-off until it succeeds or the batch is revoked. */
  async handle(batch: PartitionBatch): Promise<string> {
    let delay = 100;
    for (;;) {
      try {
        return await this.exclusive(() =>
          withSpan('projector.batch', { 'messaging.kafka.partition': batch.partition, 'messaging.batch.message_count': batch.records.length }, () =>
            this.apply(batch),
          ),
        );
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

  /** Recomputes the read models now if stored events are not reflected yet. */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    await this.exclusive(() =>
      withTransaction(this.pool, async (client) => {
        await this.lock(client);
        await this.refresh(client);
      }).catch((error: unknown) => {
        this.forget();
        throw error;
      }),
    );
  }

  /** After a failed transaction the index and the pending events may not match the store. */
  private forget(): void {
    this.index = undefined;
    this.pending.clear();
  }

  /** Stops the background recomputation timer. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.flushTimer);
  }

  /** True when every stored event is reflected in the read models this process wrote. */
  isClean(): boolean {
    return !this.dirty;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.busy.then(fn, fn);
    this.busy = run.catch(() => undefined);
    return run;
  }

  private lock(client: PoolClient): Promise<unknown> {
    return client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projector:${this.projection}`]);
  }

  private async apply(batch: PartitionBatch): Promise<string> {
    const parsed = batch.records.map(parseRecord);
    const last = batch.records[batch.records.length - 1]!;
    const next = BigInt(last.offset) + 1n;
    const result = await withTransaction(this.pool, async (client) => {
      await this.lock(client);
      const stored = await lockOffset(client, this.projection, batch.topic, batch.partition);
      // The stored offset was moved back (ops replay): read again from there, skip nothing.
      if (stored !== undefined && stored < BigInt(batch.records[0]!.offset)) return stored.toString();
      const fresh = parsed.filter((p) => stored === undefined || BigInt(p.record.offset) >= stored);
      if (fresh.length === 0) return (stored ?? next).toString();

      const events = fresh.filter((p): p is ParsedEvent => p.kind === 'event');
      const poison = fresh.filter((p): p is PoisonRecord => p.kind === 'poison');
      const added = await insertEvents(client, batch.topic, events);
      const inserted = added.length;
      for (const e of added) this.pending.set(e.seq, e);
      let parked = await parkRecords(client, this.projection, poison.map((p) => toDeadLetter(batch.topic, p)));
      const lastTime = events.reduce<string | undefined>((t, e) => (t === undefined || e.event.time > t ? e.event.time : t), undefined);
      await storeOffset(client, this.projection, batch.topic, batch.partition, next, lastTime);
      if (inserted > 0) this.dirty = true;
      if (this.dirty && (this.dueForRecompute() || this.pending.size >= this.maxPending)) {
        parked += await this.refresh(client);
      } else {
        // Nothing new to project (or later, in bulk): the read models already reflect these offsets.
        if (!this.dirty) await markProjected(client, this.projection, { topic: batch.topic, partition: batch.partition });
      }
      this.stats.batches += 1;
      this.stats.events += inserted;
      this.stats.duplicates += events.length - inserted;
      this.stats.parked += parked;
      return next.toString();
    }).catch((error: unknown) => {
      this.forget();
      this.dirty = true;
      throw error;
    });
    if (this.dirty) this.scheduleFlush();
    return result;
  }

  private dueForRecompute(): boolean {
    const gap = Math.max(this.minIntervalMs, 4 * this.lastRecomputeMs);
    return Date.now() - this.lastRecomputeAt >= gap;
  }

  /** Debounced: the background recomputation runs once no batch arrived for `minRecomputeIntervalMs`. */
  private scheduleFlush(): void {
    if (this.stopped) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush().catch((error: unknown) => {
        this.logger.warn('background recomputation failed; will retry', { error });
        this.scheduleFlush();
      });
    }, this.minIntervalMs);
    this.flushTimer.unref();
  }

  /**
   * Brings the read models to every stored event: the index is rebuilt from the store when
   * another writer wrote since our last write (or at start), then each step projects the
   * clusters the new events reach. Returns newly parked variants.
   */
  private async refresh(client: PoolClient): Promise<number> {
    const started = Date.now();
    this.meta ??= await readTableMeta(client);
    const state = await client.query<{ write_token: string; projected_seq: string | null }>(
      `SELECT write_token, projected_seq FROM projection_state WHERE projection = $1`,
      [this.projection],
    );
    const row = state.rows[0];
    let engine = this.index !== undefined && this.index.token === row?.write_token ? this.index.engine : undefined;
    this.index = undefined;
    if (engine === undefined) {
      this.stats.rebuilds += 1;
      engine = row?.projected_seq == null ? undefined : await rebuildIndex(client, this.projection, Number(row.projected_seq));
      if (engine === undefined) {
        // the tables' content is unknown: rewrite them from the store
        this.logger.info('rewriting the read models from the event store', { projection: this.projection });
        await clearReadModels(client);
        await clearClusters(client, this.projection);
        engine = new IncrementalProjection();
      }
      for (const seq of this.pending.keys()) if (seq <= engine.lastSeq) this.pending.delete(seq);
    }
    let parked = 0;
    for (;;) {
      const seqs = await seqsAfter(client, engine.lastSeq, STEP_EVENTS);
      if (seqs.length === 0) break;
      const loaded = new Map((await loadEvents(client, seqs.filter((s) => !this.pending.has(s)))).map((e) => [e.seq, e]));
      const fresh = seqs.map((s) => (this.pending.get(s) ?? loaded.get(s))!);
      const step = await projectStep({ client, projection: this.projection, meta: this.meta }, engine, fresh);
      for (const s of seqs) this.pending.delete(s);
      parked += step.parked;
      this.stats.clusters += step.dirty;
    }
    const token = randomUUID();
    await client.query(
      `INSERT INTO projection_state (projection, events_applied, write_token, projected_seq, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (projection) DO UPDATE SET events_applied = EXCLUDED.events_applied, write_token = EXCLUDED.write_token,
         projected_seq = EXCLUDED.projected_seq, updated_at = now()`,
      [this.projection, engine.events, token, engine.lastSeq],
    );
    await markProjected(client, this.projection);
    // Becomes current only if the transaction commits (callers forget it on failure).
    this.index = { engine, token };
    this.dirty = false;
    this.stats.recomputes += 1;
    this.lastRecomputeAt = Date.now();
    this.lastRecomputeMs = this.lastRecomputeAt - started;
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
