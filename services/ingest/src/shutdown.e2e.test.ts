import http from 'node:http';
import { readTopic } from '@incidents/kafka';
import { freshTopic, testKafka, waitFor } from '../../../test/support/infra.js';
import { TEST_KEY, testApiKeys } from '../../../test/support/http.js';
import { spawnService } from '../../../test/support/processes.js';
import { seedEvents } from '../../../test/support/seed.js';

/** A POST on its own connection: `flushed` once the whole request is on the wire. */
function post(port: string, body: string) {
  let flushed!: () => void;
  const sent = new Promise<void>((r) => (flushed = r));
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/v1/events', method: 'POST', agent: false, headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${TEST_KEY}` } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.on('finish', flushed);
    req.end(body);
  });
  return { sent, answer };
}

it('drains in-flight requests on SIGTERM: each is answered 202, is in the topic, and the process exits 0', async () => {
  const kafka = testKafka();
  const topic = await freshTopic(kafka);
  const port = String(19_000 + Math.floor(Math.random() * 1000));
  // The producer holds what it is given for 1 s (its micro-batching window): the requests are
  // still waiting for Kafka when the signal comes.
  const ingest = spawnService('ingest', { EVENTS_TOPIC: topic, INGEST_PORT: port, INGEST_API_KEYS: JSON.stringify(testApiKeys), INGEST_LINGER_MS: '1000', LOG_LEVEL: 'info' });
  try {
    await waitFor('ingest to listen', () => Promise.resolve(ingest.output().includes('ingest listening')));
    const events = seedEvents().slice(0, 5).map((e, i) => ({ ...e, id: `drain-${i}` }));
    const posts = events.map((e) => post(port, JSON.stringify(e)));
    await Promise.all(posts.map((p) => p.sent));
    // A request sent on a later connection and answered: the server has accepted the earlier
    // connections and read their requests (a connection still in the listen backlog when the
    // server closes is refused, which is not what this test is about).
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    const signalled = Date.now();
    ingest.child.kill('SIGTERM');
    const answers = await Promise.all(posts.map((p) => p.answer));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(await ingest.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    const ids = (await readTopic(kafka, topic)).map((r) => (JSON.parse(r.value!) as { id: string }).id).sort();
    expect(ids).toEqual(events.map((e) => e.id).sort());
  } finally {
    if (ingest.child.exitCode === null) ingest.child.kill('SIGKILL');
  }
});
