// Failed secrets other than a sign-in password (the current password on a change, an SMS sign-in code) counted
// towards the account lockout with the same atomic reservation sign-in uses (attempts.ts): a check is reserved
// (counted) before the secret is compared, so concurrent guesses cannot outrun it. No captcha applies here: the
// caller already holds a session or a password-verified challenge.
import { reserveAccountAttempt, type CounterRule } from './attempts.ts';
import type { Db } from './repository.ts';

/** Failed attempts (password or sign-in code) before the account locks. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;

/** The account lockout: sign-in uses the same limit and lock, with a captcha threshold added. */
export const ACCOUNT_LOCKOUT: Omit<CounterRule, 'captchaAfter'> = { limit: MAX_FAILED_ATTEMPTS, lockMs: LOCKOUT_MS, windowMs: null };

/**
 * Counts one attempt against the account before its secret is checked; returns its number (1…5), or null when the
 * account is locked or the remaining attempts are all taken by checks in flight (refuse without checking). The
 * attempt that reaches the limit locks the account at once; a success lifts it (clearFailures).
 */
export async function reserveAttempt(db: Db, userId: string, now: Date): Promise<number | null> {
  const reservation = await reserveAccountAttempt(db, userId, { ...ACCOUNT_LOCKOUT, captchaAfter: MAX_FAILED_ATTEMPTS }, now, true);
  return reservation.kind === 'reserved' ? reservation.failures : null;
}

/** A reserved attempt failed: when it was the last one allowed, the lock its reservation set is returned. */
export async function lockIfExhausted(db: Db, userId: string, attempt: number, now: Date): Promise<Date | null> {
  if (attempt < MAX_FAILED_ATTEMPTS) return null;
  const row = await db.selectFrom('app_user').select('locked_until').where('id', '=', userId).executeTakeFirst();
  return row?.locked_until && row.locked_until > now ? row.locked_until : new Date(now.getTime() + LOCKOUT_MS);
}

/** A reserved attempt succeeded: the failures before it are forgiven and a lock its reservation set is lifted. */
export async function clearFailures(db: Db, userId: string): Promise<void> {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}
