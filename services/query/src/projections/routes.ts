import { Router } from 'express';
import { listVersions, servingProjection, type Pool } from '@incidents/db';
import { parseParams, ProjectionParams } from '../params.js';

export interface LogEnd {
  partition: number;
  /** offset of the next record to be written */
  high: string;
}

/** Reads the log end of every partition of a topic (Kafka admin), or rejects. */
export type LogEnds = (topic: string) => Promise<LogEnd[]>;

interface OffsetRow {
  projection: string;
  topic: string;
  partition: number;
  next_offset: string;
  projected_next_offset: string;
  last_event_time: Date | null;
  updated_at: Date;
}

const TIMEOUT_MS = 1500;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /v1/projections`: per projection and partition, the stored next offset, the log end,
 * and the lag in events and seconds. Lag in seconds is 0 when caught up, else the time since
 * the partition's checkpoint last advanced (an upper bound of how long pending events waited).
 */
export function projectionRoutes(pool: Pool, topic: string, logEnds: LogEnds | undefined, now: () => Date, baseSchema = 'public'): Router {
  const router = Router();
  router.get('/v1/projections', async (req, res) => {
    parseParams(ProjectionParams, req.query);
    const serving = await servingProjection(pool, baseSchema);
    const versions = await listVersions(pool);
    const schemas = [{ schema: baseSchema, state: serving.schema === baseSchema ? 'serving' : 'idle' }, ...versions.map((v) => ({ schema: v.schema_name, state: v.state }))];
    const stateOf = new Map<string, { schema: string; state: string }>();
    const offsets = { rows: [] as OffsetRow[] };
    const states = { rows: [] as { projection: string; events_applied: string; updated_at: Date }[] };
    const letters = { rows: [] as { projection: string; n: string }[] };
    for (const { schema, state } of schemas) {
      const q = `"${schema}".`;
      const [o, st, l] = await Promise.all([
        pool.query<OffsetRow>(`SELECT * FROM ${q}projector_offsets ORDER BY projection, topic, partition`),
        pool.query<{ projection: string; events_applied: string; updated_at: Date }>(`SELECT projection, events_applied, updated_at FROM ${q}projection_state`),
        pool.query<{ projection: string; n: string }>(`SELECT projection, count(*) AS n FROM ${q}dead_letters WHERE status = 'parked' GROUP BY projection`),
      ]);
      offsets.rows.push(...o.rows);
      states.rows.push(...st.rows);
      letters.rows.push(...l.rows);
      for (const name of new Set([...o.rows.map((r) => r.projection), ...st.rows.map((r) => r.projection)])) stateOf.set(name, { schema, state });
    }
    let kafka: 'ok' | 'unreachable' | 'not_configured' = 'not_configured';
    const ends = new Map<string, bigint>();
    if (logEnds !== undefined) {
      const topics = [...new Set([topic, ...offsets.rows.map((o) => o.topic)])];
      try {
        for (const t of topics) for (const e of await withTimeout(logEnds(t), TIMEOUT_MS)) ends.set(`${t}/${e.partition}`, BigInt(e.high));
        kafka = 'ok';
      } catch {
        kafka = 'unreachable';
      }
    }
    const names = [...new Set([...offsets.rows.map((o) => o.projection), ...states.rows.map((s) => s.projection)])].sort();
    const at = now().getTime();
    const projections = names.map((name) => {
      const state = states.rows.find((s) => s.projection === name);
      const mine = offsets.rows.filter((o) => o.projection === name);
      // Partitions of the topic that the projector has never stored an offset for lag from 0.
      const seen = new Set(mine.map((o) => `${o.topic}/${o.partition}`));
      const unseen = [...ends.entries()]
        .filter(([k, high]) => k.startsWith(`${topic}/`) && !seen.has(k) && high > 0n)
        .map(([k, high]) => ({ topic, partition: Number(k.slice(topic.length + 1)), next: 0n, stored: 0n, high, updated: null, last: null }));
      const partitions = [
        ...mine.map((o) => ({
          topic: o.topic,
          partition: o.partition,
          next: BigInt(o.projected_next_offset),
          stored: BigInt(o.next_offset),
          high: ends.get(`${o.topic}/${o.partition}`),
          updated: o.updated_at,
          last: o.last_event_time,
        })),
        ...unseen,
      ].map((o) => {
        const lag = o.high === undefined ? null : o.high > o.next ? Number(o.high - o.next) : 0;
        return {
          topic: o.topic,
          partition: o.partition,
          next_offset: o.next.toString(),
          stored_offset: o.stored.toString(),
          log_end: o.high === undefined ? null : o.high.toString(),
          lag_events: lag,
          lag_seconds: lag === null ? null : lag === 0 ? 0 : o.updated === null ? null : Math.max(0, (at - o.updated.getTime()) / 1000),
          last_event_time: o.last?.toISOString() ?? null,
          updated_at: o.updated?.toISOString() ?? null,
        };
      });
      const known = partitions.filter((x) => x.lag_events !== null);
      return {
        projection: name,
        schema: stateOf.get(name)?.schema ?? baseSchema,
        state: (stateOf.get(name)?.state ?? 'idle') as 'serving' | 'building' | 'retired' | 'scratch' | 'idle',
        events_applied: state ? Number(state.events_applied) : null,
        updated_at: state?.updated_at.toISOString() ?? null,
        dead_letters: Number(letters.rows.find((l) => l.projection === name)?.n ?? 0),
        lag_events: known.length === partitions.length && partitions.length > 0 ? known.reduce((s, x) => s + (x.lag_events ?? 0), 0) : null,
        lag_seconds: partitions.some((x) => x.lag_seconds === null) ? null : Math.max(0, ...partitions.map((x) => x.lag_seconds ?? 0)),
        partitions,
      };
    });
    res.setHeader('Cache-Control', 'private, no-cache');
    res.json({ kafka, serving: serving.name, projections });
  });
  return router;
}
