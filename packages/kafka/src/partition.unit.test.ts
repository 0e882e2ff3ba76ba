import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { murmur2, partitionForKey } from './partition.js';

describe('partition of a record key', () => {
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])("hashes %p as the Java client's Utils.murmur2 does", (key, hash) => {
    expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it("chooses the partition kafkajs' default partitioner chooses, for any key and partition count", () => {
    const choose = kafkajs.Partitioners.DefaultPartitioner();
    const keys = ['', 'a', 'incident/8b1e', 'ünïcödé/事件/🚀', 'x'.repeat(300)];
    for (let i = 0; i < 2000; i++) keys.push(randomBytes(i % 97).toString(i % 2 === 0 ? 'hex' : 'latin1'));
    let mismatches = 0;
    for (const partitions of [1, 6, 7, 64, 1000]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, id) => ({ partitionId: id, leader: 1, replicas: [1], isr: [1], offlineReplicas: [], partitionErrorCode: 0 }));
      for (const key of keys) {
        const expected = choose({ topic: 't', partitionMetadata, message: { key, value: null } });
        if (partitionForKey(key, partitions) !== expected || partitionForKey(Buffer.from(key), partitions) !== expected) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);
  });
});
