// Plausible mainland mobile numbers for demo staff, so the console's masking (138****5678) has something to mask.
import type { Prng } from './prng.ts';

/** Network prefixes in use (China Mobile, Unicom, Telecom, virtual operators): 1[3-9]x. */
const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '173', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'] as const;

/** Hands out distinct 11-digit mobile numbers. */
export class MobilePool {
  private readonly used = new Set<string>();

  constructor(private readonly rng: Prng) {}

  take(): string {
    for (;;) {
      const number = this.rng.pick(MOBILE_PREFIXES) + String(this.rng.int(0, 99_999_999)).padStart(8, '0');
      if (!this.used.has(number)) {
        this.used.add(number);
        return number;
      }
    }
  }
}

/** A mainland mobile number: 11 digits starting 1[3-9]. */
export const MOBILE_NUMBER = /^1[3-9][0-9]{9}$/;
