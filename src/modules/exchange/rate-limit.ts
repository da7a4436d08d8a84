// Per-key rate limit (a client application, a client address): a token bucket per node holding ratePerMinute calls,
// refilled continuously. With several nodes each keeps its own buckets (see docs/decisions.md D56): the limit holds per
// node. The buckets are bounded (D129): when the table is full, the bucket that will be full again soonest is dropped
// — forgetting a full bucket loses nothing, and a limited key outlives every key less limited than itself — so
// filling the table with fresh keys (rotating addresses) cannot give a limited key its tokens back.

interface Bucket {
  key: string;
  tokens: number;
  at: number;
  rate: number;
  /** When the bucket holds `rate` tokens again: the heap's order. */
  fullAt: number;
  /** Position in the heap. */
  slot: number;
}

/** Buckets kept by default: about 100 bytes each. */
export const DEFAULT_BUCKETS = 100_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** A binary min-heap on fullAt: the root is the bucket whose loss would change least. */
  private readonly heap: Bucket[] = [];

  constructor(private readonly capacity = DEFAULT_BUCKETS) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('RateLimiter capacity must be a positive whole number.');
  }

  /** Buckets held now (at most the capacity). */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes one call from the key's bucket; returns 0 when allowed, else the seconds to wait (Retry-After). */
  take(key: string, ratePerMinute: number, nowMs: number): number {
    let bucket = this.buckets.get(key);
    if (bucket && bucket.rate !== ratePerMinute) {
      this.remove(bucket);
      bucket = undefined;
    }
    if (!bucket) {
      if (this.buckets.size >= this.capacity) this.remove(this.heap[0]!);
      bucket = { key, tokens: ratePerMinute, at: nowMs, rate: ratePerMinute, fullAt: nowMs, slot: this.heap.length };
      this.buckets.set(key, bucket);
      this.heap.push(bucket);
    }
    const perMs = ratePerMinute / 60_000;
    bucket.tokens = Math.min(ratePerMinute, bucket.tokens + Math.max(0, nowMs - bucket.at) * perMs);
    bucket.at = Math.max(bucket.at, nowMs);
    let wait = 0;
    if (bucket.tokens >= 1) bucket.tokens -= 1;
    else wait = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    bucket.fullAt = bucket.at + (ratePerMinute - bucket.tokens) / perMs;
    this.settle(bucket.slot);
    return wait;
  }

  private remove(bucket: Bucket): void {
    this.buckets.delete(bucket.key);
    const last = this.heap.pop()!;
    if (last === bucket) return;
    this.heap[bucket.slot] = last;
    last.slot = bucket.slot;
    this.settle(last.slot);
  }

  /** Moves the bucket at `slot` up or down until the heap order holds again. */
  private settle(slot: number): void {
    const heap = this.heap;
    const item = heap[slot]!;
    let i = slot;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.fullAt <= item.fullAt) break;
      this.place(heap[parent]!, i);
      i = parent;
    }
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.fullAt < heap[left]!.fullAt ? right : left;
      if (heap[child]!.fullAt >= item.fullAt) break;
      this.place(heap[child]!, i);
      i = child;
    }
    this.place(item, i);
  }

  private place(bucket: Bucket, slot: number): void {
    this.heap[slot] = bucket;
    bucket.slot = slot;
  }
}
