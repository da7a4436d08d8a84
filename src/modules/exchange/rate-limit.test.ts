// The per-client token bucket and the header decoding, as pure logic.
import { describe, expect, it } from 'vitest';
import { headerText } from './gateway.ts';
import { DEFAULT_BUCKETS, RateLimiter } from './rate-limit.ts';

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

describe('RateLimiter bounds', () => {
  it('filling the table with other addresses does not reset a limited address (the old wipe past 100,000 did)', () => {
    const limiter = new RateLimiter();
    const t0 = 5_000_000;
    for (let i = 0; i < 20; i++) expect(limiter.take('198.51.100.7', 20, t0)).toBe(0);
    expect(limiter.take('198.51.100.7', 20, t0)).toBe(3);
    // rotating addresses: two and a half tables' worth of fresh ones, one lookup each, within the same second
    for (let i = 0; i < 2.5 * DEFAULT_BUCKETS; i++) limiter.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 20, t0 + (i % 1000));
    expect(limiter.size).toBe(DEFAULT_BUCKETS);
    expect(limiter.take('198.51.100.7', 20, t0 + 1000)).toBeGreaterThan(0);
    // and it refills as before: one token every 3 seconds
    expect(limiter.take('198.51.100.7', 20, t0 + 3000)).toBe(0);
    expect(limiter.take('198.51.100.7', 20, t0 + 3000)).toBe(3);
  });

  it('drops the bucket that is full again soonest: a full one before a used one, a used one before a limited one', () => {
    const limiter = new RateLimiter(3);
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) limiter.take('limited', 5, t0);
    expect(limiter.take('limited', 5, t0)).toBe(12);
    limiter.take('used', 5, t0);
    limiter.take('idle', 5, t0 - 60_000);
    // 'idle' is full again by t0 (nothing lost by forgetting it); 'used' is full in 12 s, 'limited' in a minute
    limiter.take('new1', 5, t0);
    expect(limiter.size).toBe(3);
    limiter.take('new2', 5, t0);
    limiter.take('new3', 5, t0);
    limiter.take('new4', 5, t0);
    expect(limiter.take('limited', 5, t0)).toBe(12);
    // a table of limited keys only: the longest-limited ones stay, the least limited goes
    const tight = new RateLimiter(2);
    for (let i = 0; i < 3; i++) tight.take('a', 2, t0);
    tight.take('b', 2, t0);
    tight.take('c', 2, t0);
    expect(tight.take('a', 2, t0)).toBe(30);
    // 'b' (one token left) was the one forgotten
    expect(tight.take('b', 2, t0)).toBe(0);
    expect(tight.take('b', 2, t0)).toBe(0);
    expect(tight.take('a', 2, t0)).toBe(30);
  });

  it('refuses a capacity that is not a positive whole number', () => {
    expect(() => new RateLimiter(0)).toThrow(/capacity/);
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
