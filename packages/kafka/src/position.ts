/** A point in the event log: per partition, the offset the projector must have passed. */
export interface LogPosition {
  topic: string;
  /** partition → next offset (last acknowledged offset + 1), decimal strings */
  partitions: Record<number, string>;
}

/** Encodes a position as an opaque URL-safe token (read-your-writes). */
export function encodePosition(position: LogPosition): string {
  const parts = Object.entries(position.partitions)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([p, o]) => `${p}:${o}`)
    .join(',');
  return Buffer.from(`v1|${position.topic}|${parts}`, 'utf8').toString('base64url');
}

/** Decodes a token; returns undefined when it is not one this project made. */
export function decodePosition(token: string): LogPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^v1\|([A-Za-z0-9._-]{1,249})\|((?:\d{1,6}:\d{1,19})(?:,\d{1,6}:\d{1,19})*)$/.exec(text);
  if (!match) return undefined;
  const partitions: Record<number, string> = {};
  for (const pair of match[2]!.split(',')) {
    const [p, o] = pair.split(':') as [string, string];
    partitions[Number(p)] = BigInt(o).toString();
  }
  return { topic: match[1]!, partitions };
}

/** The position after a set of acknowledged records. */
export function positionAfter(topic: string, records: { partition: number; offset: string }[]): LogPosition {
  const partitions: Record<number, string> = {};
  for (const r of records) {
    const next = BigInt(r.offset) + 1n;
    const current = partitions[r.partition];
    if (current === undefined || BigInt(current) < next) partitions[r.partition] = next.toString();
  }
  return { topic, partitions };
}
