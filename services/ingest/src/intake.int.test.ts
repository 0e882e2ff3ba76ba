import http from 'node:http';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { readTopic, type KafkaHandle } from '@incidents/kafka';
import { freshTopic, testKafka } from '../../../test/support/infra.js';
import { OTHER_KEY, TEST_KEY, postEvents, request } from '../../../test/support/http.js';
import { startIngest, type RunningIngest } from '../../../test/support/ingest.js';
import { seedEvents } from '../../../test/support/seed.js';

type Problem = { type: string; title: string; status: number; detail: string; errors?: { index?: number; id?: string; pointer?: string; code: string }[] };
type Accepted = { accepted: number; position: string; events: { source: string; id: string; partition: number; offset: string }[] };

const seed = seedEvents();
let kafka: KafkaHandle;
let topic: string;
let ingest: RunningIngest;

beforeAll(async () => {
  kafka = testKafka();
  topic = await freshTopic(kafka);
  ingest = await startIngest(kafka, topic, { INGEST_BODY_LIMIT: String(200 * 1024), INGEST_BATCH_LIMIT: '100' });
});

afterAll(async () => {
  await ingest.stop();
});

async function topicCount(): Promise<number> {
  return (await readTopic(kafka, topic)).length;
}

describe('POST /v1/events (real Kafka)', () => {
  it('publishes a valid batch in order, keyed by subject, in structured mode, and answers with offsets', async () => {
    const res = await postEvents(ingest.url, seed);
    expect(res.status).toBe(202);
    const body = res.body as Accepted;
    expect(body.accepted).toBe(seed.length);
    expect(body.events.map((e) => e.id)).toEqual(seed.map((e) => e.id));
    expect(typeof body.position).toBe('string');

    const records = await readTopic(kafka, topic);
    expect(records).toHaveLength(seed.length);
    for (const [i, event] of seed.entries()) {
      const ack = body.events[i]!;
      const record = records.find((r) => r.partition === ack.partition && r.offset === ack.offset);
      expect(record).toBeDefined();
      expect(record!.key).toBe(event.subject);
      expect(record!.headers['content-type']).toBe('application/cloudevents+json; charset=UTF-8');
      expect(JSON.parse(record!.value!)).toEqual(event);
    }
    // Per-subject order: offsets of one subject increase in request order.
    const bySubject = new Map<string, bigint[]>();
    body.events.forEach((e, i) => {
      const list = bySubject.get(seed[i]!.subject) ?? [];
      list.push(BigInt(e.offset));
      bySubject.set(seed[i]!.subject, list);
    });
    for (const offsets of bySubject.values()) expect([...offsets].sort((a, b) => (a < b ? -1 : 1))).toEqual(offsets);
  });

  it('accepts one event in structured mode and in binary mode', async () => {
    const event = { ...seed[0]!, id: 'single-structured' };
    const structured = await postEvents(ingest.url, event, { contentType: 'application/cloudevents+json' });
    expect(structured.status).toBe(202);

    const binary = await postEvents(ingest.url, event.data, {
      contentType: 'application/json',
      headers: {
        'ce-specversion': '1.0',
        'ce-id': 'single-binary',
        'ce-source': '/feeds/seed-desk',
        'ce-type': event.type,
        'ce-subject': event.subject,
        'ce-time': event.time,
      },
    });
    expect(binary.status).toBe(202);
    const records = await readTopic(kafka, topic);
    const stored = records.map((r) => JSON.parse(r.value!) as { id: string; datacontenttype: string; data: unknown });
    const fromBinary = stored.find((e) => e.id === 'single-binary');
    expect(fromBinary).toMatchObject({ datacontenttype: 'application/json', data: event.data });
  });

  it('re-posting the same events is accepted again (idempotency is downstream)', async () => {
    const again = await postEvents(ingest.url, seed.slice(0, 3));
    expect(again.status).toBe(202);
  });

  it('rejects a batch with one invalid event as a whole, listing index, id and pointer', async () => {
    const before = await topicCount();
    const bad = structuredClone(seed.slice(0, 16)) as unknown as Record<string, unknown>[];
    const casualty = bad.findIndex((e) => e.type === 'CasualtyReported');
    ((bad[casualty]!.data as Record<string, unknown>).count as Record<string, unknown>).low = 99;
    bad[2]!.extra = true;
    const res = await postEvents(ingest.url, bad);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = res.body as Problem;
    expect(problem.type).toBe('urn:incidents:problem:invalid-events');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ index: 2, id: seed[2]!.id, pointer: '/2/extra' }),
        expect.objectContaining({ index: casualty, pointer: expect.stringMatching(new RegExp(`^/${casualty}/data/count`)) as string }),
      ]),
    );
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    expect(await topicCount()).toBe(before);
  });

  it('rejects the same (source, id) twice in one request', async () => {
    const res = await postEvents(ingest.url, [seed[0], seed[0]]);
    expect(res.status).toBe(400);
    expect((res.body as Problem).errors).toEqual([expect.objectContaining({ index: 1, pointer: '/1/id', code: 'duplicate_in_request' })]);
  });

  it.each([
    ['malformed JSON', '[{"specversion":', 'application/cloudevents-batch+json', 400, 'malformed-json'],
    ['an empty batch', '[]', 'application/cloudevents-batch+json', 400, 'empty-batch'],
    ['an object as a batch', '{}', 'application/cloudevents-batch+json', 400, 'batch-not-array'],
    ['an unsupported content type', 'x', 'text/plain', 415, 'unsupported-media-type'],
    ['a non-UTF-8 charset', '[]', 'application/json; charset=latin1', 415, 'unsupported-charset'],
  ])('answers %s with a problem', async (_name, body, contentType, status, code) => {
    const res = await postEvents(ingest.url, body, { contentType });
    expect(res.status).toBe(status);
    expect((res.body as Problem).type).toBe(`urn:incidents:problem:${code}`);
  });

  it('answers 413 for a body over the limit, too many events, or one event over 64 KiB', async () => {
    const huge = await postEvents(ingest.url, 'x'.repeat(300 * 1024), { contentType: 'application/json' });
    expect(huge.status).toBe(413);
    expect((huge.body as Problem).type).toBe('urn:incidents:problem:body-too-large');

    const many = Array.from({ length: 101 }, (_, i) => ({ ...seed[0]!, id: `many-${i}` }));
    const tooMany = await postEvents(ingest.url, many);
    expect(tooMany.status).toBe(413);
    expect((tooMany.body as Problem).type).toBe('urn:incidents:problem:batch-too-large');

    const big = structuredClone(seed[0]!) as unknown as { data: { name: string } };
    big.data.name = 'n'.repeat(70 * 1024);
    const oneBig = await postEvents(ingest.url, [big]);
    expect(oneBig.status).toBe(413);
    expect((oneBig.body as Problem).errors?.[0]).toMatchObject({ index: 0, code: 'too_large' });
  });

  it('requires an API key, and a key may write only its granted sources', async () => {
    const none = await postEvents(ingest.url, seed.slice(0, 1), { key: '' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await postEvents(ingest.url, seed.slice(0, 1), { key: 'nope' });
    expect(wrong.status).toBe(401);
    const forbidden = await postEvents(ingest.url, seed.slice(0, 1), { key: OTHER_KEY });
    expect(forbidden.status).toBe(403);
    expect((forbidden.body as Problem).detail).toContain('/feeds/seed-desk');
  });

  it('checks the key of every request on a kept-alive connection, not only the first', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (i: number, authorization?: string) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const body = JSON.stringify({ ...seed[0]!, id: `conn-${i}` });
        const req = http.request(
          `${ingest.url}/v1/events`,
          { agent, method: 'POST', headers: { 'content-type': 'application/cloudevents+json', ...(authorization ? { authorization } : {}) } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const answers = [
        await post(1, `Bearer ${TEST_KEY}`),
        await post(2, 'Bearer nope'),
        await post(3, `Bearer ${OTHER_KEY}`),
        await post(4),
        await post(5, `Bearer ${TEST_KEY}`),
      ];
      expect(answers.map((a) => a.status)).toEqual([202, 401, 403, 401, 202]);
      expect(answers.slice(1).every((a) => a.reused)).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('rate-limits per key with Retry-After, leaving other keys unaffected', async () => {
    const own = (i: number) => ({ ...seed[0]!, id: `rl-${i}`, source: '/feeds/other' });
    const first = await postEvents(ingest.url, [own(1), own(2)], { key: OTHER_KEY });
    expect(first.status).toBe(202);
    const limited = await postEvents(ingest.url, [own(3)], { key: OTHER_KEY });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const otherKey = await postEvents(ingest.url, [{ ...seed[0]!, id: 'rl-free' }]);
    expect(otherKey.status).toBe(202);
  });

  it('answers 413 for a streamed body over the limit that declares no length', async () => {
    // chunked: the limit is found while reading, not from Content-Length
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${ingest.url}/v1/events`,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}`, 'transfer-encoding': 'chunked' } },
        (r) => {
          let body = '';
          r.on('data', (d: Buffer) => (body += d.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 30; i++) req.write('x'.repeat(10 * 1024));
      req.end();
    });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as Problem).type).toBe('urn:incidents:problem:body-too-large');
  });

  it('survives a client that hangs up half way through its body, and keeps serving', async () => {
    const before = await topicCount();
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(Number(new URL(ingest.url).port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TEST_KEY}\r\nContent-Length: 5000\r\n\r\n{"specversion":`,
        );
        setImmediate(() => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    const after = await postEvents(ingest.url, [{ ...seed[0]!, id: 'after-hangup' }]);
    expect(after.status).toBe(202);
    expect(await topicCount()).toBe(before + 1);
  });

  it('takes gzip bodies and the path spelled with a trailing slash (through express), with the same answers', async () => {
    const gz = await request(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json', 'content-encoding': 'gzip', authorization: `Bearer ${TEST_KEY}` },
      body: gzipSync(JSON.stringify([{ ...seed[0]!, id: 'gz-1' }])),
    });
    expect(gz.status).toBe(202);
    expect((gz.body as Accepted).events.map((e) => e.id)).toEqual(['gz-1']);
    const slash = await request(`${ingest.url}/v1/events/`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents-batch+json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify([{ ...seed[0]!, id: 'slash-1' }]),
    });
    expect(slash.status).toBe(202);
    const bad = await request(`${ingest.url}/v1/events/`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${TEST_KEY}` }, body: 'x' });
    expect(bad.status).toBe(415);
    expect(bad.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('sends the security headers and no x-powered-by on intake answers, accepted or not', async () => {
    for (const res of [await postEvents(ingest.url, [{ ...seed[0]!, id: 'hdr-1' }]), await postEvents(ingest.url, '{', { contentType: 'application/json' }), await postEvents(ingest.url, [], { key: '' })]) {
      expect([res.status, res.headers.get('x-content-type-options'), res.headers.get('x-powered-by')]).toEqual([res.status, 'nosniff', null]);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
    }
  });

  it('answers 503 at once, publishing nothing, when the events waiting for Kafka would pass the bound', async () => {
    const own = await freshTopic(kafka);
    const small = await startIngest(kafka, own, { INGEST_MAX_QUEUED_EVENTS: '5' });
    try {
      const events = Array.from({ length: 6 }, (_, i) => ({ ...seed[0]!, id: `q-${i}` }));
      const full = await postEvents(small.url, events);
      expect(full.status).toBe(503);
      expect(full.headers.get('retry-after')).toBe('1');
      expect((full.body as Problem).type).toBe('urn:incidents:problem:log-unavailable');
      expect((full.body as Problem).detail).toContain('queue_full');
      const fits = await postEvents(small.url, events.slice(0, 5));
      expect(fits.status).toBe(202);
      expect((await readTopic(kafka, own)).map((r) => (JSON.parse(r.value!) as { id: string }).id)).toEqual(['q-0', 'q-1', 'q-2', 'q-3', 'q-4']);
    } finally {
      await small.stop();
    }
  });

  it('serves health, security headers and an OpenAPI document that lists every event type', async () => {
    const live = await request(`${ingest.url}/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('x-powered-by')).toBeNull();
    expect(live.headers.get('x-content-type-options')).toBe('nosniff');
    const ready = await request(`${ingest.url}/health/ready`);
    expect(ready.status).toBe(200);
    const doc = await request(`${ingest.url}/openapi.json`);
    const schemas = (doc.body as { components: { schemas: Record<string, unknown> } }).components.schemas;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['IncidentReportedData', 'CasualtyReportedEvent', 'Problem']));
    const missing = await request(`${ingest.url}/nope`);
    expect(missing.status).toBe(404);
  });
});
