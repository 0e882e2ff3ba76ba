// Topic creation against the real broker: a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION for
// a moment after it created a topic, so ensureTopics must only return once every partition has a
// leader, however many callers create topics at once.
import { EventLogProducer, ensureTopics, fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { testKafka, uniqueName } from '../../../test/support/infra.js';

let kafka: KafkaHandle;

beforeAll(() => {
  kafka = testKafka('admin-int');
});

const name = () => uniqueName('admin').replace(/_/g, '-');

describe('ensureTopics', () => {
  it('returns with every partition led, for many topics created at once, and records can be written at once', async () => {
    const topics = Array.from({ length: 12 }, name);
    const created = await Promise.all(topics.map((topic) => ensureTopics(kafka, [{ topic, numPartitions: 3 }])));
    expect(created).toEqual(topics.map((t) => [t]));

    const ends = await Promise.all(topics.map((t) => fetchLogEnds(kafka, t)));
    for (const e of ends) expect(e.map((p) => [p.partition, p.high])).toEqual([[0, '0'], [1, '0'], [2, '0']]);

    for (const topic of topics) {
      const producer = new EventLogProducer(kafka, { topic });
      try {
        expect((await producer.publish([{ key: 'k', value: 'v' }])).map((r) => r.offset)).toEqual(['0']);
      } finally {
        await producer.stop();
      }
    }
    const after = await Promise.all(topics.map((t) => fetchLogEnds(kafka, t)));
    expect(after.map((e) => e.reduce((n, p) => n + Number(p.high), 0))).toEqual(topics.map(() => 1));
  });

  it('leaves an existing topic as it is and creates only the missing ones', async () => {
    const [a, b] = [name(), name()];
    expect(await ensureTopics(kafka, [{ topic: a, numPartitions: 2 }])).toEqual([a]);
    expect(await ensureTopics(kafka, [{ topic: a, numPartitions: 5 }, { topic: b, numPartitions: 1 }])).toEqual([b]);
    expect((await fetchLogEnds(kafka, a)).length).toBe(2);
    expect((await fetchLogEnds(kafka, b)).length).toBe(1);
  });

  it('rejects an invalid topic name with the broker error and creates nothing', async () => {
    const bad = `bad topic ${name()}`;
    await expect(ensureTopics(kafka, [{ topic: bad, numPartitions: 1 }])).rejects.toThrow();
    const admin = kafka.kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(bad);
    } finally {
      await admin.disconnect();
    }
  });
});
