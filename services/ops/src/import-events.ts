import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ImportResult {
  events: number;
  requests: number;
}

/** An NDJSON file that cannot be imported (missing, unreadable, or a line that is not JSON). */
export class ImportFileError extends Error {}

/**
 * The events of an NDJSON file, one line at a time (the file is never held whole: an export of
 * millions of events is larger than a string can be); blank lines are skipped, a bad line names
 * its number.
 */
export async function* ndjsonEvents(file: string): AsyncGenerator<unknown> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('ready', () => resolve());
    input.once('error', (error) => reject(new ImportFileError(`cannot read ${file}: ${error.message}`)));
  });
  await opened;
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n += 1;
      if (line.trim() === '') continue;
      try {
        yield JSON.parse(line);
      } catch {
        throw new ImportFileError(`${file}: line ${n} is not valid JSON`);
      }
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Reads the whole file once without keeping it: its number of events, or the first bad line. */
export async function countNdjsonEvents(file: string): Promise<number> {
  let n = 0;
  for await (const _event of ndjsonEvents(file)) n += 1;
  return n;
}

/**
 * Posts events to the ingest service in batches, in file order, retrying 503/429 with the
 * server's Retry-After. Ids are preserved, so importing the same file twice changes nothing
 * downstream.
 */
export async function importEvents(
  ingestUrl: string,
  apiKey: string | undefined,
  events: Iterable<unknown> | AsyncIterable<unknown>,
  options: { batchSize?: number; onProgress?: (done: number) => void; maxRetries?: number } = {},
): Promise<ImportResult> {
  const size = options.batchSize ?? 500;
  let requests = 0;
  let posted = 0;
  let batch: unknown[] = [];
  const post = async () => {
    const i = posted;
    for (let attempt = 0; ; attempt += 1) {
      const res = await fetch(`${ingestUrl}/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents-batch+json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify(batch),
      });
      requests += 1;
      if (res.status === 202) {
        await res.arrayBuffer();
        break;
      }
      const text = await res.text();
      if ((res.status === 503 || res.status === 429) && attempt < (options.maxRetries ?? 10)) {
        const wait = Number(res.headers.get('retry-after') ?? '1');
        await new Promise((r) => setTimeout(r, Math.max(1, wait) * 1000));
        continue;
      }
      throw new Error(`ingest answered ${res.status} for events ${i}..${i + batch.length - 1}: ${text.slice(0, 2000)}`);
    }
    posted += batch.length;
    batch = [];
    options.onProgress?.(posted);
  };
  for await (const event of events) {
    batch.push(event);
    if (batch.length === size) await post();
  }
  if (batch.length > 0) await post();
  return { events: posted, requests };
}
