/** A partition this many records behind its log end at the last fetch is catching up. */
const CATCH_UP_LAG = 1_000;
/** A partition not heard of for this long (revoked, or its storing stalled) does not count. */
export const CATCH_UP_FRESH_MS = 10_000;

export interface LoopState {
  now: number;
  /** when a batch was last stored */
  lastStoredAt: number;
  /** the end of the gathering window: last recomputation's end + max(minInterval, its duration) */
  until: number;
  minIntervalMs: number;
  maxPerRecompute: number;
  /** stored events the read models do not reflect that the next recomputation will take */
  waiting: number;
  /** per partition heard of lately, records behind its log end at its last fetch */
  lags: readonly bigint[];
  /** whether a partition was far behind since the loop began waiting */
  far: boolean;
}

/**
 * When the projection loop starts its next recomputation. While batches keep coming, they
 * gather up to the last recomputation's duration (its fixed costs are then paid at most about
 * half the time); once they stop for a moment, it goes. Far behind a log end (catching up after
 * downtime, a new version's rebuild) they gather until every partition is read to its end or
 * a recomputation's worth waits: a cluster whose events fall in two recomputations is
 * projected again in the second. With a recomputation's worth waiting, it goes at once:
 * gathering more could only delay it (a recomputation takes at most `maxPerRecompute`).
 */
export function nextRecompute(s: LoopState): { go: boolean; far: boolean; waitMs: number } {
  const far = s.far || s.lags.some((lag) => lag >= CATCH_UP_LAG);
  if (s.waiting >= s.maxPerRecompute) return { go: true, far, waitMs: 0 };
  const quietFor = s.now - s.lastStoredAt;
  // once far behind, until every partition is read to its end (not just nearly)
  const catchingUp = quietFor < CATCH_UP_FRESH_MS && far && s.lags.some((lag) => lag > 0n);
  if (!catchingUp && (quietFor >= s.minIntervalMs || s.now >= s.until)) return { go: true, far, waitMs: 0 };
  return { go: false, far, waitMs: catchingUp ? s.minIntervalMs : Math.min(s.minIntervalMs, s.until - s.now) };
}

/**
 * Whether to save a snapshot of the index after a recomputation: `every` events projected
 * since the last one (0: never), or a tenth of the events indexed if that is more (a save
 * costs in proportion to the index: so its cost per event projected stays bounded, and a
 * crash replays at most about a tenth of the store), and caught up (nothing left for the next
 * recomputation, no partition far behind its log end), so a catch-up or a rebuild saves one
 * at its end, not one per step.
 */
export function snapshotDue(s: { every: number; indexed: number; sinceSnapshot: number; leftOver: number; lags: readonly bigint[] }): boolean {
  return s.every > 0 && s.sinceSnapshot >= Math.max(s.every, s.indexed / 10) && s.leftOver === 0 && s.lags.every((lag) => lag < CATCH_UP_LAG);
}
