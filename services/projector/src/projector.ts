import { randomUUID } from 'node:crypto';
import { isTransientDbError, withTransaction, type Pool, type PoolClient } from '@incidents/db';
import type { PartitionBatch } from '@incidents/kafka';
import { project, type Projection } from '@incidents/projection';
import { withSpan, type Logger } from '@incidents/telemetry';
import { parseRecord, variantOf, type ParsedEvent, type PoisonRecord } from './records.js';
import { parkRecords, type DeadLetter } from './store/dead-letters.js';
import { insertEvents, loadEventsAfter, type StoredEvent } from './store/event-store.js';
import { lockOffset, markProjected, storeOffset } from './store/offsets.js';
import { readTableMeta, writeReadModels } from './store/read-models.js';

export interface ProjectorStats {
  batches: number;
  events: number;
  duplicates: number;
  parked: number;
  retries: number;
  recomputes: number;
}

export interface ProjectorOptions {
  retryMaxMs?: number;
  /** Shortest pause between two recomputations while a backlog is being read, ms. */
  minRecomputeIntervalMs?: number;
}

interface Snapshot {
  /** Every stored event, in store order, and where it came from. */
  stored: StoredEvent[];
  lastSeq: bigint;
  projection: Projection;
  /** The write token of the tables when they last held `projection` (our own write). */
  token: string;
}

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
  readonly stats: ProjectorStats = { batches: 0, events: 0, duplicates: 0, parked: 0, retries: 0, recomputes: 0 };
  private snapshot: Snapshot | undefined;
  private meta: Awaited<ReturnType<typeof readTableMeta>> | undefined;
  private dirty = true;
  private lastRecomputeAt = 0;
  private lastRecomputeMs = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly retryMaxMs: number;
  private readonly minIntervalMs: number;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    private readonly logger: Logger,
    options: ProjectorOptions = {},
  ) {
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.minIntervalMs = options.minRecomputeIntervalMs ?? 200;
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
        this.snapshot = undefined;
        throw error;
      }),
    );
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
      const inserted = await insertEvents(client, batch.topic, events);
      let parked = await parkRecords(client, this.projection, poison.map((p) => toDeadLetter(batch.topic, p)));
      const lastTime = events.reduce<string | undefined>((t, e) => (t === undefined || e.event.time > t ? e.event.time : t), undefined);
      await storeOffset(client, this.projection, batch.topic, batch.partition, next, lastTime);
      if (inserted > 0) this.dirty = true;
      if (this.dirty && this.dueForRecompute()) {
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
      this.snapshot = undefined;
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

  /** Recomputes the read models from the stored events and writes what changed. Returns newly parked variants. */
  private async refresh(client: PoolClient): Promise<number> {
    const started = Date.now();
    this.meta ??= await readTableMeta(client);
    const state = await client.query<{ write_token: string }>(`SELECT write_token FROM projection_state WHERE projection = $1`, [this.projection]);
    const tablesToken = state.rows[0]?.write_token;
    const known = this.snapshot && this.snapshot.token === tablesToken ? this.snapshot : undefined;
    const added = await loadEventsAfter(client, known?.lastSeq ?? 0n);
    const stored = known ? known.stored.concat(added) : added;
    const next = project(stored.map((s) => s.event));
    await writeReadModels(client, this.meta, next, known?.projection);
    const parked = await this.parkRejected(client, next, stored);
    const token = randomUUID();
    await client.query(
      `INSERT INTO projection_state (projection, events_applied, write_token, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (projection) DO UPDATE SET events_applied = EXCLUDED.events_applied, write_token = EXCLUDED.write_token, updated_at = now()`,
      [this.projection, stored.length, token],
    );
    await markProjected(client, this.projection);
    // Becomes current only if the transaction commits (callers drop it on failure).
    this.snapshot = { stored, lastSeq: stored.at(-1)?.seq ?? 0n, projection: next, token };
    this.dirty = false;
    this.stats.recomputes += 1;
    this.lastRecomputeAt = Date.now();
    this.lastRecomputeMs = this.lastRecomputeAt - started;
    return parked;
  }

  /** Second contents of a known (source, id) lose to the canonical-first one (§5.1): park them. */
  private async parkRejected(client: PoolClient, next: Projection, stored: StoredEvent[]): Promise<number> {
    if (next.rejected.length === 0) return 0;
    const wanted = new Set(next.rejected.map((r) => variantOf(r.event)));
    const located = new Map<string, StoredEvent>();
    for (const s of stored) {
      const v = variantOf(s.event);
      if (wanted.has(v)) located.set(v, s);
    }
    const letters: DeadLetter[] = [];
    for (const rejected of next.rejected) {
      const where = located.get(variantOf(rejected.event));
      if (!where) continue;
      letters.push({
        topic: where.topic,
        partition: where.partition,
        offset: where.offset,
        key: rejected.event.subject,
        code: 'conflicting_duplicate',
        error: rejected.reason,
        value: JSON.stringify(rejected.event),
        headers: {},
      });
    }
    return parkRecords(client, this.projection, letters);
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
