import { nextRecompute, snapshotDue, type LoopState } from './schedule.js';

// 10 s after the last recomputation ended, which took 8 s: the gathering window ends at 18 s
const state = (over: Partial<LoopState>): LoopState => ({
  now: 10_000,
  lastStoredAt: 9_990,
  until: 18_000,
  minIntervalMs: 200,
  maxPerRecompute: 100_000,
  waiting: 40_000,
  lags: [0n, 0n],
  far: false,
  ...over,
});

describe('nextRecompute', () => {
  it('goes at once when a recomputation’s worth waits, though batches keep coming', () => {
    // (a rebuild: storing runs ahead; waiting for the window only idled the projection)
    expect(nextRecompute(state({ waiting: 100_000, lags: [500_000n, 480_000n] }))).toMatchObject({ go: true, far: true });
    expect(nextRecompute(state({ waiting: 120_000 }))).toMatchObject({ go: true });
  });

  it('lets a live stream gather up to the last recomputation’s duration', () => {
    expect(nextRecompute(state({}))).toEqual({ go: false, far: false, waitMs: 200 });
    expect(nextRecompute(state({ now: 17_950, lastStoredAt: 17_900 }))).toEqual({ go: false, far: false, waitMs: 50 });
    expect(nextRecompute(state({ now: 18_000, lastStoredAt: 17_990 }))).toMatchObject({ go: true });
  });

  it('goes once batches stop for a moment', () => {
    expect(nextRecompute(state({ lastStoredAt: 9_700 }))).toMatchObject({ go: true });
  });

  it('far behind a log end, gathers until every partition is read to its end', () => {
    const far = nextRecompute(state({ lags: [5_000n, 0n], now: 30_000, lastStoredAt: 29_990 }));
    expect(far).toEqual({ go: false, far: true, waitMs: 200 });
    // nearly at the end still waits, once far behind
    expect(nextRecompute(state({ lags: [3n, 0n], far: true, now: 30_000, lastStoredAt: 29_990 }))).toMatchObject({ go: false, far: true });
    expect(nextRecompute(state({ lags: [0n, 0n], far: true, now: 30_000, lastStoredAt: 29_990 }))).toMatchObject({ go: true });
    // storing stalled for 10 s: no longer waits for it
    expect(nextRecompute(state({ lags: [5_000n], far: true, now: 30_000, lastStoredAt: 19_000 }))).toMatchObject({ go: true });
  });
});

describe('snapshotDue', () => {
  const due = { every: 50_000, indexed: 400_000, sinceSnapshot: 50_000, leftOver: 0, lags: [0n, 999n] };
  it('saves once enough events were projected since the last snapshot and the projector has caught up', () => {
    expect(snapshotDue(due)).toBe(true);
  });
  it('waits for enough events, for the end of a catch-up, and never saves when turned off', () => {
    expect(snapshotDue({ ...due, sinceSnapshot: 49_999 })).toBe(false);
    // more stored than the recomputation took, or a partition far behind: a rebuild under way
    expect(snapshotDue({ ...due, leftOver: 1 })).toBe(false);
    expect(snapshotDue({ ...due, lags: [0n, 1_000n] })).toBe(false);
    expect(snapshotDue({ ...due, every: 0, sinceSnapshot: 10_000_000 })).toBe(false);
  });
  it('waits for a tenth of the events indexed when that is more (a save costs what the index holds)', () => {
    expect(snapshotDue({ ...due, indexed: 10_000_000, sinceSnapshot: 999_999 })).toBe(false);
    expect(snapshotDue({ ...due, indexed: 10_000_000, sinceSnapshot: 1_000_000 })).toBe(true);
  });
});
