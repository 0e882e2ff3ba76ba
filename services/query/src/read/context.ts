import { servingProjection, type Pool, type PoolClient } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import { project } from '@incidents/projection';
import type { AsOfCache, AsOfProjection } from './as-of-cache.js';
import { parsePosition, type PositionWaiter } from './position.js';
import { overRows } from './tables.js';

/** What a handler reads through: current tables, or an as-of projection behind the same SQL. */
export interface ReadContext {
  /** normalised asOf instant, or null for the current state */
  readonly asOf: string | null;
  /** the position token was not reached in time: the answer may miss the caller's writes */
  readonly stale: boolean;
  query<R>(sql: string, values?: readonly unknown[]): Promise<R[]>;
}

export interface ReadOptions {
  asOf?: string | undefined;
  position?: string | undefined;
}

export interface ReadsDeps {
  pool: Pool;
  positions: PositionWaiter;
  cache: AsOfCache;
  /** Projection served when no blue/green version serves (the base schema's). */
  projection: string;
  /** The base schema, which holds `projection_versions`. */
  baseSchema: string;
  topic: string;
  positionWaitMs: number;
}

/**
 * Opens a consistent read for one request: waits for a position token (bounded), then runs
 * the handler in one REPEATABLE READ, READ ONLY transaction. With asOf, every read-model
 * table the handler's SQL names is replaced by the rows of `project(events with time ≤ asOf)`
 * (§5.7), unless asOf is at or after the latest stored event, when the current tables are
 * the same projection.
 */
export class Reads {
  constructor(private readonly deps: ReadsDeps) {}

  async run<T>(options: ReadOptions, handler: (ctx: ReadContext) => Promise<T>): Promise<{ value: T; ctx: ReadContext }> {
    let stale = false;
    if (options.position !== undefined) {
      const position = parsePosition(options.position, this.deps.topic);
      stale = !(await this.deps.positions.wait(position, this.deps.positionWaitMs));
    }
    const client = await this.deps.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // Blue/green: read the version that serves, in the same snapshot as the data, so a
      // switch (one transaction) is seen whole or not at all.
      const serving = await servingProjection(client, this.deps.baseSchema);
      const projection = serving.schema === this.deps.baseSchema ? this.deps.projection : serving.name;
      if (serving.schema !== this.deps.baseSchema) {
        await client.query(`SELECT set_config('search_path', $1, true)`, [`"${serving.schema}", public`]);
      }
      const asOf = options.asOf ?? null;
      const rows = asOf === null ? undefined : await this.asOfRows(client, asOf, projection);
      const ctx: ReadContext = {
        asOf,
        stale,
        query: async <R>(sql: string, values: readonly unknown[] = []) => {
          if (rows === undefined) return (await client.query(sql, [...values])).rows as R[];
          const { text, tables } = overRows(sql, values.length);
          return (await client.query(text, [...values, ...tables.map((t) => rows.tableJson(t))])).rows as R[];
        },
      };
      const value = await handler(ctx);
      await client.query('COMMIT');
      return { value, ctx };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** The as-of projection, or undefined when the current tables already answer for asOf. */
  private async asOfRows(client: PoolClient, asOf: string, projection: string): Promise<AsOfProjection | undefined> {
    // The current tables answer for asOf when no stored event is later than asOf and the
    // tables reflect every stored event (no partition stored beyond what was projected).
    const state = await client.query<{ covers_all: boolean; max_seq: string | null; write_token: string | null }>(
      `SELECT coalesce((SELECT max(time) FROM event_store) <= $1::timestamptz, true)
              AND NOT EXISTS (SELECT 1 FROM projector_offsets o WHERE o.projection = $2 AND o.projected_next_offset <> o.next_offset)
                AS covers_all,
              (SELECT max(seq) FROM event_store) AS max_seq,
              (SELECT write_token FROM projection_state WHERE projection = $2) AS write_token`,
      [asOf, projection],
    );
    const s = state.rows[0];
    if (s === undefined || s.covers_all) return undefined;
    const key = `${projection}|${asOf}|${s.max_seq ?? ''}|${s.write_token ?? ''}`;
    return this.deps.cache.get(key, async () => {
      const events = await client.query<{ body: DomainEvent }>('SELECT body FROM event_store WHERE time <= $1::timestamptz ORDER BY seq', [asOf]);
      return project(
        events.rows.map((r) => r.body),
        { asOf },
      );
    });
  }
}
