import { ClusterIndex } from './cluster-index.js';

describe('ClusterIndex', () => {
  it('gives each key one node, through the growth of its tables, and knows no other key', () => {
    const index = new ClusterIndex();
    const keys = Array.from({ length: 50_000 }, (_, i) => `incident/i-${i}`);
    const nodes = keys.map((k, i) => index.nodeFor(k, i + 1));
    expect(new Set(nodes).size).toBe(keys.length);
    expect(index.size).toBe(keys.length);
    expect(keys.map((k, i) => index.nodeFor(k, 999_999) === nodes[i]).every(Boolean)).toBe(true);
    expect(keys.map((k, i) => index.node(k) === nodes[i]).every(Boolean)).toBe(true);
    expect(index.node('incident/i-50000')).toBeUndefined();
    expect(index.clusterOfKey('claim/i-1')).toBeUndefined();
    expect(index.size).toBe(keys.length);
  });

  it('names a cluster by its smallest sequence number and counts its events across unions', () => {
    const index = new ClusterIndex();
    const a = index.nodeFor('incident/a', 7);
    const b = index.nodeFor('incident/b', 3);
    const c = index.nodeFor('claim/c', 9);
    index.addEvent(a, 7);
    index.addEvent(b, 3);
    index.addEvent(c, 9);
    index.union(a, c);
    expect([index.cluster(a), index.cluster(c), index.cluster(b)]).toEqual([7, 7, 3]);
    index.union(c, b);
    expect([index.clusterOfKey('incident/a'), index.eventCount(b)]).toEqual([3, 3]);
  });
});
