import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { IncrementalProjection, SNAPSHOT_FORMAT, type EngineSnapshot } from '@incidents/projection';
import type { Queryable } from './serial.js';

/** The snapshot tables (migration 010): the projector's index, saved now and then. */

/** Largest part of a serialised snapshot (one bytea value each). */
export const PART_BYTES = 16 * 1024 * 1024;

export interface SavedSnapshot {
  /** projection_state's write_token and projected_seq when it was taken */
  token: string;
  projectedSeq: number;
  bytes: number;
}

/**
 * Saves the engine's state as the projection's snapshot, replacing the one before, in the
 * caller's transaction (which holds the write lock and has checked that the tables are at
 * `token`). The engine must be between steps, flushed.
 */
export async function saveSnapshot(client: Queryable, projection: string, token: string, engine: IncrementalProjection): Promise<SavedSnapshot> {
  const data = serialize(engine.snapshot());
  const sha256 = createHash('sha256').update(data).digest('hex');
  const parts = Math.max(1, Math.ceil(data.length / PART_BYTES));
  await clearSnapshot(client, projection);
  await client.query(
    `INSERT INTO projection_snapshots (projection, format, projected_seq, write_token, events, bytes, sha256, parts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [projection, SNAPSHOT_FORMAT, engine.lastSeq, token, engine.events, data.length, sha256, parts],
  );
  for (let part = 0; part < parts; part++) {
    await client.query(`INSERT INTO projection_snapshot_parts (projection, part, data) VALUES ($1, $2, $3)`, [
      projection,
      part,
      data.subarray(part * PART_BYTES, (part + 1) * PART_BYTES),
    ]);
  }
  return { token, projectedSeq: engine.lastSeq, bytes: data.length };
}

export type LoadedSnapshot =
  | { kind: 'none' }
  /** present but not usable: the reason, for the log */
  | { kind: 'skipped'; reason: string }
  | { kind: 'restored'; engine: IncrementalProjection; token: string; projectedSeq: number; bytes: number };

/**
 * The projection's snapshot as an engine, if there is one this code can use for tables at
 * `projectedSeq`: of this snapshot format, not ahead of the tables, and not so far behind
 * them that replaying the gap would cost more than rebuilding from the store (a gap larger
 * than what the snapshot covers). The data is checked against its length and SHA-256, and
 * the engine against its own invariants, before it is used.
 */
export async function loadSnapshot(client: Queryable, projection: string, projectedSeq: number): Promise<LoadedSnapshot> {
  const head = await client.query<{ format: number; projected_seq: string; write_token: string; events: string; bytes: string; sha256: string; parts: number }>(
    `SELECT format, projected_seq, write_token, events, bytes, sha256, parts FROM projection_snapshots WHERE projection = $1`,
    [projection],
  );
  const h = head.rows[0];
  if (h === undefined) return { kind: 'none' };
  const seq = Number(h.projected_seq);
  if (h.format !== SNAPSHOT_FORMAT) return { kind: 'skipped', reason: `format ${h.format}, this code reads ${SNAPSHOT_FORMAT}` };
  if (seq > projectedSeq) return { kind: 'skipped', reason: `taken at seq ${seq}, ahead of the tables (${projectedSeq})` };
  if (projectedSeq - seq > seq) return { kind: 'skipped', reason: `taken at seq ${seq}: replaying up to ${projectedSeq} would cost more than a rebuild` };
  const chunks: Buffer[] = [];
  for (let part = 0; part < h.parts; part++) {
    // one part at a time: each comes back as a hex string twice its size
    const r = await client.query<{ data: Buffer }>(`SELECT data FROM projection_snapshot_parts WHERE projection = $1 AND part = $2`, [projection, part]);
    const data = r.rows[0]?.data;
    if (data === undefined) return { kind: 'skipped', reason: `part ${part} of ${h.parts} is missing` };
    chunks.push(data);
  }
  const data = Buffer.concat(chunks);
  chunks.length = 0;
  if (data.length !== Number(h.bytes)) return { kind: 'skipped', reason: `${data.length} bytes, ${h.bytes} saved` };
  if (createHash('sha256').update(data).digest('hex') !== h.sha256) return { kind: 'skipped', reason: 'its SHA-256 does not match' };
  let engine: IncrementalProjection;
  try {
    engine = IncrementalProjection.restore(deserialize(data) as EngineSnapshot);
  } catch (error) {
    return { kind: 'skipped', reason: `not a snapshot: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (engine.lastSeq !== seq || engine.events !== Number(h.events)) return { kind: 'skipped', reason: 'its content does not match its header' };
  return { kind: 'restored', engine, token: h.write_token, projectedSeq: seq, bytes: data.length };
}

/** Drops the projection's snapshot (the tables are being rewritten from the store). */
export async function clearSnapshot(client: Queryable, projection: string): Promise<void> {
  await client.query(`DELETE FROM projection_snapshots WHERE projection = $1`, [projection]);
}
