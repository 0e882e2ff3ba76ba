import { randomUUID } from 'node:crypto';
import { isTransientDbError, withTransaction, type Pool, type PoolClient } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import type { PartitionBatch } from '@incidents/kafka';
import { project, type Projection } from '@incidents/projection';
import { withSpan, type Logger } from '@incidents/telemetry';
import { parseRecord, variantOf, type ParsedEvent, type PoisonRecord } from './records.js';
import { parkRecords, type DeadLetter } from './store/dead-letters.js';
import { insertEvents, loadEventsAfter, type StoredEvent } from './store/event-store.js';
import { lockOffset, storeOffset } from './store/offsets.js';
import { readTableMeta, writeReadModels } from './store/read-models.js';

export interface ProjectorStats {
  batches: number;
  events: number;
  duplicates: number;
  parked: number;
  retries: number;
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
 * Applies partition batches to PostgreSQL: stores new events (idempotent by source, id and
 * content), parks poison records, recomputes the read models from the stored event set, and
 * stores the partition's next offset, all in one transaction under the projection's writer
 * lock. A redelivered batch changes nothing.
 */
export class Projector {
  readonly stats: ProjectorStats = { batches: 0, events: 0, duplicates: 0, parked: 0, retries: 0 };
  private snapshot: Snapshot | undefined;
  private meta: Awaited<ReturnType<typeof readTableMeta>> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    private readonly logger: Logger,
    private readonly retryMaxMs = 30_000,
  ) {}

  /** Applies a batch, retrying transient failures with back-off until it succeeds or the batch is revoked. */
  async handle(batch: PartitionBatch): Promise<string> {
    let delay = 100;
    for (;;) {
      try {
        return await withSpan('projector.batch', { 'messaging.kafka.partition': batch.partition, 'messaging.batch.message_count': batch.records.length }, () =>
          this.apply(batch),
        );
      } catch (error) {
        this.snapshot = undefined;
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

  private async apply(batch: PartitionBatch): Promise<string> {
    const parsed = batch.records.map(parseRecord);
    return withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projector:${this.projection}`]);
      const stored = await lockOffset(client, this.projection, batch.topic, batch.partition);
      const fresh = parsed.filter((p) => stored === undefined || BigInt(p.record.offset) >= stored);
      const last = batch.records[batch.records.length - 1]!;
      const next = BigInt(last.offset) + 1n;
      if (fresh.length === 0) return (stored ?? next).toString();

      const events = fresh.filter((p): p is ParsedEvent => p.kind === 'event');
      const poison = fresh.filter((p): p is PoisonRecord => p.kind === 'poison');
      const inserted = await insertEvents(client, batch.topic, events);
      let parked = await parkRecords(client, this.projection, poison.map((p) => toDeadLetter(batch.topic, p)));
      if (inserted > 0 || !this.snapshot) {
        parked += await this.refresh(client);
      }
      const lastTime = events.reduce<string | undefined>((t, e) => (t === undefined || e.event.time > t ? e.event.time : t), undefined);
      await storeOffset(client, this.projection, batch.topic, batch.partition, next, lastTime);
      this.stats.batches += 1;
      this.stats.events += inserted;
      this.stats.duplicates += events.length - inserted;
      this.stats.parked += parked;
      return next.toString();
    }).catch((error: unknown) => {
      this.snapshot = undefined;
      throw error;
    });
  }

  /** Recomputes the read models from the stored events and writes what changed. Returns newly parked variants. */
  private async refresh(client: PoolClient): Promise<number> {
    this.meta ??= await readTableMeta(client);
    const state = await client.query<{ write_token: string }>(`SELECT write_token FROM projection_state WHERE projection = $1`, [this.projection]);
    const tablesToken = state.rows[0]?.write_token;
    const known = this.snapshot && this.snapshot.token === tablesToken ? this.snapshot : undefined;
    const added = await loadEventsAfter(client, known?.lastSeq ?? 0n);
    const stored = known ? known.stored.concat(added) : added;
    const events: DomainEvent[] = stored.map((s) => s.event);
    const next = project(events);
    await writeReadModels(client, this.meta, next, known?.projection);
    const parked = await this.parkRejected(client, next, stored);
    const token = randomUUID();
    await client.query(
      `INSERT INTO projection_state (projection, events_applied, write_token, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (projection) DO UPDATE SET events_applied = EXCLUDED.events_applied, write_token = EXCLUDED.write_token, updated_at = now()`,
      [this.projection, stored.length, token],
    );
    // Becomes current only if the transaction commits (apply() drops it on failure).
    this.snapshot = { stored, lastSeq: stored.at(-1)?.seq ?? 0n, projection: next, token };
    return parked;
  }

  /** Second contents of a known (source, id) lose to the canonical-first one (§5.1): park them. */
  private async parkRejected(client: PoolClient, next: Projection, stored: StoredEvent[]): Promise<number> {
    if (next.rejected.length === 0) return 0;
    const letters: DeadLetter[] = [];
    const wanted = new Set(next.rejected.map((r) => variantOf(r.event)));
    const located = new Map<string, StoredEvent>();
    for (const s of stored) {
      const v = variantOf(s.event);
      if (wanted.has(v)) located.set(v, s);
    }
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
