import { servingProjection, type Pool } from '@incidents/db';
import { ProblemError } from '@incidents/http';
import { decodePosition, type LogPosition } from '@incidents/kafka';

interface Waiter {
  position: LogPosition;
  deadline: number;
  resolve: (reached: boolean) => void;
}

/** Decodes a position token of the ingest service, or throws a 400 naming `position`. */
export function parsePosition(token: string, topic: string): LogPosition {
  const position = decodePosition(token);
  if (position === undefined) {
    throw new ProblemError(400, 'invalid-parameter', 'Invalid parameter', 'Invalid query parameter(s): position.', [
      { parameter: 'position', code: 'invalid_format', detail: 'not a position token returned by the ingest service' },
    ]);
  }
  if (position.topic !== topic) {
    throw new ProblemError(400, 'invalid-parameter', 'Invalid parameter', 'Invalid query parameter(s): position.', [
      { parameter: 'position', code: 'other_topic', detail: `the token is for topic ${position.topic}; this service reads ${topic}` },
    ]);
  }
  return position;
}

function reached(position: LogPosition, stored: ReadonlyMap<number, bigint>): boolean {
  return Object.entries(position.partitions).every(([p, next]) => (stored.get(Number(p)) ?? 0n) >= BigInt(next));
}

/**
 * Read-your-writes: waits until the projector's stored offsets pass a position. All waiting
 * requests share one poll of `projector_offsets`, so many waiters cost one query per tick.
 */
export class PositionWaiter {
  private readonly waiters = new Set<Waiter>();
  private polling = false;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    private readonly topic: string,
    private readonly baseSchema = 'public',
    private readonly pollMs = 25,
  ) {}

  /** Resolves true once the projector has passed `position`, false when `timeoutMs` ran out first. */
  async wait(position: LogPosition, timeoutMs: number): Promise<boolean> {
    if (reached(position, await this.offsets())) return true;
    if (timeoutMs <= 0) return false;
    return new Promise<boolean>((resolve) => {
      this.waiters.add({ position, deadline: Date.now() + timeoutMs, resolve });
      if (!this.polling) void this.poll();
    });
  }

  private async offsets(): Promise<Map<number, bigint>> {
    const serving = await servingProjection(this.pool, this.baseSchema);
    const own = serving.schema === this.baseSchema;
    const result = await this.pool.query<{ partition: number; next_offset: string }>(
      // projected_next_offset: the offsets the read models reflect (next_offset may be only stored).
      `SELECT partition, projected_next_offset AS next_offset FROM ${own ? '' : `"${serving.schema}".`}projector_offsets WHERE projection = $1 AND topic = $2`,
      [own ? this.projection : serving.name, this.topic],
    );
    return new Map(result.rows.map((r) => [r.partition, BigInt(r.next_offset)]));
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        await new Promise((r) => setTimeout(r, this.pollMs));
        const stored = await this.offsets().catch(() => undefined);
        const now = Date.now();
        for (const w of this.waiters) {
          const done = stored !== undefined && reached(w.position, stored);
          if (done || now >= w.deadline) {
            this.waiters.delete(w);
            w.resolve(done);
          }
        }
      }
    } finally {
      this.polling = false;
    }
  }
}
