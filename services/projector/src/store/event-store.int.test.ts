import { syntheticEvents } from '../../../../bench/src/synthetic.js';
import { freshSchema } from '../../../../test/support/infra.js';
import { parseRecord, type ParsedEvent } from '../records.js';
import { insertEvents, projectedOffsets } from './event-store.js';

it('gives, per partition, the offset of its first event left out, or its stored offset when none is', async () => {
  const { pool } = await freshSchema();
  try {
    const events = [...syntheticEvents({ incidents: 20, seed: 3, prefix: 'po' })];
    // partitions 0 and 1 interleaved (as stored batches are), offsets from 10; partition 2 early only
    const parsed = (partition: number, offset: number, i: number) =>
      parseRecord({ partition, offset: String(offset), key: null, value: JSON.stringify(events[i]), headers: {}, timestamp: '0' }) as ParsedEvent;
    let i = 0;
    const early = [parsed(2, 0, i++), parsed(2, 1, i++)];
    const earlySeq = (await insertEvents(pool, 'po', early)).at(-1)!.seq;
    const seqs: number[] = [];
    for (let k = 0; k < 6; k++) {
      const batch = [parsed(0, 10 + 2 * k, i++), parsed(0, 11 + 2 * k, i++)];
      seqs.push(...(await insertEvents(pool, 'po', batch)).map((e) => e.seq));
      seqs.push(...(await insertEvents(pool, 'po', [parsed(1, 10 + k, i++)])).map((e) => e.seq));
    }
    const stored = seqs.at(-1)!;
    const offsets = [
      { topic: 'po', partition: 0, next_offset: '22' },
      { topic: 'po', partition: 1, next_offset: '16' },
      { topic: 'po', partition: 2, next_offset: '2' },
    ];
    // projected up to the fourth event of the interleaved ones: partition 0's offsets 10–12
    // and partition 1's 10 are in; partition 2 has nothing left out
    const upTo = seqs[3]!;
    expect(await projectedOffsets(pool, offsets, upTo, stored)).toEqual([
      { topic: 'po', partition: 0, next_offset: '13' },
      { topic: 'po', partition: 1, next_offset: '11' },
      { topic: 'po', partition: 2, next_offset: '2' },
    ]);
    // nothing projected but partition 2: every interleaved partition from its first offset
    expect(await projectedOffsets(pool, offsets, earlySeq, stored)).toEqual([
      { topic: 'po', partition: 0, next_offset: '10' },
      { topic: 'po', partition: 1, next_offset: '10' },
      { topic: 'po', partition: 2, next_offset: '2' },
    ]);
    expect(await projectedOffsets(pool, offsets, stored, stored)).toEqual(offsets);
  } finally {
    await pool.end();
  }
});
