import { readFileSync } from 'node:fs';

export interface ImportResult {
  events: number;
  requests: number;
}

/** Splits NDJSON text into events; blank lines are skipped, a bad line names its number. */
export function parseNdjson(text: string): unknown[] {
  const events: unknown[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch {
      throw new Error(`line ${i + 1} is not valid JSON`);
    }
  });
  return events;
}

/**
 * Posts events to the ingest service in batches, in file order, retrying 503/429 with the
 * server's Retry-After. Ids are preserved, so importing the same file twice changes nothing
 * downstream.
 */
export async function importEvents(
  ingestUrl: string,
  apiKey: string | undefined,
  events: unknown[],
  options: { batchSize?: number; onProgress?: (done: number) => void; maxRetries?: number } = {},
): Promise<ImportResult> {
  const size = options.batchSize ?? 500;
  let requests = 0;
  for (let i = 0; i < events.length; i += size) {
    const batch = events.slice(i, i + size);
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
    options.onProgress?.(Math.min(i + size, events.length));
  }
  return { events: events.length, requests };
}

export function readNdjsonFile(file: string): unknown[] {
  return parseNdjson(readFileSync(file, 'utf8'));
}
