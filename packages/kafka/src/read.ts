import { randomUUID } from 'node:crypto';
import type { KafkaHandle } from './client.js';
import { fetchLogEnds } from './admin.js';
import type { IncomingRecord } from './consumer.js';

/**
 * Reads every record of a topic from the log start to the log end as it was when the call
 * began, handing each fetched batch (one partition's records in offset order) to `onBatch`
 * and waiting for it before the next: a slow consumer of the records (a file, a pipe) holds
 * the reading back instead of the records piling up in memory. Partitions interleave as
 * fetched. Rejects when no record arrives for `idleTimeoutMs` (default 30 s).
 */
export async function streamTopic(
  handle: KafkaHandle,
  topic: string,
  onBatch: (partition: number, records: IncomingRecord[]) => Promise<void> | void,
  options: {
    idleTimeoutMs?: number;
    /** Called once with the number of records it will hand over (from the log start to the end it reads to). */
    onTotal?: (records: bigint) => void;
    /** Consumer settings (tests): the group's session timeout (broker minimum 6 s) and the fetch size. */
    sessionTimeoutMs?: number;
    maxBytesPerPartition?: number;
  } = {},
): Promise<void> {
  const ends = await fetchLogEnds(handle, topic);
  const remaining = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  options.onTotal?.(ends.reduce((n, e) => n + BigInt(e.high) - BigInt(e.low), 0n));
  if (remaining.size === 0) return;
  const idleMs = options.idleTimeoutMs ?? 30_000;
  const next = new Map<number, bigint>();
  const consumer = handle.kafka.consumer({
    groupId: `reader-${randomUUID()}`,
    allowAutoTopicCreation: false,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: options.sessionTimeoutMs, heartbeatInterval: Math.floor(options.sessionTimeoutMs / 3) }),
    ...(options.maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition: options.maxBytesPerPartition }),
  });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const idle = () => {
        clearTimeout(timer);
        timer = setTimeout(() => reject(new Error(`reading ${topic}: no record for ${idleMs} ms`)), idleMs);
      };
      idle();
      consumer
        .run({
          autoCommit: false,
          eachBatch: async (payload) => {
            const { batch } = payload;
            const end = remaining.get(batch.partition);
            if (end === undefined) return;
            // (a rejoin may fetch a partition again from its committed offset, i.e. its start:
            // what was handed over already is skipped)
            const from = next.get(batch.partition) ?? 0n;
            const records: IncomingRecord[] = [];
            for (const m of batch.messages) {
              if (BigInt(m.offset) < from) continue;
              if (BigInt(m.offset) >= end) break;
              records.push({
                partition: batch.partition,
                offset: m.offset,
                key: m.key ? m.key.toString('utf8') : null,
                value: m.value ? m.value.toString('utf8') : null,
                headers: Object.fromEntries(
                  Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0]?.toString() : v?.toString()]),
                ),
                timestamp: m.timestamp,
              });
            }
            const last = records.at(-1);
            if (last === undefined) return;
            // (the records are handed over before the partition counts as read to its end)
            clearTimeout(timer);
            try {
              await onBatch(batch.partition, records);
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
              return;
            }
            // bookkept before the heartbeat, which throws when the group dropped this member
            // meanwhile (kafkajs then rejoins: a partition already read must not be waited for)
            next.set(batch.partition, BigInt(last.offset) + 1n);
            if (BigInt(last.offset) + 1n >= end) remaining.delete(batch.partition);
            if (remaining.size === 0) {
              resolve();
              return;
            }
            idle();
            await payload.heartbeat();
          },
        })
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}

/**
 * Every record of a topic from the log start to the log end as it was when the call began
 * (tests), per partition in offset order. Holds them all: `streamTopic` for large logs.
 */
export async function readTopic(handle: KafkaHandle, topic: string, options: { timeoutMs?: number } = {}): Promise<IncomingRecord[]> {
  const records: IncomingRecord[] = [];
  await streamTopic(
    handle,
    topic,
    (_partition, batch) => {
      for (const r of batch) records.push(r);
    },
    { idleTimeoutMs: options.timeoutMs },
  );
  return records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0));
}
