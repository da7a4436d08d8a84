// Failed sign-ins per client address: stops password spraying across many accounts, which per-account lockout cannot.
// Only failures count, so an office of hundreds behind one NAT address signing in correctly is never slowed.

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    /** Failures allowed per window before the address is refused. */
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxTracked = 50_000,
  ) {}

  /** Milliseconds until the address may try again, or 0 when it may now. */
  retryAfter(key: string, now = Date.now()): number {
    const recent = this.recent(key, now);
    return recent.length < this.limit ? 0 : recent[0]! + this.windowMs - now;
  }

  fail(key: string, now = Date.now()): void {
    const recent = this.recent(key, now);
    recent.push(now);
    if (!this.failures.has(key) && this.failures.size >= this.maxTracked) this.failures.clear();
    this.failures.set(key, recent);
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    return kept;
  }
}
