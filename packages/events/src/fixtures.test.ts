// Shared helpers for the unit tests of this package (jest only runs *.unit.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateEvent } from './envelope.js';

/** A JSON object as the tests build and edit it. */
export type Json = Record<string, unknown>;

/** The ingest clock used by every test: well after the seed's last event. */
export const NOW = new Date('2024-01-01T00:00:00Z');

const seedPath = fileURLToPath(new URL('../../../fixtures/seed-incidents.ndjson', import.meta.url));

/** The 58 events of the seed fixture, freshly parsed on each call. */
export function seedEvents(): Json[] {
  return readFileSync(seedPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

/** A fresh copy of the seed event with envelope `id`. */
export function seedEvent(id: string): Json {
  const event = seedEvents().find((e) => e.id === id);
  if (!event) throw new Error(`no seed event ${id}`);
  return event;
}

/** Marks a key to delete in `edit`. */
export const REMOVE = Symbol('remove');

function tokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A copy of `event` with each JSON pointer set to its value (or removed). */
export function edit(event: Json, changes: Record<string, unknown>): Json {
  const copy = structuredClone(event);
  for (const [pointer, value] of Object.entries(changes)) {
    const path = tokens(pointer);
    const last = path.pop()!;
    let node: unknown = copy;
    for (const key of path) node = (node as Json)[key];
    if (value === REMOVE) delete (node as Json)[last];
    else (node as Json)[last] = value;
  }
  return copy;
}

/** The issues `validateEvent` reports for `input`, as sorted `[pointer, code]` pairs. */
export function issuesOf(input: unknown, now = NOW): [string, string][] {
  const result = validateEvent(input, { now });
  if (result.ok) return [];
  return result.errors.map((e): [string, string] => [e.pointer, e.code]).sort();
}

/** Every JSON pointer to an object inside `value` (including `''` for `value` itself). */
export function objectPointers(value: unknown, pointer = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
  const children = Object.entries(value).flatMap(([key, child]) =>
    objectPointers(child, `${pointer}/${escape(key)}`),
  );
  return Array.isArray(value) ? children : [pointer, ...children];
}

/** Every JSON pointer to a member or item inside `value`. */
export function memberPointers(value: unknown, pointer = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
  return Object.entries(value).flatMap(([key, child]) => {
    const here = `${pointer}/${escape(key)}`;
    return [here, ...memberPointers(child, here)];
  });
}
