import { instantKey } from './primitives.js';

/** Code unit mapped so that UTF-16 order becomes code point order (surrogates above U+FFFF). */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/** Compares two strings by Unicode code point (not by UTF-16 code unit); returns -1, 0 or 1. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return Math.sign(codePointRank(x) - codePointRank(y));
  }
  return Math.sign(a.length - b.length);
}

/** The attributes that fix an event's place in the logical order. */
export interface LogicalKey {
  time: string;
  id: string;
  source: string;
}

/**
 * Logical order of events (events.md §5.2): `time` as an instant, then `id`, then `source`,
 * strings compared by code point. Returns a negative number, 0 or a positive number, so it
 * can be passed to `Array.prototype.sort`. A `time` that is not an Instant is compared as text.
 */
export function logicalCompare(a: LogicalKey, b: LogicalKey): number {
  return (
    compareCodePoints(instantKey(a.time) ?? a.time, instantKey(b.time) ?? b.time) ||
    compareCodePoints(a.id, b.id) ||
    compareCodePoints(a.source, b.source)
  );
}
