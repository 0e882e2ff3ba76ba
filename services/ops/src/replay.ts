import type { Pool } from '@incidents/db';
import { fetchLogEnds, offsetsForTime, type KafkaHandle } from '@incidents/kafka';
import { OpsError } from './versions.js';

export interface ReplayPlan {
  partition: number;
  from: string;
  stored: string;
}

/**
 * Moves the stored offsets of the serving projection back so the projector reads the log
 * again from there. Safe because applying an event twice changes nothing: the projector
 * keeps every applied (source, id, content) and skips it, and a parked record is parked once
 * per position. Refused where the log no longer holds the records (retention) or where
 * nothing would be re-read.
 */
export async function replay(
  pool: Pool,
  kafka: KafkaHandle,
  topic: string,
  projection: string,
  schema: string,
  from: { offset?: bigint; timeMs?: number },
  partition?: number,
): Promise<ReplayPlan[]> {
  const ends = await fetchLogEnds(kafka, topic);
  if (partition !== undefined && !ends.some((e) => e.partition === partition)) {
    throw new OpsError('refused', `topic ${topic} has no partition ${partition} (it has ${ends.length})`);
  }
  const targets =
    from.timeMs !== undefined
      ? await offsetsForTime(kafka, topic, from.timeMs)
      : ends.map((e) => ({ partition: e.partition, offset: (from.offset ?? 0n).toString() }));
  const stored = await pool.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset FROM "${schema}".projector_offsets WHERE projection = $1 AND topic = $2`,
    [projection, topic],
  );
  const plan: ReplayPlan[] = [];
  for (const end of ends) {
    if (partition !== undefined && end.partition !== partition) continue;
    const target = BigInt(targets.find((t) => t.partition === end.partition)?.offset ?? end.high);
    const current = stored.rows.find((r) => r.partition === end.partition);
    if (!current) continue;
    if (target < BigInt(end.low)) {
      throw new OpsError(
        'refused',
        `partition ${end.partition} no longer holds offset ${target} (the log starts at ${end.low}): a replay cannot bring back what retention deleted; use 'rebuild' instead`,
      );
    }
    if (target < BigInt(current.next_offset)) plan.push({ partition: end.partition, from: target.toString(), stored: current.next_offset });
  }
  if (plan.length === 0) {
    throw new OpsError('refused', 'nothing to replay: the projection has not read past that point yet');
  }
  await pool.query(
    `UPDATE "${schema}".projector_offsets AS o SET next_offset = x.from_offset, updated_at = now()
       FROM unnest($3::int[], $4::bigint[]) AS x(partition, from_offset)
      WHERE o.projection = $1 AND o.topic = $2 AND o.partition = x.partition AND o.next_offset > x.from_offset`,
    [projection, topic, plan.map((p) => p.partition), plan.map((p) => p.from)],
  );
  return plan;
}
