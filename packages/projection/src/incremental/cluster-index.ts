/**
 * A 53-bit hash of a string (cyrb53). Keys are kept as their hashes, not as strings: a
 * collision joins two clusters that need not be joined, which costs a recomputation of both
 * and changes no row (clusters are independent), so it needs no check (at 10M keys one is
 * expected with odds of about 1 in 200).
 */
function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A KeyTable's content, as plain typed arrays (see `ClusterIndex.state`). */
export interface KeyTableState {
  readonly hashes: Float64Array<ArrayBuffer>;
  readonly nodes: Int32Array<ArrayBuffer>;
  readonly used: number;
}

/** Open addressing from key hashes to nodes, in typed arrays (12 bytes a slot, 17–34 bytes a key; no strings kept). */
class KeyTable {
  private hashes = new Float64Array(1 << 12);
  private nodes = new Int32Array(1 << 12).fill(-1);
  private used = 0;

  state(): KeyTableState {
    return { hashes: this.hashes, nodes: this.nodes, used: this.used };
  }

  static fromState(s: KeyTableState): KeyTable {
    const size = s.nodes.length;
    if (size !== s.hashes.length || size < 2 || (size & (size - 1)) !== 0 || s.used < 0 || 10 * s.used > 7 * size)
      throw new Error('cluster index state: malformed key table');
    const t = new KeyTable();
    t.hashes = s.hashes;
    t.nodes = s.nodes;
    t.used = s.used;
    return t;
  }

  get(hash: number): number | undefined {
    const mask = this.nodes.length - 1;
    for (let i = hash >>> 0; ; i++) {
      const slot = i & mask;
      const node = this.nodes[slot] as number;
      if (node === -1) return undefined;
      if (this.hashes[slot] === hash) return node;
    }
  }

  set(hash: number, node: number): void {
    // at most 70 % full: short probe sequences, and 17 bytes a key at the fullest
    if (10 * (this.used + 1) > 7 * this.nodes.length) this.grow();
    this.place(hash, node);
    this.used++;
  }

  private place(hash: number, node: number): void {
    const mask = this.nodes.length - 1;
    let slot = (hash >>> 0) & mask;
    while (this.nodes[slot] !== -1) slot = (slot + 1) & mask;
    this.hashes[slot] = hash;
    this.nodes[slot] = node;
  }

  private grow(): void {
    const { hashes, nodes } = this;
    this.hashes = new Float64Array(nodes.length * 2);
    this.nodes = new Int32Array(nodes.length * 2).fill(-1);
    for (let slot = 0; slot < nodes.length; slot++) {
      if (nodes[slot] !== -1) this.place(hashes[slot] as number, nodes[slot] as number);
    }
  }
}

/** A ClusterIndex's content (see `ClusterIndex.state`). */
export interface ClusterIndexState {
  readonly keys: KeyTableState;
  readonly parent: Int32Array<ArrayBuffer>;
  readonly minSeq: Float64Array<ArrayBuffer>;
  readonly events: Int32Array<ArrayBuffer>;
}

/**
 * Union-find over entity keys. A cluster's id is the smallest store sequence number among
 * its events, so the partition and its ids are a function of the stored event set: any
 * process that indexes the same events gets the same ids.
 */
export class ClusterIndex {
  private keys = new KeyTable();
  private parent = new Int32Array(1 << 12);
  private minSeq = new Float64Array(1 << 12);
  /** events per root */
  private events = new Int32Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  node(key: string): number | undefined {
    return this.keys.get(hash53(key));
  }

  /** The node of `key`, created (as its own cluster, id `seq`) when new. */
  nodeFor(key: string, seq: number): number {
    const hash = hash53(key);
    let n = this.keys.get(hash);
    if (n === undefined) {
      n = this.count++;
      if (n === this.parent.length) this.grow();
      this.parent[n] = n;
      this.minSeq[n] = seq;
      this.events[n] = 0;
      this.keys.set(hash, n);
    }
    return n;
  }

  find(n: number): number {
    let root = n;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    for (let cur = n; cur !== root;) {
      const next = this.parent[cur] as number;
      this.parent[cur] = root;
      cur = next;
    }
    return root;
  }

  /** The id of the cluster holding `n`. */
  cluster(n: number): number {
    return this.minSeq[this.find(n)] as number;
  }

  clusterOfKey(key: string): number | undefined {
    const n = this.node(key);
    return n === undefined ? undefined : this.cluster(n);
  }

  /** Joins the clusters of `a` and `b`; returns the root. */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if ((this.events[ra] as number) < (this.events[rb] as number)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.minSeq[ra] = Math.min(this.minSeq[ra] as number, this.minSeq[rb] as number);
    this.events[ra] = (this.events[ra] as number) + (this.events[rb] as number);
    return ra;
  }

  /** Counts one event of sequence `seq` in the cluster of `n`. */
  addEvent(n: number, seq: number): void {
    const r = this.find(n);
    this.events[r] = (this.events[r] as number) + 1;
    this.minSeq[r] = Math.min(this.minSeq[r] as number, seq);
  }

  /** Events counted in the cluster of `n`. */
  eventCount(n: number): number {
    return this.events[this.find(n)] as number;
  }

  /**
   * The index's content as plain typed arrays (shared, not copied: take it between steps and
   * serialise it before the next one). The node arrays are cut to the nodes in use.
   */
  state(): ClusterIndexState {
    return {
      keys: this.keys.state(),
      parent: this.parent.subarray(0, this.count),
      minSeq: this.minSeq.subarray(0, this.count),
      events: this.events.subarray(0, this.count),
    };
  }

  /** An index with the content of `state` (which it takes over); throws when it is not one. */
  static fromState(s: ClusterIndexState): ClusterIndex {
    const count = s.parent.length;
    if (s.minSeq.length !== count || s.events.length !== count) throw new Error('cluster index state: node arrays differ in length');
    const index = new ClusterIndex();
    index.keys = KeyTable.fromState(s.keys);
    if (s.keys.used !== count) throw new Error('cluster index state: keys and nodes differ in number');
    for (let n = 0; n < count; n++) {
      const p = s.parent[n] as number;
      if (p < 0 || p >= count) throw new Error('cluster index state: a parent outside the nodes');
    }
    // room to grow, as after `grow`
    const size = Math.max(1 << 12, Math.ceil(count * 1.5));
    index.parent = new Int32Array(size);
    index.parent.set(s.parent);
    index.minSeq = new Float64Array(size);
    index.minSeq.set(s.minSeq);
    index.events = new Int32Array(size);
    index.events.set(s.events);
    index.count = count;
    return index;
  }

  private grow(): void {
    const size = Math.ceil(this.parent.length * 1.5);
    const parent = new Int32Array(size);
    parent.set(this.parent);
    const minSeq = new Float64Array(size);
    minSeq.set(this.minSeq);
    const events = new Int32Array(size);
    events.set(this.events);
    this.parent = parent;
    this.minSeq = minSeq;
    this.events = events;
  }
}
