import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Pool, PoolClient } from '@incidents/db';
import type { DomainEvent } from '@incidents/events';
import { ProblemError } from '@incidents/http';
import { project } from '@incidents/projection';
import type { AsOfCache, AsOfProjection } from './as-of-cache.js';
import { parsePosition, type PositionWaiter } from './position.js';
import { render, send, type Answer, type CacheClass } from './respond.js';
import { ResponseCache, type Rendered } from './response-cache.js';
import { escapeIdentifier, generationKey, GenerationWatch, isMissingRelation, ServingState, type Generation, type StateRow } from './serving.js';
import { overRows } from './tables.js';

/** What a handler reads through: current tables, or an as-of projection behind the same SQL. */
export interface ReadContext {
  /** normalised asOf instant, or null for the current state */
  readonly asOf: string | null;
  /** the position token was not reached in time: the answer may miss the caller's writes */
  readonly stale: boolean;
  /** the projection (version) whose tables answer */
  readonly projection: string;
  /**
   * Runs a statement in the request's snapshot. `prepare: true` keeps it parsed and planned on
   * each connection (named by its text, for the first PREPARED_TEXTS texts): only for statements
   * whose result columns cannot change with the tables (no `*`), as a kept plan must not.
   */
  query<R>(sql: string, values?: readonly unknown[], prepare?: boolean): Promise<R[]>;
}

export interface ReadOptions {
  asOf?: string | undefined;
  position?: string | undefined;
}

export interface AnswerOptions extends ReadOptions {
  shared: boolean;
  cache?: CacheClass;
}

export interface ReadsDeps {
  pool: Pool;
  positions: PositionWaiter;
  cache: AsOfCache;
  /** Current answers by URL and generation; a bound of 0 bytes turns it off. */
  responses?: ResponseCache;
  /** How long before a request a shared generation check may have begun (0: after it arrived). */
  generationWindowMs?: number;
  /** Projection served when no blue/green version serves (the base schema's). */
  projection: string;
  /** The base schema, which holds `projection_versions`. */
  baseSchema: string;
  topic: string;
  positionWaitMs: number;
  /** Most stored events an as-of answer may project (0: no bound). */
  asOfMaxEvents?: number;
}

type Computed = { generation: string | undefined; rendered: Rendered };

const OBSERVED = 'queryGeneration';
type Locals = Record<string, { observed: string | undefined } | undefined>;
/** Data endpoints whose current answers are kept (not /v1/changes, which reads the event store, nor /v1/projections). */
const CACHEABLE_PATH = /^\/v1\/(?!changes(?:\/|$)|projections(?:\/|$))/;
const NOT_CACHED_QUERY = /[?&](?:position|asOf)=/;
/** Statement texts kept prepared (filters and groupings make many texts; each costs memory on every connection). */
const PREPARED_TEXTS = 100;

/**
 * Opens a consistent read for one request: waits for a position token (bounded), then runs
 * the handler in one REPEATABLE READ, READ ONLY transaction. With asOf, every read-model
 * table the handler's SQL names is replaced by the rows of `project(events with time ≤ asOf)`
 * (§5.7), unless asOf is at or after the latest stored event, when the current tables are
 * the same projection.
 *
 * A current answer is a function of the URL and the generation of the serving tables (the
 * serving version and its write token, which the projector changes with every write), so
 * `answer` keeps rendered answers by URL for the latest generation and checks the generation
 * once per request, in a check that starts after the request arrived (shared between
 * concurrent requests). Stale, as-of and live answers are always computed.
 */
export class Reads {
  private readonly serving: ServingState;
  private readonly responses: ResponseCache;
  private readonly watch: GenerationWatch;
  private readonly prepared = new Map<string, string>();

  constructor(private readonly deps: ReadsDeps) {
    this.serving = new ServingState(deps.baseSchema, deps.projection);
    this.responses = deps.responses ?? new ResponseCache(0);
    this.watch = new GenerationWatch(() => this.serving.current(deps.pool), deps.generationWindowMs ?? 0);
  }

  /**
   * Answers a request from the response cache before routing and parameter parsing (an entry
   * exists only for a URL that parsed and answered 200 in the current generation). Requests
   * with a position token or asOf, and live endpoints, go on to their handler.
   */
  cachedAnswers(): RequestHandler {
    return (req, res, next) => {
      if (!this.responses.enabled || (req.method !== 'GET' && req.method !== 'HEAD') || !CACHEABLE_PATH.test(req.path) || NOT_CACHED_QUERY.test(req.originalUrl)) {
        next();
        return;
      }
      this.observe().then((observed) => {
        const hit = observed === undefined ? undefined : this.responses.get(req.originalUrl);
        if (hit !== undefined) {
          send(res, hit);
          return;
        }
        (res.locals as Locals)[OBSERVED] = { observed };
        next();
      }, next);
    };
  }

  /** Loads, renders and sends a JSON answer (from the response cache when it can). */
  async answer<T>(
    req: Request,
    res: Response,
    options: AnswerOptions,
    load: (ctx: ReadContext) => Promise<T>,
    build: (value: T, ctx: ReadContext) => Answer,
  ): Promise<void> {
    const stale = await this.waitFor(options.position);
    const compute = async (): Promise<Computed> => {
      const { value, ctx, generation } = await this.read(options, stale, load);
      return { generation: generation === undefined ? undefined : generationKey(generation), rendered: render(req, ctx, build(value, ctx), options) };
    };
    // Read-your-writes answers are never kept: an entry is served without waiting for a position.
    const cacheable = this.responses.enabled && options.position === undefined && options.asOf === undefined && (options.cache ?? 'data') === 'data';
    if (!cacheable) {
      send(res, (await compute()).rendered);
      return;
    }
    // The fast path's check began after this request arrived: it serves for this request too.
    const observed = (res.locals as Locals)[OBSERVED]?.observed ?? (await this.observe());
    if (observed === undefined) {
      send(res, (await compute()).rendered);
      return;
    }
    const url = req.originalUrl;
    const hit = this.responses.get(url);
    if (hit !== undefined) {
      send(res, hit);
      return;
    }
    const { leader, result } = this.responses.shared(url, compute);
    const shared = leader ? await result : await result.catch(() => undefined);
    // A follower takes the leader's answer only when it comes from the generation it observed.
    const computed = leader || shared?.generation === observed ? shared! : await compute();
    this.responses.set(computed.generation, url, computed.rendered);
    send(res, computed.rendered);
  }

  /** A statement name for `text`, or undefined once PREPARED_TEXTS texts have names (each is kept on every connection). */
  private statementName(text: string): string | undefined {
    let name = this.prepared.get(text);
    if (name === undefined && this.prepared.size < PREPARED_TEXTS) {
      name = `query-${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      this.prepared.set(text, name);
    }
    return name;
  }

  /** The generation now (a check that starts after this call), recorded in the response cache. */
  private async observe(): Promise<string | undefined> {
    const observed = generationKey(await this.watch.current());
    this.responses.observe(observed);
    return observed;
  }

  /** Read-your-writes: false when the position was reached (or none given), true when the wait ran out. */
  private async waitFor(token: string | undefined): Promise<boolean> {
    if (token === undefined) return false;
    const position = parsePosition(token, this.deps.topic);
    return !(await this.deps.positions.wait(position, this.deps.positionWaitMs));
  }

  private async read<T>(
    options: ReadOptions,
    stale: boolean,
    handler: (ctx: ReadContext) => Promise<T>,
  ): Promise<{ value: T; ctx: ReadContext; generation: Generation | undefined }> {
    const client = await this.deps.pool.connect();
    let broken = false;
    try {
      const generation = await this.begin(client);
      const asOf = options.asOf ?? null;
      const rows = asOf === null ? undefined : await this.asOfRows(client, asOf, generation.projection);
      const ctx: ReadContext = {
        asOf,
        stale,
        projection: generation.projection,
        query: async <R>(sql: string, values: readonly unknown[] = [], prepare = false) => {
          if (rows === undefined) {
            const name = prepare ? this.statementName(sql) : undefined;
            const statement = name === undefined ? sql : { name, text: sql };
            return (await client.query(statement, [...values])).rows as R[];
          }
          const { text, tables } = overRows(sql, values.length);
          return rows.rows(text, values, async () => (await client.query(text, [...values, ...tables.map((t) => rows.tableJson(t))])).rows as R[]);
        },
      };
      const value = await handler(ctx);
      await client.query('COMMIT');
      return { value, ctx, generation: asOf === null ? generation : undefined };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * BEGIN and the serving version with its write token in one round trip (a simple query of two
   * statements), so the version is read in the same snapshot as the data and a blue/green
   * switch (one transaction) is seen whole or not at all. Sets the search_path to a version's schema.
   */
  private async begin(client: PoolClient): Promise<Generation> {
    for (let attempt = 0; ; attempt++) {
      const guess = this.serving.guessed;
      let row: StateRow | undefined;
      try {
        const results = (await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${this.serving.sql(guess)}`)) as unknown as { rows: StateRow[] }[];
        row = results[1]?.rows[0];
      } catch (error) {
        await client.query('ROLLBACK');
        if (attempt < 3 && isMissingRelation(error)) {
          this.serving.forget();
          continue;
        }
        throw error;
      }
      let generation = this.serving.read(row, guess);
      if (generation === undefined) {
        // Switched since the last look: the token of the serving schema, in the same snapshot.
        const now = this.serving.guessed;
        generation = this.serving.read((await client.query<StateRow>(this.serving.sql(now))).rows[0], now);
        if (generation === undefined) throw new Error('the serving projection version changed within one snapshot');
      }
      if (generation.schema !== this.deps.baseSchema) {
        await client.query(`SET LOCAL search_path TO ${escapeIdentifier(generation.schema)}, public`);
      }
      return generation;
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
    const bound = this.deps.asOfMaxEvents ?? 0;
    if (bound > 0 && !this.deps.cache.has(key)) {
      // counted along the time index, at most one past the bound
      const over = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM event_store WHERE time <= $1::timestamptz LIMIT $2) x`, [asOf, bound + 1]);
      if (Number(over.rows[0]?.n ?? 0) > bound) throw asOfTooLarge(asOf, bound);
    }
    return this.deps.cache.get(key, async () => {
      // The events up to asOf, plus the later variants of their (source, id): which variant
      // wins does not depend on asOf (§5.1), so a losing variant timed before asOf must not
      // apply just because its winner is timed after it. The variants are looked up from the
      // events read anyway (one primary-key probe each), not from the later part of the store.
      // Probe per event whatever the statistics say (event_store is often not analyzed yet, and
      // then the planner expects millions of matches and sorts the whole store twice).
      await client.query('SET LOCAL enable_mergejoin = off; SET LOCAL enable_hashjoin = off');
      const rows = await client.query<{ seq: string; body: DomainEvent }>(
        `SELECT seq, body FROM event_store WHERE time <= $1::timestamptz
         UNION ALL
         SELECT v.seq, v.body FROM event_store o
           CROSS JOIN LATERAL (SELECT e.seq, e.body FROM event_store e
                                WHERE e.source = o.source AND e.id = o.id AND e.variant <> o.variant AND e.time > $1::timestamptz) v
          WHERE o.time <= $1::timestamptz
         ORDER BY seq`,
        [asOf],
      );
      await client.query('RESET enable_mergejoin; RESET enable_hashjoin');
      // a later variant reached from two earlier ones comes twice
      const bodies = new Map(rows.rows.map((r) => [r.seq, r.body]));
      return { projection: project([...bodies.values()], { asOf }), events: bodies.size };
    });
  }
}

/** The as-of answer would project more stored events than the service is configured for. */
function asOfTooLarge(asOf: string, bound: number): ProblemError {
  const detail = `An answer as of ${asOf} would project more than ${bound} stored events in memory (QUERY_AS_OF_MAX_EVENTS); ask for an earlier asOf, or leave asOf out for the current figures.`;
  return new ProblemError(422, 'as-of-too-large', 'As-of answer too large', detail, [{ parameter: 'asOf', code: 'too_many_events', detail }]);
}
