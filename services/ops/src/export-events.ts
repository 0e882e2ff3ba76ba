import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { readTopic, type KafkaHandle } from '@incidents/kafka';

export interface ExportFilter {
  /** Instants (RFC 3339): keep events with from <= time <= to. */
  from?: string;
  to?: string;
  types?: string[];
  /** Exact subject or a prefix ending in '/' (e.g. `incident/`). */
  subject?: string;
}

export interface ExportResult {
  exported: number;
  skipped: number;
  unreadable: number;
}

interface EventLike {
  type?: unknown;
  subject?: unknown;
  time?: unknown;
}

function keep(event: EventLike, filter: ExportFilter): boolean {
  if (filter.types && !filter.types.includes(String(event.type))) return false;
  if (filter.subject) {
    const subject = String(event.subject);
    if (filter.subject.endsWith('/') ? !subject.startsWith(filter.subject) : subject !== filter.subject) return false;
  }
  const time = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
  if (filter.from && !(time >= Date.parse(filter.from))) return false;
  if (filter.to && !(time <= Date.parse(filter.to))) return false;
  return true;
}

/**
 * Writes the events of the log as CloudEvents NDJSON, one event per line, exactly as they
 * were published. Each partition keeps its order, so per-subject order survives a re-import.
 * Records that are not JSON objects are counted and left out.
 */
export async function exportEvents(kafka: KafkaHandle, topic: string, filter: ExportFilter, out: Writable): Promise<ExportResult> {
  const result: ExportResult = { exported: 0, skipped: 0, unreadable: 0 };
  const records = await readTopic(kafka, topic, { timeoutMs: 600_000 });
  records.sort((a, b) => (a.partition - b.partition) || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  for (const record of records) {
    let event: EventLike;
    try {
      event = JSON.parse(record.value ?? '') as EventLike;
      if (!event || typeof event !== 'object' || Array.isArray(event)) throw new Error('not an object');
    } catch {
      result.unreadable += 1;
      continue;
    }
    if (!keep(event, filter)) {
      result.skipped += 1;
      continue;
    }
    if (!out.write(`${JSON.stringify(event)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    result.exported += 1;
  }
  return result;
}

export function fileStream(path: string): WriteStream {
  return createWriteStream(path, { encoding: 'utf8' });
}
