import { readTopic, type KafkaHandle } from '@incidents/kafka';
import { kafkaScript, localKafka } from '../../../test/support/chaos.js';
import { postEvents, request } from '../../../test/support/http.js';
import { freshTopic, testKafka, waitFor } from '../../../test/support/infra.js';
import { startIngest, type RunningIngest } from '../../../test/support/ingest.js';
import { seedEvents } from '../../../test/support/seed.js';

const seed = seedEvents();
// Runs only against the project's own broker (it is stopped and started here).
const suite = localKafka ? describe : describe.skip;

suite('ingest when Kafka goes away (the local broker is stopped, then started)', () => {
  let kafka: KafkaHandle;
  let topic: string;
  let ingest: RunningIngest;

  beforeAll(async () => {
    kafka = testKafka();
    topic = await freshTopic(kafka);
    ingest = await startIngest(kafka, topic, { INGEST_ACK_TIMEOUT_MS: '2000' });
  });

  afterAll(async () => {
    kafkaScript('start');
    await ingest.stop();
  });

  it('answers 503 with Retry-After within the bound, never 202, and recovers by itself; nothing acknowledged is lost', async () => {
    const before = await postEvents(ingest.url, seed.slice(0, 10));
    expect(before.status).toBe(202);

    kafkaScript('stop');
    const started = Date.now();
    const during = await postEvents(ingest.url, seed.slice(10, 20));
    const elapsed = Date.now() - started;
    expect(during.status).toBe(503);
    expect(Number(during.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((during.body as { type: string }).type).toBe('urn:incidents:problem:log-unavailable');
    expect(elapsed).toBeLessThan(2000 + 1500);
    const ready = await request(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(503);
    const live = await request(`${ingest.url}/health/live`);
    expect(live.status).toBe(200);

    kafkaScript('start');
    const after = await waitFor(
      'ingest to accept events again',
      async () => {
        const res = await postEvents(ingest.url, seed.slice(20, 30));
        return res.status === 202 ? res : undefined;
      },
      90_000,
    );
    expect(after.status).toBe(202);
    // Re-post what was refused: safe, counted once downstream.
    expect((await postEvents(ingest.url, seed.slice(10, 20))).status).toBe(202);
    const ids = new Set((await readTopic(kafka, topic)).map((r) => (JSON.parse(r.value!) as { id: string }).id));
    for (const e of seed.slice(0, 30)) expect(ids.has(e.id) ? e.id : `missing ${e.id}`).toBe(e.id);
  });
});
