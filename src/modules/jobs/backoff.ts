// Retry delays: exponential in the attempt number, capped, with jitter so that failures do not retry in step.

export interface Backoff {
  /** Delay after the first failed attempt (before jitter). */
  baseMs: number;
  /** Upper bound of the delay. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 3600_000 };

/**
 * The wait before the next attempt after `attempt` attempts failed: base·2^(attempt−1), capped at max, of which a
 * random half is dropped ("equal jitter"), so the wait lies in [d/2, d].
 */
export function retryDelayMs(attempt: number, backoff: Backoff = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 40);
  const delay = Math.min(backoff.baseMs * 2 ** exponent, backoff.maxMs);
  return Math.round(delay / 2 + random() * (delay / 2));
}
