import type { Queryable } from './serial.js';

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  code: string;
  error: string;
  value: string | null;
  headers: Record<string, string | undefined>;
}

const clean = (s: string | null): string | null => (s === null ? null : s.split(String.fromCharCode(0)).join('\uFFFD'));

/** Parks records (U+0000 replaced: PostgreSQL cannot store it); a redelivered record is parked once. */
export async function parkRecords(client: Queryable, projection: string, letters: DeadLetter[]): Promise<number> {
  if (letters.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO dead_letters (projection, topic, partition, "offset", record_key, error_code, error, raw_value, headers)
     SELECT $2, x.topic, x.partition, x."offset", x.key, x.code, x.error, x.value, x.headers
       FROM jsonb_to_recordset($1::jsonb)
         AS x(topic text, partition integer, "offset" bigint, key text, code text, error text, value text, headers jsonb)
     ON CONFLICT (projection, topic, partition, "offset", error_code) DO NOTHING`,
    [
      JSON.stringify(
        letters.map((l) => ({
          ...l,
          key: clean(l.key),
          error: clean(l.error),
          value: clean(l.value),
          headers: Object.fromEntries(Object.entries(l.headers).map(([k, v]): [string, string | null] => [clean(k) ?? '', clean(v ?? null)])),
        })),
      ),
      projection,
    ],
  );
  return result.rowCount ?? 0;
}
