import type { DomainEvent } from '@incidents/events';
import type { PartitionBatch } from '@incidents/kafka';

/**
 * `list` as the partition batches a consumer of `topic` would get (partitioned by subject,
 * `size` records a batch, offsets from 0 in each partition), for feeding `Projector.handle`
 * without Kafka. `live`: every batch reaches the log end as it was then (a stream, not a backlog).
 */
export function batches(topic: string, list: DomainEvent[], partitions: number, size = 40, live = false): PartitionBatch[] {
  const byPartition = new Map<number, DomainEvent[]>();
  for (const e of list) {
    let h = 0;
    for (const c of e.subject) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    const p = h % partitions;
    byPartition.set(p, [...(byPartition.get(p) ?? []), e]);
  }
  const out: PartitionBatch[] = [];
  for (const [partition, evs] of byPartition) {
    for (let i = 0; i < evs.length; i += size) {
      out.push({
        topic,
        partition,
        records: evs.slice(i, i + size).map((e, k) => ({
          partition,
          offset: String(i + k),
          key: e.subject,
          value: JSON.stringify(e),
          headers: {},
          timestamp: String(Date.parse('2030-01-01T00:00:00Z')),
        })),
        highWatermark: String(live ? Math.min(i + size, evs.length) : evs.length),
        heartbeat: () => Promise.resolve(),
        isActive: () => true,
      });
    }
  }
  return out.sort((a, b) => Number(a.records[0]!.offset) - Number(b.records[0]!.offset) || a.partition - b.partition);
}
