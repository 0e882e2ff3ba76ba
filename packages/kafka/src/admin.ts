import type { KafkaHandle } from './client.js';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Topic-level configs, e.g. `{ 'retention.ms': '-1' }`. */
  config?: Record<string, string>;
}

export interface PartitionEnd {
  partition: number;
  /** Offset of the next record to be written (the log end). */
  high: string;
  /** First offset still in the log. */
  low: string;
}

/**
 * Creates the topics that do not exist yet and waits for their leaders (KRaft does not
 * auto-create topics here). Returns the names it created. Existing topics are left as they are.
 */
export async function ensureTopics(handle: KafkaHandle, specs: TopicSpec[]): Promise<string[]> {
  const admin = handle.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.numPartitions,
          replicationFactor: 1,
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics (tests and ops tooling only). */
export async function deleteTopics(handle: KafkaHandle, topics: string[]): Promise<void> {
  const admin = handle.kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

/** Log start and end per partition of a topic, for lag reporting. */
export async function fetchLogEnds(handle: KafkaHandle, topic: string): Promise<PartitionEnd[]> {
  const admin = handle.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, high: o.high, low: o.low }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/** Resolves when a broker answers a metadata request within `timeoutMs`; rejects otherwise. */
export async function pingCluster(handle: KafkaHandle, timeoutMs = 2000): Promise<void> {
  const admin = handle.kafka.admin({ retry: { retries: 0 } });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no broker answered within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.describeCluster();
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

/** Per partition, the first offset whose record timestamp is >= `timestampMs` (the log end when none). */
export async function offsetsForTime(handle: KafkaHandle, topic: string, timestampMs: number): Promise<{ partition: number; offset: string }[]> {
  const admin = handle.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
    const ends = await admin.fetchTopicOffsets(topic);
    return offsets
      .map((o) => ({ partition: o.partition, offset: o.offset === '-1' ? (ends.find((e) => e.partition === o.partition)?.high ?? '0') : o.offset }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
