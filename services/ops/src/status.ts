import type { Pool } from '@incidents/db';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';

export interface PartitionStatus {
  partition: number;
  /** Next offset whose event is stored (consumed exactly once). */
  stored_offset: string | null;
  /** Next offset the read models reflect. */
  projected_offset: string | null;
  log_end: string;
  lag_events: string;
  /** Age in seconds of the oldest unprojected event's record, null when caught up or unknown. */
  lag_seconds: number | null;
}

export interface ProjectionStatus {
  projection: string;
  topic: string;
  partitions: PartitionStatus[];
  lag_events: string;
  dead_letters: { parked: number; retried: number; discarded: number };
  events_applied: number | null;
  /** The projector's last saved index snapshot (a process that starts goes on from it), if any. */
  index_snapshot: { projected_seq: string; events: number; bytes: number; taken_at: string } | null;
}

/** Per partition: what the projection has stored against what the log holds. */
export async function projectionStatus(pool: Pool, kafka: KafkaHandle, projection: string, topic: string, schema?: string, now = new Date()): Promise<ProjectionStatus> {
  const q = schema ? `"${schema}".` : '';
  const ends = await fetchLogEnds(kafka, topic);
  const stored = await pool.query<{ partition: number; next_offset: string; projected_next_offset: string; updated_at: Date }>(
    `SELECT partition, next_offset, projected_next_offset, updated_at FROM ${q}projector_offsets WHERE projection = $1 AND topic = $2`,
    [projection, topic],
  );
  const byPartition = new Map(stored.rows.map((r) => [r.partition, r]));
  const partitions = ends.map((end) => {
    const row = byPartition.get(end.partition);
    const next = row ? BigInt(row.projected_next_offset) : BigInt(end.low);
    const lag = BigInt(end.high) > next ? BigInt(end.high) - next : 0n;
    return {
      partition: end.partition,
      stored_offset: row?.next_offset ?? null,
      projected_offset: row?.projected_next_offset ?? null,
      log_end: end.high,
      lag_events: lag.toString(),
      // Lag in time: how long ago the partition last advanced while events wait to be projected.
      lag_seconds: lag > 0n && row ? Math.max(0, Math.round((now.getTime() - row.updated_at.getTime()) / 1000)) : lag > 0n ? null : 0,
    };
  });
  const letters = await pool.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM ${q}dead_letters WHERE projection = $1 GROUP BY status`,
    [projection],
  );
  const count = (s: string) => Number(letters.rows.find((r) => r.status === s)?.n ?? 0);
  const state = await pool.query<{ events_applied: string }>(`SELECT events_applied FROM ${q}projection_state WHERE projection = $1`, [projection]);
  const snapshot = await pool.query<{ projected_seq: string; events: string; bytes: string; taken_at: Date }>(
    `SELECT projected_seq, events, bytes, taken_at FROM ${q}projection_snapshots WHERE projection = $1`,
    [projection],
  );
  const snap = snapshot.rows[0];
  return {
    projection,
    topic,
    partitions,
    lag_events: partitions.reduce((sum, p) => sum + BigInt(p.lag_events), 0n).toString(),
    dead_letters: { parked: count('parked'), retried: count('retried'), discarded: count('discarded') },
    events_applied: state.rows[0] ? Number(state.rows[0].events_applied) : null,
    index_snapshot: snap ? { projected_seq: snap.projected_seq, events: Number(snap.events), bytes: Number(snap.bytes), taken_at: snap.taken_at.toISOString() } : null,
  };
}
