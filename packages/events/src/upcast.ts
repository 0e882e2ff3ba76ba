import { isRecord } from './primitives.js';

/**
 * Upcasters keyed by the `dataschema` they read. When a payload schema changes, the old
 * version gets an entry here that rewrites such an event into the version `validateEvent`
 * checks (and drops or rewrites its `dataschema`). v1 is the only version, so it is empty.
 */
const UPCASTERS = new Map<string, (event: Record<string, unknown>) => Record<string, unknown>>();

/**
 * Brings a raw event to the schema version this package validates; call it before
 * `validateEvent`. An event without `dataschema`, with a v1 `dataschema`, or with one no
 * upcaster knows is returned unchanged (validation then rejects an unknown version).
 */
export function upcast(raw: unknown): unknown {
  if (!isRecord(raw) || typeof raw.dataschema !== 'string') return raw;
  const upcaster = UPCASTERS.get(raw.dataschema);
  return upcaster ? upcaster(raw) : raw;
}
