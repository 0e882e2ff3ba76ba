import type { Pool, PoolClient } from '@incidents/db';

/** The stored next offset of a partition, locking the row for this transaction. */
export async function lockOffset(client: PoolClient, projection: string, topic: string, partition: number): Promise<bigint | undefined> {
  const result = await client.query<{ next_offset: string }>(
    `SELECT next_offset FROM projector_offsets WHERE projection = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
    [projection, topic, partition],
  );
  const row = result.rows[0];
  return row ? BigInt(row.next_offset) : undefined;
}

export async function storeOffset(
  client: PoolClient,
  projection: string,
  topic: string,
  partition: number,
  next: bigint,
  lastEventTime: string | undefined,
): Promise<void> {
  await client.query(
    `INSERT INTO projector_offsets (projection, topic, partition, next_offset, last_event_time, updated_at)
     VALUES ($1, $2, $3, $4, $5::timestamptz, now())
     ON CONFLICT (projection, topic, partition)
     DO UPDATE SET next_offset = EXCLUDED.next_offset,
                   last_event_time = COALESCE(EXCLUDED.last_event_time, projector_offsets.last_event_time),
                   updated_at = now()`,
    [projection, topic, partition, next.toString(), lastEventTime ?? null],
  );
}

/** The stored next offset of a partition (no lock), for assignment-time seeks. */
export async function readOffset(pool: Pool, projection: string, topic: string, partition: number): Promise<string | undefined> {
  const result = await pool.query<{ next_offset: string }>(
    `SELECT next_offset FROM projector_offsets WHERE projection = $1 AND topic = $2 AND partition = $3`,
    [projection, topic, partition],
  );
  return result.rows[0]?.next_offset;
}

/**
 * Records that the read models reflect the stored offsets given (read with the events they
 * account for). Never moves back: after a replay the read models still reflect what they did.
 */
export async function markProjectedUpTo(
  client: PoolClient,
  projection: string,
  offsets: readonly { topic: string; partition: number; next_offset: string }[],
): Promise<void> {
  if (offsets.length === 0) return;
  await client.query(
    `UPDATE projector_offsets o SET projected_next_offset = x.next_offset
       FROM unnest($2::text[], $3::integer[], $4::bigint[]) AS x(topic, partition, next_offset)
      WHERE o.projection = $1 AND o.topic = x.topic AND o.partition = x.partition AND o.projected_next_offset < x.next_offset`,
    [projection, offsets.map((o) => o.topic), offsets.map((o) => o.partition), offsets.map((o) => o.next_offset)],
  );
}
