import { randomUUID } from 'node:crypto';
import type { KafkaHandle } from './client.js';
import { fetchLogEnds } from './admin.js';
import type { IncomingRecord } from './consumer.js';

/**
 * Reads every record of a topic from the log start to the log end as it was when the call
 * began (ops export, tests). Records come per partition in offset order.
 */
export async function readTopic(
  handle: KafkaHandle,
  topic: string,
  options: { timeoutMs?: number; onRecord?: (r: IncomingRecord) => void } = {},
): Promise<IncomingRecord[]> {
  const ends = await fetchLogEnds(handle, topic);
  const remaining = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  const records: IncomingRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = handle.kafka.consumer({ groupId: `reader-${randomUUID()}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), options.timeoutMs ?? 30_000);
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = remaining.get(batch.partition);
            if (end === undefined) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= end) break;
              const record: IncomingRecord = {
                partition: batch.partition,
                offset: m.offset,
                key: m.key ? m.key.toString('utf8') : null,
                value: m.value ? m.value.toString('utf8') : null,
                headers: Object.fromEntries(
                  Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0]?.toString() : v?.toString()]),
                ),
                timestamp: m.timestamp,
              };
              records.push(record);
              options.onRecord?.(record);
              if (BigInt(m.offset) + 1n >= end) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}
