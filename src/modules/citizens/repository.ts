// SQL of the citizens module. Counters and codes change in single conditional statements, so concurrent requests on
// any number of nodes can neither overrun a limit nor use one code twice.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { CodePurpose } from './schema.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** A window of code requests: at most `limit` per `windowMs` for the key. */
export interface SendRule {
  key: string;
  limit: number;
  windowMs: number;
}

/**
 * Counts one request against the rule's fixed window (a new window starts when the old one has passed); returns
 * null when counted, else when the window ends.
 */
export async function countSend(db: Db, rule: SendRule, now: Date): Promise<Date | null> {
  const cutoff = new Date(now.getTime() - rule.windowMs);
  const { rows } = await sql<{ sends: number }>`
    INSERT INTO citizen_send_counter AS c (key, sends, window_start)
    VALUES (${rule.key}, 1, ${now}::timestamptz)
    ON CONFLICT (key) DO UPDATE SET
      sends = CASE WHEN c.window_start <= ${cutoff}::timestamptz THEN 1 ELSE c.sends + 1 END,
      window_start = CASE WHEN c.window_start <= ${cutoff}::timestamptz THEN ${now}::timestamptz ELSE c.window_start END
    WHERE c.window_start <= ${cutoff}::timestamptz OR c.sends < ${rule.limit}::int
    RETURNING c.sends`.execute(db);
  if (rows[0]) return null;
  const row = await db.selectFrom('citizen_send_counter').select('window_start').where('key', '=', rule.key).executeTakeFirstOrThrow();
  return new Date(row.window_start.getTime() + rule.windowMs);
}

/** Issues a code: the older open codes of the same number and purpose stop working. */
export async function insertCode(
  trx: Db,
  row: { id: string; phone: string; purpose: CodePurpose; userId: string | null; codeHash: string; expiresAt: Date; sent: boolean; clientAddr: string | null; at: Date },
): Promise<void> {
  await trx
    .updateTable('citizen_code')
    .set({ expires_at: row.at })
    .where('phone', '=', row.phone)
    .where('purpose', '=', row.purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', row.at)
    .execute();
  await trx
    .insertInto('citizen_code')
    .values({
      id: row.id,
      phone: row.phone,
      purpose: row.purpose,
      user_id: row.userId,
      code_hash: row.codeHash,
      expires_at: row.expiresAt,
      sent: row.sent,
      client_addr: row.clientAddr,
      created_at: row.at,
    })
    .execute();
}

/** The newest open code of a number for a purpose (not used, not expired, attempts left). */
export async function findOpenCode(db: Db, phone: string, purpose: CodePurpose, now: Date, maxAttempts: number) {
  return db
    .selectFrom('citizen_code')
    .select(['id', 'user_id'])
    .where('phone', '=', phone)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Marks the code used when its hash matches and it is still open; one of two concurrent right submissions wins. */
export async function consumeCode(db: Db, id: string, codeHash: string, now: Date, maxAttempts: number): Promise<{ user_id: string | null } | undefined> {
  return db
    .updateTable('citizen_code')
    .set({ consumed_at: now })
    .where('id', '=', id)
    .where('code_hash', '=', codeHash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning('user_id')
    .executeTakeFirst();
}

/** Counts a failed use of an open code; returns the attempts so far, or nothing when the code is no longer open. */
export async function countFailedUse(db: Db, id: string, now: Date, maxAttempts: number): Promise<number | undefined> {
  const row = await db
    .updateTable('citizen_code')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', now)
    .where('attempts', '<', maxAttempts)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts;
}

/** Closes a code (its SMS could not be sent). */
export async function closeCode(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('citizen_code').set({ expires_at: now }).where('id', '=', id).execute();
}

/** The account registered with a mobile number or an ID number. */
export async function findCitizenBy(db: Db, column: 'phone' | 'id_number', value: string) {
  return db.selectFrom('citizen as c').innerJoin('app_user as u', 'u.id', 'c.user_id').select(['c.user_id', 'u.username']).where(`c.${column}`, '=', value).executeTakeFirst();
}

/** The citizen's own record: account and identity. */
export async function findProfile(db: Db, userId: string) {
  return db
    .selectFrom('citizen as c')
    .innerJoin('app_user as u', 'u.id', 'c.user_id')
    .select(['c.user_id', 'c.id_number', 'c.phone', 'c.created_at', 'u.display_name', 'u.username', 'u.status', 'u.last_login_at'])
    .where('c.user_id', '=', userId)
    .where('u.kind', '=', 'citizen')
    .executeTakeFirst();
}

/** Inserts the identity row; on a taken ID number or phone nothing is written and the taken field is named. */
export async function insertCitizen(trx: Db, row: { userId: string; idNumber: string; phone: string; at: Date }): Promise<'ok' | 'idNumber' | 'phone'> {
  const inserted = await trx
    .insertInto('citizen')
    .values({ user_id: row.userId, id_number: row.idNumber, phone: row.phone, created_at: row.at, updated_at: row.at })
    .onConflict((oc) => oc.doNothing())
    .returning('user_id')
    .executeTakeFirst();
  if (inserted) return 'ok';
  return (await findCitizenBy(trx, 'id_number', row.idNumber)) ? 'idNumber' : 'phone';
}

/** Moves a citizen to a new number; false when the number belongs to another account (the unique index decides). */
export async function updatePhone(trx: Db, userId: string, phone: string, at: Date): Promise<boolean> {
  try {
    await trx.updateTable('citizen').set({ phone, updated_at: at }).where('user_id', '=', userId).execute();
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === '23505') return false;
    throw error;
  }
}

/** Forgets codes expired a day ago and counters whose window ended a day ago; returns how many rows went. */
export async function purgeCodes(db: Db, now: Date): Promise<number> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const codes = await db.deleteFrom('citizen_code').where('expires_at', '<', dayAgo).executeTakeFirst();
  const counters = await db.deleteFrom('citizen_send_counter').where('window_start', '<', new Date(dayAgo.getTime() - 86_400_000)).executeTakeFirst();
  return Number(codes.numDeletedRows) + Number(counters.numDeletedRows);
}
