import fc from 'fast-check';
import type { DomainEvent } from '@incidents/events';
import { EventLogProducer, toKafkaRecord, type KafkaHandle } from '@incidents/kafka';
import { project } from '@incidents/projection';
import { syntheticEvents } from '../../../bench/src/synthetic.js';
import { freshSchema, freshTopic, testKafka } from '../../../test/support/infra.js';
import { runProjector, waitCaughtUp } from '../../../test/support/projector.js';
import { dumpProjection, dumpReadModels } from '../../../test/support/read-models.js';
import { seedEvents } from '../../../test/support/seed.js';

// Through real Kafka and PostgreSQL: any interleaving of subjects (per-subject order kept, as
// Kafka keys guarantee) plus re-deliveries gives identical tables.
const events: DomainEvent[] = [...seedEvents(), ...syntheticEvents({ incidents: 120, seed: 31, prefix: 'cv' })];
let kafka: KafkaHandle;

beforeAll(() => {
  kafka = testKafka();
});

function interleave(order: number[], duplicates: number[]): DomainEvent[] {
  const queues = new Map<string, DomainEvent[]>();
  for (const e of events) queues.set(e.subject, [...(queues.get(e.subject) ?? []), e]);
  const subjects = [...queues.keys()];
  const out: DomainEvent[] = [];
  let i = 0;
  while (out.length < events.length) {
    const subject = subjects[order[i++ % order.length]! % subjects.length]!;
    const next = queues.get(subject)!.shift();
    if (next) out.push(next);
    else subjects.splice(subjects.indexOf(subject), 1);
  }
  return [...out, ...duplicates.map((d) => out[d % out.length]!)];
}

it('projects identical read models for random interleavings and re-deliveries', async () => {
  const expected = dumpProjection(project(events));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 50 }), fc.array(fc.nat(), { maxLength: 30 }), async (order, duplicates) => {
      const topic = await freshTopic(kafka);
      const { pool } = await freshSchema();
      const producer = new EventLogProducer(kafka, { topic });
      await producer.start();
      await producer.publish(interleave(order, duplicates).map((e) => toKafkaRecord(e)));
      await producer.stop();
      const running = await runProjector(kafka, pool, topic);
      try {
        await waitCaughtUp(kafka, pool, topic);
        expect(await dumpReadModels(pool)).toEqual(expected);
      } finally {
        await running.stop();
        await pool.end();
      }
    }),
    { numRuns: 3, seed: 4242 },
  );
});
