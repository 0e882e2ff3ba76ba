import type { PoolClient } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import type { ParsedEvent } from '../records.js';

export interface StoredEvent {
  seq: bigint;
  event: DomainEvent;
  topic: string;
  partition: number;
  offset: string;
}

/** Inserts events once per (source, id, variant); returns how many were new. */
export async function insertEvents(client: PoolClient, topic: string, events: ParsedEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO event_store (source, id, variant, type, subject, time, body, topic, partition, "offset")
     SELECT x.source, x.id, x.variant, x.type, x.subject, x.time::timestamptz, x.body, $2, x.partition, x."offset"
       FROM jsonb_to_recordset($1::jsonb)
         AS x(source text, id text, variant text, type text, subject text, time text, body jsonb, partition integer, "offset" bigint)
     ON CONFLICT (source, id, variant) DO NOTHING`,
    [
      JSON.stringify(
        events.map((p) => ({
          source: p.event.source,
          id: p.event.id,
          variant: p.variant,
          type: p.event.type,
          subject: p.event.subject,
          time: p.event.time,
          body: p.event,
          partition: p.record.partition,
          offset: p.record.offset,
        })),
      ),
      topic,
    ],
  );
  return result.rowCount ?? 0;
}

/** Events stored after `afterSeq`, in insertion order. */
export async function loadEventsAfter(client: PoolClient, afterSeq: bigint): Promise<StoredEvent[]> {
  const result = await client.query<{ seq: string; body: DomainEvent; topic: string; partition: number; offset: string }>(
    `SELECT seq, body, topic, partition, "offset" FROM event_store WHERE seq > $1 ORDER BY seq`,
    [afterSeq.toString()],
  );
  return result.rows.map((r) => ({ seq: BigInt(r.seq), event: r.body, topic: r.topic, partition: r.partition, offset: r.offset }));
}
