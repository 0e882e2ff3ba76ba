import fc from 'fast-check';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson (RFC 8785)', () => {
  it('given the RFC 8785 §3.2.2 sample, then it writes the RFC output', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('given the RFC 8785 §3.2.3 keys, then it sorts them by UTF-16 code units', () => {
    const input = {
      '\u20ac': 1,
      '\r': 2,
      '\ufb33': 3,
      '1': 4,
      '\ud83d\ude00': 5,
      '\u0080': 6,
      '\u00f6': 7,
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}',
    );
  });

  it('given nested objects and arrays, then it sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: { y: null, x: 'v' } })).toBe(
      '{"a":{"x":"v","y":null},"b":[{"a":2,"z":1},3]}',
    );
  });

  it('given -0 and integers, then it writes them as ECMAScript does', () => {
    expect(canonicalJson([-0, 10, 1e21, 1.5e-7])).toBe('[0,10,1e+21,1.5e-7]');
  });

  it('given an object property set to undefined, then it is omitted', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it.each([NaN, Infinity, undefined, () => 1, 10n, Symbol('s')])(
    'given the non-JSON value %p, then it throws a TypeError',
    (value) => {
      expect(() => canonicalJson(value)).toThrow(TypeError);
      expect(() => canonicalJson([value])).toThrow(TypeError);
    },
  );

  it('given any JSON value, then its canonical form parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });

  it('given keys a sorted copy cannot hold in order (integer-like, __proto__) at any depth, then they are still sorted by code units', () => {
    const value = JSON.parse('{"b":[{"10":1,"9":2,"a":3}],"__proto__":{"y":1,"x":2},"a":{"2":0,"1":0}}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":2,"y":1},"a":{"1":0,"2":0},"b":[{"10":1,"9":2,"a":3}]}');
  });

  it('given any JSON value, then it writes what a field-by-field RFC 8785 writer writes', () => {
    const reference = (v: unknown): string => {
      if (Array.isArray(v)) return `[${v.map(reference).join(',')}]`;
      if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o)
          .filter((k) => o[k] !== undefined)
          .sort();
        return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(o[k])}`).join(',')}}`;
      }
      return JSON.stringify(v);
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });

  it('given an object and its keys in another order, then both have the same canonical form', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      }),
      { numRuns: 200 },
    );
  });
});
