import { listen, type RunningServer } from '@incidents/http';
import type { Pool } from '@incidents/db';
import type { KafkaHandle } from '@incidents/kafka';
import { loadConfig } from '@incidents/config';
import { createLogger } from '@incidents/telemetry';
import { buildQueryApp } from '../services/query/src/app.js';
import { QueryConfig } from '../services/query/src/config.js';
import type { RunningProjector } from '../services/projector/src/app.js';
import { freshSchema, freshTopic, testKafka, waitFor } from './support/infra.js';
import { postEvents, request } from './support/http.js';
import { startIngest, type RunningIngest } from './support/ingest.js';
import { runProjector } from './support/projector.js';
import { seedEvents } from './support/seed.js';

let kafka: KafkaHandle;
let pool: Pool;
let schema: string;
let ingest: RunningIngest;
let projector: RunningProjector;
let query: RunningServer;

beforeAll(async () => {
  kafka = testKafka();
  const topic = await freshTopic(kafka);
  ({ pool, schema } = await freshSchema());
  ingest = await startIngest(kafka, topic);
  projector = await runProjector(kafka, pool, topic);
  const config = loadConfig(QueryConfig, { DATABASE_SCHEMA: schema, EVENTS_TOPIC: topic });
  query = await listen(buildQueryApp({ config, pool, logger: createLogger('query-test', 'error') }), '127.0.0.1', 0);
});

afterAll(async () => {
  await query.close(1000);
  await projector.stop();
  await ingest.stop();
  await pool.end();
});

it('carries IncidentReported from ingest through Kafka and the projector to the query API', async () => {
  const seed = seedEvents();
  const report = seed.find((e) => e.type === 'IncidentReported' && e.subject === 'incident/i1-rlz-uav')!;
  const posted = await postEvents(ingest.url, [report]);
  expect(posted.status).toBe(202);

  const body = await waitFor('incident i1-rlz-uav in the query API', async () => {
    const res = await request(`${query.url}/v1/incidents/i1-rlz-uav`);
    return res.status === 200 ? (res.body as { incident: Record<string, unknown> }) : undefined;
  });
  expect(body.incident).toMatchObject({ incident_id: 'i1-rlz-uav', status: 'active', kind: 'attack', method: 'one_way_uav', local_date: '2023-03-23' });

  // The offset was stored with the read model: the partition's next offset is past the event.
  const ack = (posted.body as { events: { partition: number; offset: string }[] }).events[0]!;
  const offsets = await pool.query<{ next_offset: string }>('SELECT next_offset FROM projector_offsets WHERE partition = $1', [ack.partition]);
  expect(BigInt(offsets.rows[0]!.next_offset)).toBe(BigInt(ack.offset) + 1n);

  const missing = await request(`${query.url}/v1/incidents/no-such-incident`);
  expect(missing.status).toBe(404);
});
