// The per-client token bucket and the header decoding, as pure logic.
import { describe, expect, it } from 'vitest';
import { headerText } from './gateway.ts';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows rate_per_minute calls at once, then one per 60/rate seconds, with the wait to the next token', () => {
    const limiter = new RateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) expect(limiter.take('a', 60, t0)).toBe(0);
    expect(limiter.take('a', 60, t0)).toBe(1);
    expect(limiter.take('a', 60, t0 + 500)).toBe(1);
    expect(limiter.take('a', 60, t0 + 1000)).toBe(0);
    expect(limiter.take('a', 60, t0 + 1000)).toBe(1);
    // another client has its own bucket; a slow rate waits longer
    expect(limiter.take('b', 1, t0)).toBe(0);
    expect(limiter.take('b', 1, t0 + 1000)).toBe(59);
  });

  it('starts a fresh bucket when the client’s rate changes', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('c', 1, 0)).toBe(0);
    expect(limiter.take('c', 1, 0)).toBeGreaterThan(0);
    expect(limiter.take('c', 10, 0)).toBe(0);
  });
});

describe('headerText', () => {
  it('reads percent-encoded and raw UTF-8 header values', () => {
    expect(headerText(encodeURIComponent('社会救助资格核查'))).toBe('社会救助资格核查');
    expect(headerText(Buffer.from('低保审核', 'utf8').toString('latin1'))).toBe('低保审核');
    expect(headerText(' plain ')).toBe('plain');
    expect(headerText(undefined)).toBeUndefined();
    expect(headerText('%E4%BD')).toBe('%E4%BD');
  });
});
