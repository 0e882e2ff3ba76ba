import type { Projection } from '@incidents/projection';
import type { ReadModelTable } from './tables.js';

/** A projection of the events with `time ≤ asOf`, with its tables as JSON made on demand. */
export class AsOfProjection {
  private readonly json = new Map<ReadModelTable, string>();
  constructor(readonly projection: Projection) {}

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
 * key share a single computation.
 */
export class AsOfCache {
  private readonly entries = new Map<string, Promise<AsOfProjection>>();
  constructor(private readonly capacity: number) {}

  get(key: string, compute: () => Promise<Projection>): Promise<AsOfProjection> {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = compute().then((p) => new AsOfProjection(p));
    if (this.capacity === 0) return pending;
    this.entries.set(key, pending);
    pending.catch(() => this.entries.delete(key));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }
}
