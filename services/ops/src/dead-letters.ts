import type { Pool } from '@incidents/db';
import { EventLogProducer, type KafkaHandle } from '@incidents/kafka';

export interface DeadLetterRow {
  dead_letter_id: string;
  projection: string;
  topic: string;
  partition: number;
  offset: string;
  record_key: string | null;
  error_code: string;
  error: string;
  raw_value: string | null;
  status: 'parked' | 'retried' | 'discarded';
  created_at: string;
  resolved_at: string | null;
  resolution_note: string | null;
}

const COLUMNS = `dead_letter_id, projection, topic, partition, "offset", record_key, error_code, error, raw_value, status,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
  to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS resolved_at, resolution_note`;

export class DeadLetterError extends Error {
  constructor(
    readonly code: 'not_found' | 'not_parked',
    message: string,
  ) {
    super(message);
  }
}

export async function listDeadLetters(pool: Pool, projection: string, status?: string, limit = 100): Promise<DeadLetterRow[]> {
  const r = await pool.query<DeadLetterRow>(
    `SELECT ${COLUMNS} FROM dead_letters WHERE projection = $1 AND ($2::text IS NULL OR status = $2) ORDER BY dead_letter_id LIMIT $3`,
    [projection, status ?? null, limit],
  );
  return r.rows;
}

export async function showDeadLetter(pool: Pool, projection: string, id: string): Promise<DeadLetterRow> {
  if (!/^\d{1,18}$/.test(id)) throw new DeadLetterError('not_found', `dead letter ${id} does not exist`);
  const r = await pool.query<DeadLetterRow>(`SELECT ${COLUMNS} FROM dead_letters WHERE projection = $1 AND dead_letter_id = $2`, [projection, id]);
  const row = r.rows[0];
  if (!row) throw new DeadLetterError('not_found', `dead letter ${id} does not exist`);
  return row;
}

/**
 * Sends a parked record back through the log (same key and value, new offset), so the
 * projector applies it with its current rules; the dead letter stays as an audit row marked
 * `retried`. A record that is still invalid is parked again under its new offset.
 */
export async function retryDeadLetter(pool: Pool, kafka: KafkaHandle, projection: string, topic: string, id: string): Promise<{ partition: number; offset: string }> {
  const row = await showDeadLetter(pool, projection, id);
  if (row.status !== 'parked') throw new DeadLetterError('not_parked', `dead letter ${id} is already ${row.status}`);
  const producer = new EventLogProducer(kafka, { topic });
  try {
    const [published] = await producer.publish([
      { key: row.record_key ?? '', value: row.raw_value ?? '', headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8' } },
    ]);
    await pool.query(
      `UPDATE dead_letters SET status = 'retried', resolved_at = now(), resolution_note = $3 WHERE projection = $1 AND dead_letter_id = $2`,
      [projection, id, `re-published at partition ${published!.partition} offset ${published!.offset}`],
    );
    return published!;
  } finally {
    await producer.stop();
  }
}

/** Marks a parked record as discarded; the row stays, with the reason and time, for audit. */
export async function discardDeadLetter(pool: Pool, projection: string, id: string, reason: string): Promise<void> {
  const row = await showDeadLetter(pool, projection, id);
  if (row.status !== 'parked') throw new DeadLetterError('not_parked', `dead letter ${id} is already ${row.status}`);
  await pool.query(
    `UPDATE dead_letters SET status = 'discarded', resolved_at = now(), resolution_note = $3 WHERE projection = $1 AND dead_letter_id = $2 AND status = 'parked'`,
    [projection, id, reason],
  );
}
