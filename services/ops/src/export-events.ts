import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { streamTopic, type KafkaHandle } from '@incidents/kafka';

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
 * were published. Each partition keeps its order, so per-subject order survives a re-import;
 * partitions follow each other in partition order, so exporting the same log twice gives the
 * same file. Memory stays bounded whatever the log's size: each partition's lines are spilled
 * to a temporary file (in `spillDir`, removed after) as they are read, and the files are then
 * copied to `out` one after the other. Records that are not JSON objects are counted and left out.
 */
export async function exportEvents(
  kafka: KafkaHandle,
  topic: string,
  filter: ExportFilter,
  out: Writable,
  options: { spillDir?: string; onProgress?: (read: bigint, total: bigint) => void } = {},
): Promise<ExportResult> {
  const result: ExportResult = { exported: 0, skipped: 0, unreadable: 0 };
  let total = 0n;
  let read = 0n;
  const spillDir = options.spillDir ?? tmpdir();
  const dir = await mkdtemp(path.join(spillDir, 'incidents-export-')).catch((error: unknown) => {
    throw new Error(`cannot make the export's temporary directory in ${spillDir} (TMPDIR): ${(error as Error).message}`);
  });
  const spills = new Map<number, WriteStream>();
  // a spill file's write error can come after the write that caused it returned: kept, thrown below
  let spillError: Error | undefined;
  try {
    const onTotal = (records: bigint) => {
      total = records;
      options.onProgress?.(read, total);
    };
    await streamTopic(kafka, topic, async (partition, records) => {
      read += BigInt(records.length);
      options.onProgress?.(read, total);
      let lines = '';
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
        lines += `${JSON.stringify(event)}\n`;
        result.exported += 1;
      }
      if (lines === '') return;
      let spill = spills.get(partition);
      if (spill === undefined) {
        spill = createWriteStream(path.join(dir, String(partition)), { encoding: 'utf8' });
        spill.on('error', (error) => (spillError ??= error));
        spills.set(partition, spill);
      }
      if (spillError !== undefined) throw spillError;
      // (rejects if the file fails while its buffer drains)
      if (!spill.write(lines)) await once(spill, 'drain');
    }, { onTotal });
    for (const partition of [...spills.keys()].sort((a, b) => a - b)) {
      // (the callback also comes on an error, which the listener above keeps)
      await new Promise<void>((resolve) => spills.get(partition)!.end(() => resolve()));
      if (spillError !== undefined) throw spillError;
      await pipeline(createReadStream(path.join(dir, String(partition))), out, { end: false });
    }
    return result;
  } finally {
    for (const spill of spills.values()) spill.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An export's output file: written as `<file>.partial`, renamed to `file` once complete. */
export interface ExportFile {
  stream: WriteStream;
  /** Closes the file and gives it its name. */
  commit(): Promise<void>;
  /** Closes and removes the partial file (a failed export leaves no truncated file behind). */
  abort(): Promise<void>;
}

/**
 * Opens an export's output file before anything is read, so an unwritable path fails at once
 * with a clear error. A file already at `file` is only replaced once the export is complete.
 */
export async function openExportFile(file: string): Promise<ExportFile> {
  const partial = `${file}.partial`;
  const stream = createWriteStream(partial, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new Error(`cannot write ${file}: ${error.message}`)));
  });
  const close = () =>
    new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  return {
    stream,
    commit: async () => {
      await close();
      await rename(partial, file);
    },
    abort: async () => {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}
