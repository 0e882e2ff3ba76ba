import type { Admin } from 'kafkajs';
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
 * Creates the topics that do not exist yet and waits until every partition has a leader
 * (KRaft does not auto-create topics here). Returns the names it created. Existing topics
 * are left as they are.
 */
export async function ensureTopics(handle: KafkaHandle, specs: TopicSpec[], timeoutMs = 30_000): Promise<string[]> {
  const admin = handle.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      // kafkajs's own `waitForLeaders` gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft
      // broker answers for a moment after it created the topic; so wait here instead.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((s) => ({
          topic: s.topic,
          numPartitions: s.numPartitions,
          replicationFactor: 1,
          configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(admin, missing, timeoutMs);
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}

// kafkajs names error 6 NOT_LEADER_FOR_PARTITION (Kafka's NOT_LEADER_OR_FOLLOWER).
const PROPAGATING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER']);

async function waitForLeaders(admin: Admin, specs: TopicSpec[], timeoutMs: number): Promise<void> {
  const topics = specs.map((s) => s.topic);
  await whilePropagating(`topics ${topics.join(', ')}`, timeoutMs, async () => {
    const meta = await admin.fetchTopicMetadata({ topics });
    const ready = specs.every((s) => {
      const t = meta.topics.find((m) => m.name === s.topic);
      return t !== undefined && t.partitions.length === s.numPartitions && t.partitions.every((p) => p.leader >= 0);
    });
    if (!ready) return undefined;
    // Metadata names a leader a moment before that leader answers for the partition
    // (ListOffsets gave NOT_LEADER_OR_FOLLOWER right after: a CI failure of 2026-12-07).
    for (const topic of topics) await admin.fetchTopicOffsets(topic);
    return true;
  });
}

/**
 * Runs `attempt` until it gives a value, retrying while the broker is still propagating a
 * new topic (the errors of `PROPAGATING`, or `undefined` from `attempt`), with backoff up to
 * `timeoutMs`. Any other error is thrown at once.
 */
export async function whilePropagating<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    let last: string;
    try {
      const value = await attempt();
      if (value !== undefined) return value;
      last = 'partitions without a leader';
    } catch (err) {
      const type = (err as { type?: unknown }).type;
      if (typeof type !== 'string' || !PROPAGATING.has(type)) throw err;
      last = type;
    }
    if (Date.now() + delay > deadline) throw new Error(`${what} not ready after ${timeoutMs} ms (${last})`);
    await new Promise((resolve) => setTimeout(resolve, delay));
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
    // A topic created a moment ago may still answer NOT_LEADER_OR_FOLLOWER.
    const offsets = await whilePropagating(`topic ${topic}`, 10_000, () => admin.fetchTopicOffsets(topic));
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
