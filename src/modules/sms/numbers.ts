// Mobile numbers and purpose codes as the SMS module accepts them.
import { invalid } from '../../shared/errors.ts';

export const MOBILE_PATTERN = '^(?:\\+?86)?1[3-9][0-9]{9}$';
export const MOBILE = new RegExp(MOBILE_PATTERN);
export const PURPOSE_PATTERN = '^[a-z][a-z0-9_.]{0,63}$';
export const PURPOSE = new RegExp(PURPOSE_PATTERN);

/** Drops a +86 / 86 prefix: numbers are kept as their 11 digits. */
export function normalizeMobile(value: string, field = 'to'): string {
  const trimmed = value.trim();
  if (!MOBILE.test(trimmed)) throw invalid('sms.invalid_number', field, `"${value}" is not a mainland mobile number (11 digits starting 13–19).`);
  return trimmed.slice(-11);
}
