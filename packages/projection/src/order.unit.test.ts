import { logicalCompare } from '@incidents/events';
import fc from 'fast-check';
import { compareCodePoints, instantMicros, logicalKey, orderKey, sortByKey } from './order.js';

describe('order', () => {
  it('orders strings by code point, above U+FFFF too', () => {
    expect(['\u{1F600}', '\uFF5E', 'z'].sort(compareCodePoints)).toEqual([
      'z',
      '\uFF5E',
      '\u{1F600}',
    ]);
    expect(sortByKey(['\u{1F600}b', '\uFF5Ea', 'a'], (s) => [s])).toEqual([
      'a',
      '\uFF5Ea',
      '\u{1F600}b',
    ]);
  });

  it('keys integers numerically, negative ones too', () => {
    const ns = [
      -5_000_000_000_000_000, -1, 0, 1, 2, 10, 1_700_000_000_000_000, 8_000_000_000_000_000,
    ];
    const keys = ns.map((n) => orderKey([n]));
    expect([...keys].sort()).toEqual(keys);
  });

  it('agrees with the contract’s logicalCompare', () => {
    const instant = fc
      .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 999_999 }), fc.boolean())
      .map(
        ([s, micros, frac]) =>
          `2024-01-01T00:00:0${s}${frac ? `.${String(micros).padStart(6, '0')}` : ''}Z`,
      );
    const ev = fc.record({
      time: instant,
      id: fc.constantFrom('a', 'b', 'A', 'a.1'),
      source: fc.constantFrom('/x', '/y'),
    });
    fc.assert(
      fc.property(ev, ev, (a, b) => {
        const k = (e: typeof a) => logicalKey(instantMicros(e.time), e.id, e.source);
        expect(Math.sign(k(a) < k(b) ? -1 : k(a) > k(b) ? 1 : 0)).toBe(
          Math.sign(logicalCompare(a, b)),
        );
      }),
    );
  });
});

describe('instantMicros', () => {
  it('reads RFC 3339 instants exactly, with any fractional digits or offset', () => {
    expect(instantMicros('1970-01-01T00:00:00Z')).toBe(0);
    expect(instantMicros('2023-03-23T23:40:00Z')).toBe(Date.parse('2023-03-23T23:40:00Z') * 1000);
    expect(instantMicros('2024-02-29T12:00:00.5Z')).toBe(
      Date.parse('2024-02-29T12:00:00.500Z') * 1000,
    );
    expect(
      instantMicros('2024-02-29T12:00:00.000001Z') - instantMicros('2024-02-29T12:00:00Z'),
    ).toBe(1);
    expect(instantMicros('2024-03-01T02:00:00+02:00')).toBe(instantMicros('2024-03-01T00:00:00Z'));
    expect(instantMicros('1969-12-31T23:59:59.999999Z')).toBe(-1);
  });

  it('agrees with Date.parse on whole milliseconds', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2200-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString();
          expect(instantMicros(iso)).toBe(d.getTime() * 1000);
          expect(instantMicros(iso.replace(/\.\d+Z$/, 'Z'))).toBe(
            Math.floor(d.getTime() / 1000) * 1e6,
          );
        },
      ),
    );
  });
});
