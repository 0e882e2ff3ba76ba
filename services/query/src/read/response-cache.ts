/** A JSON answer ready to send: headers in the order they are set, the body bytes and its ETag. */
export interface Rendered {
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  readonly etag: string;
}

/** Per entry beyond its body and key: the headers, the map slot, the Buffer object. */
const ENTRY_OVERHEAD = 512;

interface Entry {
  rendered: Rendered;
  /** read since it was kept or last given a second chance */
  used: boolean;
}

/**
 * Current answers by URL, for one generation of the read models at a time (an answer is a
 * function of the URL and the generation). Seeing a new generation drops every entry; an
 * answer computed from another generation than the latest seen is not kept. Bounded in bytes,
 * evicting by second chance (CLOCK, an approximation of LRU): a hit only marks its entry, so
 * it never reorders the map (a delete and re-insert per hit made hits 1.5× slower with the
 * cache full); eviction skips marked entries once. An answer bigger than an eighth of the
 * bound is never kept.
 */
export class ResponseCache {
  private generation: string | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<{ generation: string | undefined; rendered: Rendered }>>();
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** Records the generation a check just read: entries of an older one go. */
  observe(generation: string | undefined): void {
    if (generation === this.generation) return;
    this.generation = generation;
    this.entries.clear();
    this.pending.clear();
    this.used = 0;
  }

  get(url: string): Rendered | undefined {
    const hit = this.entries.get(url);
    if (hit === undefined) return undefined;
    hit.used = true;
    return hit.rendered;
  }

  /** Keeps an answer computed in a snapshot of `generation` when that is the latest generation seen. */
  set(generation: string | undefined, url: string, rendered: Rendered): void {
    if (generation === undefined || generation !== this.generation) return;
    const size = this.sizeOf(url, rendered);
    if (size > this.maxBytes / 8) return;
    const old = this.entries.get(url);
    if (old !== undefined) {
      this.entries.delete(url);
      this.used -= this.sizeOf(url, old.rendered);
    }
    while (this.used + size > this.maxBytes) {
      const [oldestUrl, oldest] = this.entries.entries().next().value as [string, Entry];
      this.entries.delete(oldestUrl);
      if (oldest.used) {
        // Second chance: read since it was kept, so it goes to the back unmarked.
        oldest.used = false;
        this.entries.set(oldestUrl, oldest);
      } else {
        this.used -= this.sizeOf(oldestUrl, oldest.rendered);
      }
    }
    this.entries.set(url, { rendered, used: false });
    this.used += size;
  }

  /**
   * Concurrent misses of one URL in one generation share one computation: the first caller
   * computes, the others wait for it (and compute themselves if it fails or saw another generation).
   */
  shared(
    url: string,
    compute: () => Promise<{ generation: string | undefined; rendered: Rendered }>,
  ): { leader: boolean; result: Promise<{ generation: string | undefined; rendered: Rendered }> } {
    const running = this.pending.get(url);
    if (running !== undefined) return { leader: false, result: running };
    const result = compute();
    this.pending.set(url, result);
    const clear = () => {
      if (this.pending.get(url) === result) this.pending.delete(url);
    };
    result.then(clear, clear);
    return { leader: true, result };
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get current(): string | undefined {
    return this.generation;
  }

  private sizeOf(url: string, rendered: Rendered): number {
    return rendered.body.length + 2 * url.length + ENTRY_OVERHEAD;
  }
}
