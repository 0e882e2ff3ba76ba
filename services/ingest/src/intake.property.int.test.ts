import fc from 'fast-check';
import { fetchLogEnds, type KafkaHandle } from '@incidents/kafka';
import { freshTopic, testKafka } from '../../../test/support/infra.js';
import { postEvents } from '../../../test/support/http.js';
import { startIngest, type RunningIngest } from '../../../test/support/ingest.js';
import { seedEvents } from '../../../test/support/seed.js';

const seed = seedEvents();
let kafka: KafkaHandle;
let topic: string;
let ingest: RunningIngest;

beforeAll(async () => {
  kafka = testKafka();
  topic = await freshTopic(kafka);
  ingest = await startIngest(kafka, topic, { INGEST_RATE_LIMIT: '1000000', INGEST_RATE_BURST: '1000000' });
});

afterAll(async () => {
  await ingest.stop();
});

async function logSize(): Promise<bigint> {
  return (await fetchLogEnds(kafka, topic)).reduce((n, p) => n + BigInt(p.high), 0n);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Applies one mutation at a random path of a JSON value. */
function mutate(value: Json, path: number[], mutation: number, replacement: Json): Json {
  if (value === null || typeof value !== 'object') return mutation % 2 === 0 ? replacement : value;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  if (entries.length === 0 || path.length === 0) {
    if (Array.isArray(value)) return [...value, replacement];
    return mutation % 3 === 0 ? { ...value, unexpected_field: replacement } : replacement;
  }
  const [head, ...rest] = path;
  const [key, child] = entries[head! % entries.length]!;
  const copy: Record<string, Json> | Json[] = Array.isArray(value) ? [...value] : { ...value };
  if (mutation % 5 === 4 && rest.length === 0) {
    if (Array.isArray(copy)) copy.splice(Number(key), 1);
    else delete (copy)[key];
    return copy;
  }
  (copy as Record<string, Json>)[key] = mutate(child, rest, mutation, replacement);
  return copy;
}

const jsonValue: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;

it('never answers 5xx and publishes exactly the events it acknowledged, for random and mutated payloads', async () => {
  let accepted = 0n;
  const before = await logSize();
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        { weight: 1, arbitrary: jsonValue },
        {
          weight: 4,
          arbitrary: fc
            .record({
              events: fc.subarray(seed, { minLength: 1, maxLength: 5 }),
              path: fc.array(fc.nat(), { maxLength: 5 }),
              mutation: fc.nat(),
              replacement: jsonValue,
              unique: fc.nat(),
            })
            .map(({ events, path, mutation, replacement, unique }) =>
              events.map((e, i) => (i === 0 ? mutate({ ...e, id: `p${unique}-${i}` } as unknown as Json, path, mutation, replacement) : { ...e, id: `p${unique}-${i}` })),
            ),
        },
      ),
      fc.constantFrom('application/cloudevents-batch+json', 'application/json', 'application/cloudevents+json'),
      async (payload, contentType) => {
        const res = await postEvents(ingest.url, payload, { contentType });
        expect(res.status).toBeLessThan(500);
        expect([202, 400, 403, 413, 415]).toContain(res.status);
        if (res.status === 202) accepted += BigInt((res.body as { accepted: number }).accepted);
        else expect(res.headers.get('content-type')).toContain('application/problem+json');
      },
    ),
    { numRuns: 300, seed: 20261125 },
  );
  expect((await logSize()) - before).toBe(accepted);
});
