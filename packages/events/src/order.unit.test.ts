import fc from 'fast-check';
import { compareCodePoints, logicalCompare } from './order.js';
import { seedEvents } from './fixtures.test.js';

const at = (time: string, id = 'e1', source = '/s') => ({ time, id, source });

describe('logicalCompare (§5.2)', () => {
  it.each<[string, ReturnType<typeof at>, ReturnType<typeof at>, number]>([
    ['an earlier time first', at('2023-03-24T03:21:00Z', 'z'), at('2023-03-24T03:21:01Z', 'a'), -1],
    [
      'times compared as instants, not text',
      at('2023-03-24T03:21:00.5Z'),
      at('2023-03-24T03:21:00.45Z'),
      1,
    ],
    [
      'equal instants written differently fall through to id',
      at('2023-03-24T03:21:00.000Z', 'b'),
      at('2023-03-24T03:21:00Z', 'a'),
      1,
    ],
    [
      'equal times ordered by id',
      at('2023-03-24T03:21:00Z', 'seed-e014'),
      at('2023-03-24T03:21:00Z', 'seed-e015'),
      -1,
    ],
    [
      'equal time and id ordered by source',
      at('2023-03-24T03:21:00Z', 'e', '/b'),
      at('2023-03-24T03:21:00Z', 'e', '/a'),
      1,
    ],
    [
      'ids compared by code point, so upper case first',
      at('2023-03-24T03:21:00Z', 'Z'),
      at('2023-03-24T03:21:00Z', 'a'),
      -1,
    ],
    ['the same event', at('2023-03-24T03:21:00Z'), at('2023-03-24T03:21:00Z'), 0],
  ])('given %s, then the sign is %i', (_name, a, b, sign) => {
    expect(Math.sign(logicalCompare(a, b))).toBe(sign);
    expect(Math.sign(logicalCompare(b, a))).toBe(0 - sign);
  });

  it('given the seed in any order, then sorting gives one order', () => {
    const seed = seedEvents().map((e) => ({
      time: e.time as string,
      id: e.id as string,
      source: e.source as string,
    }));
    const expected = [...seed].sort(logicalCompare).map((e) => e.id);
    fc.assert(
      fc.property(fc.shuffledSubarray(seed, { minLength: seed.length }), (shuffled) => {
        expect(shuffled.sort(logicalCompare).map((e) => e.id)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
    expect(expected.slice(0, 2)).toEqual(['seed-e001', 'seed-e002']);
  });
});

describe('compareCodePoints', () => {
  it('given U+FFFF and U+10000, then it orders by code point where UTF-16 order is reversed', () => {
    expect('\uffff' < '\u{10000}').toBe(false);
    expect(compareCodePoints('\uffff', '\u{10000}')).toBe(-1);
    expect(compareCodePoints('\u{10000}', '\uffff')).toBe(1);
  });

  it('given a prefix, then the shorter string sorts first', () => {
    expect(compareCodePoints('ab', 'abc')).toBe(-1);
    expect(compareCodePoints('abc', 'abc')).toBe(0);
  });

  it('given any two strings, then it agrees with comparing their code point arrays', () => {
    const byArrays = (a: string, b: string) => {
      const x = [...a].map((c) => c.codePointAt(0)!);
      const y = [...b].map((c) => c.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++)
        if (x[i] !== y[i]) return Math.sign(x[i]! - y[i]!);
      return Math.sign(x.length - y.length);
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(compareCodePoints(a, b)).toBe(byArrays(a, b));
      }),
      { numRuns: 500 },
    );
  });
});
