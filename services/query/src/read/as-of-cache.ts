import type { Projection } from '@incidents/projection';
import type { ReadModelTable } from './tables.js';

/** Query results kept per as-of projection (each names its SQL and parameters). */
const KEPT_RESULTS = 256;

/**
 * A projection of the events with `time ≤ asOf`, with its tables as JSON made on demand, and the
 * results of the statements run over it: the projection never changes, so a statement with the
 * same parameters gives the same rows (where running it again ships the tables to PostgreSQL).
 */
export class AsOfProjection {
  private readonly json = new Map<ReadModelTable, string>();
  private readonly results = new Map<string, Promise<unknown[]>>();
  constructor(readonly projection: Projection) {}

  /** The rows of `run()` for this statement and parameters, from an earlier run when there is one (a copy each time). */
  async rows<R>(text: string, values: readonly unknown[], run: () => Promise<R[]>): Promise<R[]> {
    const key = `${JSON.stringify(values)}\u0000${text}`;
    let kept = this.results.get(key) as Promise<R[]> | undefined;
    if (kept === undefined) {
      kept = run();
      this.results.set(key, kept);
      kept.catch(() => this.results.delete(key));
      if (this.results.size > KEPT_RESULTS) this.results.delete(this.results.keys().next().value as string);
    }
    return structuredClone(await kept);
  }

  tableJson(table: ReadModelTable): string {
    let text = this.json.get(table);
    if (text === undefined) {
      text = JSON.stringify(this.projection[table]);
      this.json.set(table, text);
    }
    return text;
  }
}

/**
 * A small LRU of as-of projections. The key holds the asOf instant, the last stored event and the
 * write token, so any new event (a late one included) makes a new key. Concurrent requests for one
 * key share a single computation. Bounded twice: at most `capacity` projections, and (when
 * `eventBudget` > 0) at most that many projected events in all, the most recent projection kept
 * whatever its size (a projection's memory grows with its events, not with the number of entries).
 */
export class AsOfCache {
  private readonly entries = new Map<string, { projection: Promise<AsOfProjection>; events: number }>();
  constructor(
    private readonly capacity: number,
    private readonly eventBudget = 0,
  ) {}

  /** `compute` gives the projection and how many events it projected. */
  get(key: string, compute: () => Promise<{ projection: Projection; events: number }>): Promise<AsOfProjection> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.projection;
    }
    // (its size is known once computed: 0 until then)
    const entry: { projection: Promise<AsOfProjection>; events: number } = {
      events: 0,
      projection: compute().then(({ projection, events }) => {
        entry.events = events;
        this.evict();
        return new AsOfProjection(projection);
      }),
    };
    if (this.capacity === 0) return entry.projection;
    this.entries.set(key, entry);
    entry.projection.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    this.evict();
    return entry.projection;
  }

  /** Whether `key` is kept (or being computed). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    let events = 0;
    for (const e of this.entries.values()) events += e.events;
    for (const [key, e] of this.entries) {
      const overBudget = this.eventBudget > 0 && events > this.eventBudget;
      if (this.entries.size <= this.capacity && !overBudget) break;
      if (this.entries.size === 1) break; // the most recent stays
      this.entries.delete(key);
      events -= e.events;
    }
  }
}
