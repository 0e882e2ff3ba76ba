import fc from 'fast-check';
import { validateEvent } from './envelope.js';
import { NOW, REMOVE, edit, memberPointers, objectPointers, seedEvents } from './fixtures.test.js';

const seed = seedEvents();

/** A seed event and one edit of it: a member replaced by any JSON value, removed, or added. */
const mutatedSeedEvent = fc.integer({ min: 0, max: seed.length - 1 }).chain((index) => {
  const event = seed[index]!;
  const replaceOrRemove = fc.record({
    pointer: fc.constantFrom(...memberPointers(event)),
    value: fc.oneof(fc.jsonValue(), fc.constant(REMOVE)),
  });
  const add = fc.record({
    pointer: fc
      .tuple(fc.constantFrom(...objectPointers(event)), fc.string())
      .map(([parent, key]) => `${parent}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
    value: fc.jsonValue(),
  });
  return fc.array(fc.oneof(replaceOrRemove, add), { minLength: 1, maxLength: 4 }).map((changes) =>
    changes.reduce((e, { pointer, value }) => {
      try {
        return edit(e, { [pointer]: value });
      } catch {
        return e; // an earlier change removed the parent of this pointer
      }
    }, event),
  );
});

describe('validateEvent properties', () => {
  it('given random mutations of seed events, when validated, then it returns a result and never throws', () => {
    fc.assert(
      fc.property(mutatedSeedEvent, (event) => {
        const result = validateEvent(event, { now: NOW });
        if (result.ok) {
          expect(result.event).toEqual(event);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const issue of result.errors) {
            expect(issue.pointer).toMatch(/^(\/.*)?$/);
            expect(issue.code).toMatch(/^[a-z_]+$/);
            expect(issue.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('given an unknown key added to any object of a seed event, when validated, then it is rejected at that pointer', () => {
    const target = fc.integer({ min: 0, max: seed.length - 1 }).chain((index) =>
      fc.record({
        event: fc.constant(seed[index]!),
        parent: fc.constantFrom(...objectPointers(seed[index])),
        key: fc.string().map((s) => `x-${s}`),
        value: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(target, ({ event, parent, key, value }) => {
        const pointer = `${parent}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        const result = validateEvent(edit(event, { [pointer]: value }), { now: NOW });
        expect(result.ok).toBe(false);
        expect(!result.ok && result.errors).toContainEqual(
          expect.objectContaining({ pointer, code: 'unrecognized_key' }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('given __proto__ as an own key in data, when validated, then it is rejected as unknown', () => {
    const event = JSON.parse(
      JSON.stringify(seed[0]).replace('"data":{', '"data":{"__proto__":{"x":1},'),
    ) as unknown;
    const result = validateEvent(event, { now: NOW });
    expect(result).toEqual({
      ok: false,
      errors: [expect.objectContaining({ pointer: '/data/__proto__', code: 'unrecognized_key' })],
    });
  });
});
