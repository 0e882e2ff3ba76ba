import type { PoolClient } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import type { ParsedEvent } from '../records.js';

/** A stored event and where it came from. */
export interface StoredEvent {
  seq: number;
  event: DomainEvent;
  topic: string;
  partition: number;
  offset: string;
}

/** Inserts events once per (source, id, variant); returns the ones that were new. */
export async function insertEvents(client: PoolClient, topic: string, events: ParsedEvent[]): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const result = await client.query<{ seq: string; source: string; id: string; variant: string }>(
    `INSERT INTO event_store (source, id, variant, type, subject, time, body, topic, partition, "offset")
     SELECT x.source, x.id, x.variant, x.type, x.subject, x.time::timestamptz, x.body, $2, x.partition, x."offset"
       FROM jsonb_to_recordset($1::jsonb)
         AS x(source text, id text, variant text, type text, subject text, time text, body jsonb, partition integer, "offset" bigint)
     ON CONFLICT (source, id, variant) DO NOTHING
     RETURNING seq, source, id, variant`,
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
  const byVariant = new Map(events.map((p) => [`${p.event.source}\u0000${p.event.id}\u0000${p.variant}`, p]));
  return result.rows.map((r) => {
    const p = byVariant.get(`${r.source}\u0000${r.id}\u0000${r.variant}`)!;
    return { seq: Number(r.seq), event: p.event, topic, partition: p.record.partition, offset: p.record.offset };
  });
}

interface Row {
  seq: string;
  body: DomainEvent;
  topic: string;
  partition: number;
  offset: string;
}
const COLUMNS = `e.seq, e.body, e.topic, e.partition, e."offset"`;
const stored = (r: Row): StoredEvent => ({ seq: Number(r.seq), event: r.body, topic: r.topic, partition: r.partition, offset: r.offset });

/** Up to `limit` sequence numbers after `afterSeq`, in store order. */
export async function seqsAfter(client: PoolClient, afterSeq: number, limit: number): Promise<number[]> {
  const result = await client.query<{ seq: string }>(`SELECT seq FROM event_store WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq, limit]);
  return result.rows.map((r) => Number(r.seq));
}

export async function loadEvents(client: PoolClient, seqs: readonly number[]): Promise<StoredEvent[]> {
  if (seqs.length === 0) return [];
  const result = await client.query<Row>(`SELECT ${COLUMNS} FROM event_store e WHERE e.seq = ANY($1::bigint[]) ORDER BY e.seq`, [seqs]);
  return result.rows.map(stored);
}

/** Every stored variant, up to `upToSeq`, of the (source, id) pairs given that have more than one. */
export async function loadVariants(client: PoolClient, pairs: readonly { source: string; id: string }[], upToSeq: number): Promise<StoredEvent[]> {
  if (pairs.length === 0) return [];
  const result = await client.query<Row>(
    `SELECT ${COLUMNS} FROM event_store e
      WHERE e.seq <= $3 AND (e.source, e.id) IN (
        SELECT s.source, s.id FROM event_store s
          JOIN unnest($1::text[], $2::text[]) AS p(source, id) ON s.source = p.source AND s.id = p.id
         WHERE s.seq <= $3
         GROUP BY s.source, s.id HAVING count(*) > 1)
      ORDER BY e.seq`,
    [pairs.map((p) => p.source), pairs.map((p) => p.id), upToSeq],
  );
  return result.rows.map(stored);
}

/** Every stored variant, up to `upToSeq`, of every (source, id) that has more than one. */
export async function allVariants(client: PoolClient, upToSeq: number): Promise<StoredEvent[]> {
  const result = await client.query<Row>(
    `SELECT ${COLUMNS} FROM event_store e
      WHERE e.seq <= $1 AND (e.source, e.id) IN (
        SELECT source, id FROM event_store WHERE seq <= $1 GROUP BY source, id HAVING count(*) > 1)
      ORDER BY e.seq`,
    [upToSeq],
  );
  return result.rows.map(stored);
}

/** The stored events of the given types up to `upToSeq`. */
export async function eventsOfTypes(client: PoolClient, types: readonly string[], upToSeq: number): Promise<StoredEvent[]> {
  const result = await client.query<Row>(`SELECT ${COLUMNS} FROM event_store e WHERE e.seq <= $1 AND e.type = ANY($2) ORDER BY e.seq`, [upToSeq, types]);
  return result.rows.map(stored);
}

export async function countEvents(client: PoolClient, upToSeq: number): Promise<number> {
  const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM event_store WHERE seq <= $1`, [upToSeq]);
  return Number(result.rows[0]?.n ?? 0);
}
