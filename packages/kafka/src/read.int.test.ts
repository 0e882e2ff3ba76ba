// Reading a whole topic with streamTopic against the real broker.
import { EventLogProducer, ensureTopics, streamTopic, type KafkaHandle } from '@incidents/kafka';
import { testKafka, uniqueName } from '../../../test/support/infra.js';

let kafka: KafkaHandle;

beforeAll(() => {
  kafka = testKafka('read-int');
});

async function topicWith(n: number): Promise<string> {
  const topic = uniqueName('read').replace(/_/g, '-');
  await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
  const producer = new EventLogProducer(kafka, { topic });
  try {
    await producer.publish(Array.from({ length: n }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` })));
  } finally {
    await producer.stop();
  }
  return topic;
}

it('hands every record over once, per partition in offset order, each batch after the last was handled', async () => {
  const topic = await topicWith(500);
  const seen = new Map<number, string[]>();
  let handling = false;
  await streamTopic(
    kafka,
    topic,
    async (partition, records) => {
      expect(handling).toBe(false);
      handling = true;
      await new Promise((r) => setTimeout(r, 5));
      seen.set(partition, [...(seen.get(partition) ?? []), ...records.map((r) => r.offset)]);
      handling = false;
    },
    { maxBytesPerPartition: 2048 },
  );
  const all = [...seen.values()].flat();
  expect(all).toHaveLength(500);
  for (const offsets of seen.values()) expect(offsets).toEqual(offsets.map((_, i) => String(i)));
});

it('goes on when a handler slower than the session timeout gets it dropped from its group: every record once, none waited for again', async () => {
  const topic = await topicWith(300);
  const values: string[] = [];
  let slow = true;
  await streamTopic(
    kafka,
    topic,
    async (_partition, records) => {
      if (slow) {
        slow = false;
        // no heartbeat for longer than the session: the broker drops the member, which rejoins
        await new Promise((r) => setTimeout(r, 9_000));
      }
      values.push(...records.map((r) => r.value!));
    },
    { sessionTimeoutMs: 6_000, maxBytesPerPartition: 1024, idleTimeoutMs: 60_000 },
  );
  // (before, the partition handed over during the slow handler was never marked read, and the
  // reader waited for it until its idle timeout)
  expect(values).toHaveLength(300);
  expect(new Set(values).size).toBe(300);
}, 90_000);
