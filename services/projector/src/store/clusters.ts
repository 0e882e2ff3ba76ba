import type { Queryable } from './serial.js';
import type { StoredEvent } from './event-store.js';

/** The cluster side table (migration 003): which cluster each stored non-reference event is in. */

export async function assignClusters(
  client: Queryable,
  projection: string,
  assignments: readonly { seq: number; cluster: number }[],
): Promise<void> {
  if (assignments.length === 0) return;
  await client.query(
    `INSERT INTO projection_event_clusters (projection, cluster_id, seq)
     SELECT $1, x.cluster_id, x.seq FROM unnest($2::bigint[], $3::bigint[]) AS x(cluster_id, seq)`,
    [projection, assignments.map((a) => a.cluster), assignments.map((a) => a.seq)],
  );
}

export async function relabelClusters(
  client: Queryable,
  projection: string,
  relabels: readonly { from: number; to: number }[],
): Promise<void> {
  if (relabels.length === 0) return;
  await client.query(
    `UPDATE projection_event_clusters c SET cluster_id = r.to_id
       FROM unnest($2::bigint[], $3::bigint[]) AS r(from_id, to_id)
      WHERE c.projection = $1 AND c.cluster_id = r.from_id`,
    [projection, relabels.map((r) => r.from), relabels.map((r) => r.to)],
  );
}

/**
 * The events stored up to `upToSeq` of the given clusters, each cluster's in store order. With
 * `fileUnder` (stored cluster id → id to file its events under), several stored clusters load
 * as one: clusters a step joined, read before its relabels are committed.
 */
export async function loadClusters(
  client: Queryable,
  projection: string,
  clusters: readonly number[],
  upToSeq: number,
  fileUnder?: ReadonlyMap<number, number>,
): Promise<Map<number, StoredEvent[]>> {
  const out = new Map<number, StoredEvent[]>();
  if (clusters.length === 0) return out;
  const result = await client.query<{ cluster_id: string; seq: string; body: StoredEvent['event']; topic: string; partition: number; offset: string }>(
    `SELECT c.cluster_id, e.seq, e.body, e.topic, e.partition, e."offset"
       FROM projection_event_clusters c JOIN event_store e ON e.seq = c.seq
      WHERE c.projection = $1 AND c.cluster_id = ANY($2::bigint[]) AND c.seq <= $3
      ORDER BY c.seq`,
    [projection, clusters, upToSeq],
  );
  for (const r of result.rows) {
    const stored = Number(r.cluster_id);
    const id = fileUnder?.get(stored) ?? stored;
    const ev: StoredEvent = { seq: Number(r.seq), event: r.body, topic: r.topic, partition: r.partition, offset: r.offset };
    const list = out.get(id);
    if (list === undefined) out.set(id, [ev]);
    else list.push(ev);
  }
  return out;
}

/** Cluster ids in order with their number of events, up to `upToSeq`. */
export async function clusterSizes(client: Queryable, projection: string, upToSeq: number): Promise<{ id: number; size: number }[]> {
  const result = await client.query<{ cluster_id: string; n: string }>(
    `SELECT cluster_id, count(*) AS n FROM projection_event_clusters WHERE projection = $1 AND seq <= $2 GROUP BY cluster_id ORDER BY cluster_id`,
    [projection, upToSeq],
  );
  return result.rows.map((r) => ({ id: Number(r.cluster_id), size: Number(r.n) }));
}

export async function clearClusters(client: Queryable, projection: string): Promise<void> {
  await client.query(`DELETE FROM projection_event_clusters WHERE projection = $1`, [projection]);
}
