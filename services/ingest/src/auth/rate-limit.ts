/** Token bucket per key, in events. Time comes in as an argument so tests are deterministic. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes `cost` tokens; returns 0 when allowed, else the seconds to wait. */
  take(key: string, cost: number, rate: number, burst: number, nowMs: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * rate);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (cost > burst) return Math.ceil(cost / rate);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - bucket.tokens) / rate));
  }
}
