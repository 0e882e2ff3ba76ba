/**
 * Java client's murmur2 (the hash of Kafka's default partitioner, which kafkajs'
 * DefaultPartitioner reproduces with 64-bit Long objects) in 32-bit integer arithmetic.
 * The same key must keep landing on the same partition: per-subject order depends on it.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[length4 + 2]! << 16;
    if (tail >= 2) h ^= data[length4 + 1]! << 8;
    h ^= data[length4]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/** The partition Kafka's default partitioner chooses for a record key. */
export function partitionForKey(key: string | Uint8Array, partitions: number): number {
  let bytes: Uint8Array;
  if (typeof key === 'string') {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (key.length * 3 > scratch.length) scratch = new Uint8Array(key.length * 3);
    bytes = scratch.subarray(0, encoder.encodeInto(key, scratch).written);
  } else {
    bytes = key;
  }
  return (murmur2(bytes) & 0x7fffffff) % partitions;
}
