// Failed secrets counted towards the account lockout with single atomic statements, never read-modify-write in
// JavaScript: a check is reserved (counted) before the secret is compared, so concurrent guesses cannot outrun it.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Failed attempts (password or sign-in code) before the account locks. */
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;

/**
 * Counts one attempt against the account before its secret is checked; returns its number (1…5), or null when the
 * account is locked or the remaining attempts are all taken by checks in flight (refuse without checking).
 */
export async function reserveAttempt(db: Db, userId: string, now: Date): Promise<number | null> {
  const row = await db
    .updateTable('app_user')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('id', '=', userId)
    .where('failed_logins', '<', MAX_FAILED_ATTEMPTS)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('failed_logins')
    .executeTakeFirst();
  return row?.failed_logins ?? null;
}

/** A reserved attempt failed: the last one allowed locks the account (and the count starts afresh after it). */
export async function lockIfExhausted(db: Db, userId: string, attempt: number, now: Date): Promise<Date | null> {
  if (attempt < MAX_FAILED_ATTEMPTS) return null;
  const lockedUntil = new Date(now.getTime() + LOCKOUT_MS);
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: lockedUntil }).where('id', '=', userId).execute();
  return lockedUntil;
}

/** A reserved attempt succeeded: the failures before it are forgiven. */
export async function clearFailures(db: Db, userId: string): Promise<void> {
  await db.updateTable('app_user').set({ failed_logins: 0 }).where('id', '=', userId).execute();
}
