import { describe, expect, it } from 'vitest';
import { FailureThrottle } from './throttle.ts';

describe('FailureThrottle', () => {
  it('refuses an address after the limit within the window, and forgives it as failures age out', () => {
    const throttle = new FailureThrottle(3, 1000);
    expect(throttle.retryAfter('a', 0)).toBe(0);
    throttle.fail('a', 0);
    throttle.fail('a', 100);
    expect(throttle.retryAfter('a', 200)).toBe(0);
    throttle.fail('a', 200);
    expect(throttle.retryAfter('a', 300)).toBe(700); // the oldest failure (t=0) leaves the window at 1000
    expect(throttle.retryAfter('b', 300)).toBe(0); // other addresses are unaffected
    expect(throttle.retryAfter('a', 1000)).toBe(0);
  });
});
