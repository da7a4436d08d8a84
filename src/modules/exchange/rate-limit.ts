// Per-client-application rate limit: a token bucket per node holding rate_per_minute calls, refilled continuously.
// With several nodes each keeps its own buckets (see docs/decisions.md D56): the limit holds per node.

interface Bucket {
  tokens: number;
  at: number;
  rate: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes one call from the client's bucket; returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(clientAppId: string, ratePerMinute: number, nowMs: number): number {
    let bucket = this.buckets.get(clientAppId);
    if (!bucket || bucket.rate !== ratePerMinute) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      bucket = { tokens: ratePerMinute, at: nowMs, rate: ratePerMinute };
      this.buckets.set(clientAppId, bucket);
    }
    const perMs = ratePerMinute / 60_000;
    bucket.tokens = Math.min(ratePerMinute, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
    bucket.at = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
}
