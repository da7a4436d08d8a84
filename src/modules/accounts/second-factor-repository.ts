// SQL for sign-in code challenges. Consuming a code and counting a wrong one are each one conditional UPDATE, so two
// concurrent submissions of the right code sign in once and no more than the allowed wrong codes are ever counted.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { LoginChallengeTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Takes the row lock on the user, so concurrent sign-ins of one account count their SMS sends one at a time. */
export async function lockUser(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx.selectFrom('app_user').select('id').where('id', '=', userId).forUpdate().executeTakeFirst();
}

/** SMS sent to the user since `since` (first sends and resends), and when the oldest of those challenges was last sent. */
export async function recentSends(db: Db, userId: string, since: Date): Promise<{ sends: number; oldest: Date | null }> {
  const row = await db
    .selectFrom('login_challenge')
    .select([sql<number>`coalesce(sum(sends), 0)::int`.as('sends'), sql<Date | null>`min(last_sent_at)`.as('oldest')])
    .where('user_id', '=', userId)
    .where('last_sent_at', '>', since)
    .executeTakeFirstOrThrow();
  return { sends: row.sends, oldest: row.oldest === null ? null : new Date(row.oldest) };
}

export async function insertChallenge(
  trx: Db,
  row: { id: string; userId: string; codeHash: string; phone: string; expiresAt: Date; clientAddr: string | null; at: Date },
): Promise<void> {
  // Only the newest code of a user works: a second sign-in retires the codes sent before it.
  await trx.updateTable('login_challenge').set({ expires_at: row.at }).where('user_id', '=', row.userId).where('consumed_at', 'is', null).where('expires_at', '>', row.at).execute();
  await trx
    .insertInto('login_challenge')
    .values({ id: row.id, user_id: row.userId, code_hash: row.codeHash, phone: row.phone, expires_at: row.expiresAt, client_addr: row.clientAddr, last_sent_at: row.at, created_at: row.at })
    .execute();
}

/** An open challenge (not consumed, not expired, attempts left), for a resend. */
export async function findOpenChallenge(db: Db, id: string, now: Date, maxAttempts: number) {
  return db
    .selectFrom('login_challenge as c')
    .innerJoin('app_user as u', 'u.id', 'c.user_id')
    .select(['c.id', 'c.user_id', 'c.phone', 'c.sends', 'c.last_sent_at', 'c.expires_at', 'u.username'])
    .where((eb) => isOpen(eb, id, now, maxAttempts))
    .executeTakeFirst();
}

/** Replaces the code of an open challenge if it was last sent before `sentBefore`; false when another resend won. */
export async function replaceCode(trx: Db, id: string, codeHash: string, expiresAt: Date, now: Date, sentBefore: Date, maxSends: number): Promise<boolean> {
  const result = await trx
    .updateTable('login_challenge')
    .set({ code_hash: codeHash, expires_at: expiresAt, last_sent_at: now, sends: sql`sends + 1` })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('last_sent_at', '<=', sentBefore)
    .where('sends', '<', maxSends)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The challenge `c` is still open: not consumed, not expired, attempts left. */
function isOpen(eb: ExpressionBuilder<{ c: LoginChallengeTable }, 'c'>, id: string, now: Date, maxAttempts: number) {
  return eb.and([eb('c.id', '=', id), eb('c.consumed_at', 'is', null), eb('c.expires_at', '>', now), eb('c.attempts', '<', maxAttempts)]);
}

/** Marks the challenge used if the code is right and it is still open; returns whose it is, or nothing. */
export async function consumeChallenge(db: Db, id: string, codeHash: string, now: Date, maxAttempts: number) {
  return db
    .updateTable('login_challenge as c')
    .set({ consumed_at: now })
    .from('app_user as u')
    .whereRef('u.id', '=', 'c.user_id')
    .where((eb) => isOpen(eb, id, now, maxAttempts))
    .where('c.code_hash', '=', codeHash)
    .returning(['c.user_id', 'u.username'])
    .executeTakeFirst();
}

/** Counts a wrong code against an open challenge; returns the attempts so far, or nothing when it is no longer open. */
export async function countWrongCode(db: Db, id: string, now: Date, maxAttempts: number) {
  return db
    .updateTable('login_challenge as c')
    .set({ attempts: sql`c.attempts + 1` })
    .from('app_user as u')
    .whereRef('u.id', '=', 'c.user_id')
    .where((eb) => isOpen(eb, id, now, maxAttempts))
    .returning(['c.attempts', 'c.user_id', 'u.username'])
    .executeTakeFirst();
}

/** Closes a challenge so no code opens it (the account locked, or the SMS could not be sent). */
export async function closeChallenge(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('login_challenge').set({ expires_at: now }).where('id', '=', id).execute();
}
