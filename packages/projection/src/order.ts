/**
 * Total orders used by the projection: strings by Unicode code point, instants exactly
 * (to the microsecond, whatever the fractional digits or offset), and the logical order of
 * §5.2 (time, then id, then source).
 */

import { compareCodePoints } from '@incidents/events';

export { compareCodePoints };

const INSTANT = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Microseconds since the epoch of an RFC 3339 instant (exact within JS safe integers). */
export function instantMicros(value: string): number {
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

/** Minutes between two instants given in microseconds, floored (§5.9). */
export function floorMinutes(fromMicros: number, toMicros: number): number {
  return Math.floor((toMicros - fromMicros) / 60_000_000);
}

export interface LogicalKey {
  readonly t: number;
  readonly id: string;
  readonly source: string;
}

/** §5.2 logical order: time as an instant, then id, then source, by code point. */
export function compareLogical(a: LogicalKey, b: LogicalKey): number {
  return a.t - b.t || compareCodePoints(a.id, b.id) || compareCodePoints(a.source, b.source);
}

/** Lexicographic comparison of key tuples (strings by code point, numbers numerically). */
export function compareTuples(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : compareCodePoints(String(x), String(y));
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Sorts rows in place by a tuple key, computing each key once. */
export function sortByKey<T>(rows: T[], key: (row: T) => readonly (string | number)[]): T[] {
  const keyed = rows.map((row) => ({ row, k: key(row) }));
  keyed.sort((a, b) => compareTuples(a.k, b.k));
  for (let i = 0; i < keyed.length; i++) rows[i] = (keyed[i] as { row: T }).row;
  return rows;
}
