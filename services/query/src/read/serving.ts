import { createHash } from 'node:crypto';
import type { Pool } from '@incidents/db';

/** The read models that serve, and which content of them: a change of either is a new generation. */
export interface Generation {
  /** schema of the serving tables */
  readonly schema: string;
  /** projection whose offsets and state those tables have */
  readonly projection: string;
  /**
   * `projection_state.write_token`, which the projector changes with every write of the tables,
   * and the xmin of that row (any update of it, token changed or not, is a new generation); null
   * before the first write
   */
  readonly token: string | null;
}

export function generationKey(g: Generation): string | undefined {
  return g.token === null ? undefined : `${g.schema}\u0000${g.projection}\u0000${g.token}`;
}

export interface StateRow {
  version: string | null;
  version_schema: string | null;
  token: string | null;
}

const UNDEFINED_TABLE = '42P01';
const INVALID_SCHEMA = '3F000';

/**
 * Reads the serving blue/green version and the write token of its tables in one statement
 * (one snapshot, one round trip). The token is read from the schema that served last time
 * (`guess`): right unless a switch happened since, in which case the caller reads it again.
 */
export class ServingState {
  private guess: { schema: string; projection: string };

  constructor(
    private readonly baseSchema: string,
    private readonly baseProjection: string,
  ) {
    this.guess = { schema: baseSchema, projection: baseProjection };
  }

  /** The statement, with the guessed schema and projection inlined (quoted): it can follow BEGIN in one simple query. */
  sql(guess = this.guess): string {
    const table = guess.schema === this.baseSchema ? 'projection_state' : `${escapeIdentifier(guess.schema)}.projection_state`;
    return `SELECT v.name AS version, v.schema_name AS version_schema,
        (SELECT write_token || '/' || xmin::text FROM ${table} WHERE projection = ${escapeLiteral(guess.projection)}) AS token
   FROM (VALUES (1)) AS one LEFT JOIN projection_versions v ON v.state = 'serving'`;
  }

  /** The generation a row of `sql()` shows, or undefined when the guess was wrong (now corrected: ask again). */
  read(row: StateRow | undefined, guess = this.guess): Generation | undefined {
    const serving =
      row?.version_schema == null || row.version_schema === this.baseSchema
        ? { schema: this.baseSchema, projection: this.baseProjection }
        : { schema: row.version_schema, projection: row.version ?? this.baseProjection };
    if (serving.schema !== guess.schema || serving.projection !== guess.projection) {
      this.guess = serving;
      return undefined;
    }
    return { ...serving, token: row?.token ?? null };
  }

  private named: { text: string; name: string } | undefined;

  /** The prepared statement's name for `text` (one text per guess; hashed once, not per request). */
  private statementName(text: string): string {
    if (this.named?.text !== text) this.named = { text, name: `query-generation-${createHash('sha1').update(text).digest('hex').slice(0, 16)}` };
    return this.named.name;
  }

  /** The current generation, in one statement outside any transaction (its own snapshot). */
  async current(pool: Pool): Promise<Generation> {
    for (let attempt = 0; ; attempt++) {
      const guess = this.guess;
      let rows: StateRow[];
      try {
        // Prepared per connection (named by its text): parsed and planned once.
        const text = this.sql(guess);
        rows = (await pool.query<StateRow>({ name: this.statementName(text), text })).rows;
      } catch (error) {
        // The guessed version's schema is gone (dropped after a switch): start from the base.
        if (attempt < 3 && isMissingRelation(error)) {
          this.forget();
          continue;
        }
        throw error;
      }
      const generation = this.read(rows[0], guess);
      if (generation !== undefined) return generation;
      if (attempt >= 3) throw new Error('the serving projection version kept changing');
    }
  }

  /** Back to the base schema (the guessed version's schema is gone). */
  forget(): void {
    this.guess = { schema: this.baseSchema, projection: this.baseProjection };
  }

  /** The guessed serving schema's name and projection (for SQL that must follow the guess). */
  get guessed(): { schema: string; projection: string } {
    return this.guess;
  }
}

export function isMissingRelation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === UNDEFINED_TABLE || code === INVALID_SCHEMA;
}

export function escapeIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** As pg's escapeLiteral (names are validated before they get here; this is the second fence). */
export function escapeLiteral(value: string): string {
  const quoted = `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted}` : quoted;
}

/**
 * Shares generation checks between concurrent requests. With `windowMs` 0 a caller never gets a
 * check that began before it called: it joins the next check, never the running one, so a write
 * committed before the request is always seen (as a per-request read would). With a window, a
 * caller may take a check that began at most `windowMs` before it called (running or done).
 */
export class GenerationWatch {
  private running: { startedAt: number; result: Promise<Generation> } | undefined;
  private last: { startedAt: number; result: Promise<Generation> } | undefined;
  private next: Promise<Generation> | undefined;

  constructor(
    private readonly check: () => Promise<Generation>,
    private readonly windowMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {}

  current(): Promise<Generation> {
    if (this.windowMs > 0) {
      const since = this.now() - this.windowMs;
      if (this.running !== undefined && this.running.startedAt >= since) return this.running.result;
      if (this.last !== undefined && this.last.startedAt >= since) return this.last.result;
    }
    if (this.next !== undefined) return this.next;
    if (this.running === undefined) return this.launch();
    const done = () => undefined;
    this.next = this.running.result.then(done, done).then(() => {
      this.next = undefined;
      return this.launch();
    });
    return this.next;
  }

  private launch(): Promise<Generation> {
    const check = { startedAt: this.now(), result: this.check() };
    this.running = check;
    check.result.then(
      () => {
        if (this.running === check) this.running = undefined;
        this.last = check;
      },
      () => {
        if (this.running === check) this.running = undefined;
      },
    );
    return check.result;
  }
}
