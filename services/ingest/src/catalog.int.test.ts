import type { DomainEvent, EventType } from '@incidents/events';
import { EVENT_TYPES } from '@incidents/events';
import { readTopic, type KafkaHandle } from '@incidents/kafka';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { freshTopic, testKafka } from '../../../test/support/infra.js';
import { postEvents } from '../../../test/support/http.js';
import { startIngest, type RunningIngest } from '../../../test/support/ingest.js';
import { seedEvents } from '../../../test/support/seed.js';

let kafka: KafkaHandle;
let topic: string;
let ingest: RunningIngest;

beforeAll(async () => {
  kafka = testKafka();
  topic = await freshTopic(kafka);
  ingest = await startIngest(kafka, topic);
});

afterAll(async () => {
  await ingest.stop();
});

const envelope = (type: EventType, subject: string, data: unknown) =>
  ({ specversion: '1.0', id: `cat-${type}`, source: '/feeds/catalog', type, subject, time: '2023-04-01T00:00:00Z', datacontenttype: 'application/json', data }) as DomainEvent;

it('accepts every event type of the catalog and publishes it keyed by subject with the CloudEvents content type', async () => {
  const pool = [...seedEvents(), ...syntheticEvents({ incidents: 300, seed: 2, prefix: 'cat' })];
  const extra = [
    envelope('SourceReliabilityRated', 'source/dod', { source_id: 'dod', reliability: 'A', rationale: 'track record' }),
    envelope('ResponseLinkRemoved', 'link/r1', { link_id: 'r1', reason: 'link not supported by later reporting' }),
  ];
  const examples = EVENT_TYPES.map((type) => [...extra, ...pool].find((e) => e.type === type));
  expect(examples.map((e, i) => e?.type ?? `no example of ${EVENT_TYPES[i]}`)).toEqual([...EVENT_TYPES]);
  const batch = examples.map((e, i) => ({ ...e!, id: `catalog-${i}` }));
  const res = await postEvents(ingest.url, batch);
  expect(res.status).toBe(202);
  const records = await readTopic(kafka, topic);
  expect(records).toHaveLength(EVENT_TYPES.length);
  for (const event of batch) {
    const record = records.find((r) => (JSON.parse(r.value!) as { id: string }).id === event.id)!;
    expect(record.key).toBe(event.subject);
    expect(record.headers['content-type']).toBe('application/cloudevents+json; charset=UTF-8');
    expect(JSON.parse(record.value!)).toEqual(event);
  }
});
