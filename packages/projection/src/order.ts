/**
 * Total orders used by the projection: strings by Unicode code point, instants exactly (to
 * the microsecond, whatever the fractional digits or offset), the logical order of §5.2, and
 * precomputed sort keys so that large row sets sort with native string comparison.
 */
import { compareCodePoints as compareCodePointsExact } from '@incidents/events';

// Native comparison is by UTF-16 code unit; it agrees with code point order unless both
// strings hold a unit ≥ U+D800 (a surrogate or U+E000..U+FFFF).
const HIGH_UNIT = /[\ud800-\uffff]/;

/** Compares strings by Unicode code point. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  if (HIGH_UNIT.test(a) && HIGH_UNIT.test(b)) return compareCodePointsExact(a, b);
  return a < b ? -1 : 1;
}

/** A string whose UTF-16 order equals the code point order of `s`. */
function codePointOrdered(s: string): string {
  if (!HIGH_UNIT.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out += String.fromCharCode(
      u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u,
    );
  }
  return out;
}

/** Fixed-width text of a safe integer, ordered like the integers (instants in µs are safe). */
function integerKey(n: number): string {
  return n >= 0
    ? `1${String(n).padStart(16, '0')}`
    : `0${String(Number.MAX_SAFE_INTEGER + n).padStart(16, '0')}`;
}

/**
 * A sort key for a tuple: strings by code point, safe integers numerically; the separator
 * U+0000 never occurs in ids or text (§2 forbids C0 controls).
 */
export function orderKey(parts: readonly (string | number)[]): string {
  return parts
    .map((p) => (typeof p === 'number' ? integerKey(p) : codePointOrdered(p)))
    .join('\u0000');
}

/** Sorts rows in place by a tuple key computed once per row. */
export function sortByKey<T>(rows: T[], key: (row: T) => readonly (string | number)[]): T[] {
  const keyed = rows.map((row) => ({ row, k: orderKey(key(row)) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) rows[i] = (keyed[i] as { row: T }).row;
  return rows;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

const DIGIT_0 = 48;

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Fast path for the wire format `YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z`; NaN when it does not apply.
function utcInstantMicros(v: string): number {
  const n = v.length;
  if (n < 20 || v.charCodeAt(n - 1) !== 90 /* Z */ || v.charCodeAt(10) !== 84 /* T */) return NaN;
  let micros = 0;
  if (n > 20) {
    if (v.charCodeAt(19) !== 46 /* . */ || n > 27) return NaN;
    micros = digits(v, 20, n - 1) * 10 ** (6 - (n - 21));
  }
  const days = daysFromCivil(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10));
  const seconds = digits(v, 11, 13) * 3600 + digits(v, 14, 16) * 60 + digits(v, 17, 19);
  return (days * 86400 + seconds) * 1_000_000 + micros;
}

/** Microseconds since the epoch of an RFC 3339 instant (exact within JS safe integers). */
export function instantMicros(value: string): number {
  const fast = utcInstantMicros(value);
  if (!Number.isNaN(fast)) return fast;
  const m = INSTANT.exec(value);
  if (m === null) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new RangeError(`not an RFC 3339 instant: ${value}`);
    return ms * 1000;
  }
  const [, date, hms, fraction = '', offset = 'Z'] = m;
  const seconds = Date.parse(`${date}T${hms}${offset.toUpperCase()}`);
  if (Number.isNaN(seconds)) throw new RangeError(`not an RFC 3339 instant: ${value}`);
  const micros = Number((fraction + '000000').slice(0, 6));
  return seconds * 1000 + micros;
}

const FRACTION = /T\d{2}:\d{2}:\d{2}\.(\d+)/;

/**
 * Whole minutes from one instant to another, floored (§5.9), exactly: instants may carry
 * more fractional digits than the microseconds the projection orders by.
 */
export function floorMinutes(from: string, to: string): number {
  const seconds = Math.floor(instantMicros(to) / 1e6) - Math.floor(instantMicros(from) / 1e6);
  const [ff, ft] = [FRACTION.exec(from)?.[1] ?? '', FRACTION.exec(to)?.[1] ?? ''];
  const n = Math.max(ff.length, ft.length);
  // the fractions shift the difference by less than a second either way: only a whole number
  // of minutes with the later fraction smaller falls below that minute
  const below = ft.padEnd(n, '0') < ff.padEnd(n, '0');
  return Math.floor(seconds / 60) - (below && seconds % 60 === 0 ? 1 : 0);
}

/** §5.2 logical order as a sort key: time as an instant, then id, then source. */
export function logicalKey(t: number, id: string, source: string): string {
  return orderKey([t, id, source]);
}
