import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { KafkaHandle } from './client.js';

export interface IncomingRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string | undefined>;
  /** Broker/producer timestamp of the record, ms since epoch as a string. */
  timestamp: string;
}

export interface PartitionBatch {
  topic: string;
  partition: number;
  records: IncomingRecord[];
  /** Offset of the last record the broker had for the partition at fetch time. */
  highWatermark: string;
  /** Keeps the group membership alive during long work (retries). */
  heartbeat: () => Promise<void>;
  /** False once the consumer is stopping or the partition was revoked. */
  isActive: () => boolean;
}

export interface BatchConsumerOptions {
  topic: string;
  groupId: string;
  /**
   * Returns the next offset to read for a partition, as stored by the application
   * (undefined = from the beginning). Called whenever the partition is (re)assigned.
   */
  storedOffset: (partition: number) => Promise<string | undefined>;
  /**
   * Applies one partition's batch and stores its next offset in the same transaction.
   * Returns the next offset it stored; records below it are never delivered again
   * to this process unless the group rebalances. Returning an offset below the batch's
   * first record makes the consumer seek back there (replay).
   */
  handleBatch: (batch: PartitionBatch) => Promise<string>;
  /** Upper bound of the bytes fetched per partition, to keep batches (and transactions) bounded. */
  maxBytesPerPartition?: number;
  /** How long the broker may hold a fetch when there is no data, ms (latency vs. idle requests). */
  maxWaitTimeMs?: number;
  /** Called when the consumer crashed and will not restart by itself. */
  onCrash?: (error: Error) => void;
  /**
   * How often to compare the stored offsets of the assigned partitions with the positions
   * read, ms (0 = never). A stored offset moved back by another tool (a replay) makes the
   * consumer seek there at once, not only when the partition's next record arrives.
   */
  recheckStoredMs?: number;
  /**
   * Partitions whose batches may be handled at the same time (default 1). Batches of one
   * partition are always handled one after the other.
   */
  partitionsConcurrently?: number;
  /**
   * Called after every (re)assignment with this member's partitions: a member that took over
   * partitions read to their end gets no batch for them, so work left by the previous owner
   * must be looked for here.
   */
  onAssigned?: (partitions: number[]) => void;
}

export interface RunningConsumer {
  stop(): Promise<void>;
  /** Partitions currently assigned to this member. */
  assigned(): number[];
}

/**
 * Runs a consumer-group member whose offsets live outside Kafka: on every assignment it
 * seeks to the stored offsets, and it skips records below them (a redelivery after a
 * rebalance), so the application's transaction is the only commit that counts. Kafka
 * commits still happen, for monitoring tools only.
 */
export async function startBatchConsumer(
  handle: KafkaHandle,
  options: BatchConsumerOptions,
): Promise<RunningConsumer> {
  const consumer: Consumer = handle.kafka.consumer({
    groupId: options.groupId,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
    maxWaitTimeInMs: options.maxWaitTimeMs ?? 250,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    allowAutoTopicCreation: false,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  let assigned: number[] = [];
  const expected = new Map<number, bigint>();

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assigned = [...(event.payload.memberAssignment[options.topic] ?? [])].sort((a, b) => a - b);
    expected.clear();
    options.onAssigned?.(assigned);
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) options.onCrash?.(event.payload.error);
  });

  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: true,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
    eachBatch: async (payload: EachBatchPayload) => {
      const { batch } = payload;
      let next = expected.get(batch.partition);
      if (next === undefined) {
        next = BigInt((await options.storedOffset(batch.partition)) ?? '0');
        expected.set(batch.partition, next);
      }
      const first = batch.messages[0];
      if (first && BigInt(first.offset) > next) {
        // Kafka's committed offset is ahead of ours: go back to what the store says.
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: next.toString() });
        return;
      }
      const last = batch.messages.at(-1);
      if (last && BigInt(last.offset) < next) {
        // The whole batch lies below the stored offset (a new group starts from the beginning;
        // a rebalance redelivers): jump to the stored offset instead of fetching up to it.
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: next.toString() });
        return;
      }
      const from = next;
      const records: IncomingRecord[] = batch.messages
        .filter((m) => BigInt(m.offset) >= from)
        .map((m) => ({
          partition: batch.partition,
          offset: m.offset,
          key: m.key ? m.key.toString('utf8') : null,
          value: m.value ? m.value.toString('utf8') : null,
          headers: Object.fromEntries(
            Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0]?.toString() : v?.toString()]),
          ),
          timestamp: m.timestamp,
        }));
      if (records.length === 0 || !payload.isRunning() || payload.isStale()) return;
      const stored = await options.handleBatch({
        topic: batch.topic,
        partition: batch.partition,
        records,
        highWatermark: batch.highWatermark,
        heartbeat: () => payload.heartbeat(),
        isActive: () => payload.isRunning() && !payload.isStale(),
      });
      expected.set(batch.partition, BigInt(stored));
      if (BigInt(stored) < BigInt(records[0]!.offset)) {
        // The application's stored offset lies before this batch (a replay was requested).
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: stored });
        return;
      }
      payload.resolveOffset((BigInt(stored) - 1n).toString());
      await payload.heartbeat();
    },
  });

  // A replay moves stored offsets back while a partition may be idle: look for that now and then.
  let rechecking = false;
  const recheck = async () => {
    if (rechecking) return;
    rechecking = true;
    try {
      for (const partition of assigned) {
        const position = expected.get(partition);
        if (position === undefined) continue;
        const read = await options.storedOffset(partition);
        if (read === undefined) continue;
        const stored = BigInt(read);
        if (stored < position && expected.get(partition) === position) {
          expected.set(partition, stored);
          consumer.seek({ topic: options.topic, partition, offset: stored.toString() });
        }
      }
    } catch {
      // The store is unreachable for now: the next batch or the next look will tell.
    } finally {
      rechecking = false;
    }
  };
  const recheckMs = options.recheckStoredMs ?? 0;
  const timer = recheckMs > 0 ? setInterval(() => void recheck(), recheckMs) : undefined;
  timer?.unref();

  return {
    assigned: () => assigned,
    stop: async () => {
      if (timer) clearInterval(timer);
      await consumer.disconnect();
    },
  };
}
