/**
 * Union-find over entity keys. A cluster's id is the smallest store sequence number among
 * its events, so the partition and its ids are a function of the stored event set: any
 * process that indexes the same events gets the same ids.
 */
export class ClusterIndex {
  private readonly nodes = new Map<string, number>();
  private parent = new Int32Array(1 << 12);
  private minSeq = new Float64Array(1 << 12);
  /** events per root */
  private events = new Float64Array(1 << 12);
  private count = 0;

  get size(): number {
    return this.count;
  }

  node(key: string): number | undefined {
    return this.nodes.get(key);
  }

  /** The node of `key`, created (as its own cluster, id `seq`) when new. */
  nodeFor(key: string, seq: number): number {
    let n = this.nodes.get(key);
    if (n === undefined) {
      n = this.count++;
      if (n === this.parent.length) this.grow();
      this.parent[n] = n;
      this.minSeq[n] = seq;
      this.events[n] = 0;
      this.nodes.set(key, n);
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
    const n = this.nodes.get(key);
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

  private grow(): void {
    const size = this.parent.length * 2;
    const parent = new Int32Array(size);
    parent.set(this.parent);
    const minSeq = new Float64Array(size);
    minSeq.set(this.minSeq);
    const events = new Float64Array(size);
    events.set(this.events);
    this.parent = parent;
    this.minSeq = minSeq;
    this.events = events;
  }
}
