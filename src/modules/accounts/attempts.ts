// SQL for sign-in failure counters. An attempt reserves its failure slot in one statement before the password is
// checked, so concurrent guesses cannot overrun a limit, and every node sees the same counts.
import { sql, type RawBuilder } from 'kysely';
import type { Db } from './repository.ts';

export interface CounterRule {
  /** Failures at which the key locks. */
  limit: number;
  /** How long the key stays locked once the limit is reached. */
  lockMs: number;
  /** Failures older than this are forgotten; null keeps them until a success or the end of a lock. */
  windowMs: number | null;
  /** Failures after which a further attempt needs a solved captcha. */
  captchaAfter: number;
}

export type Reservation = { kind: 'reserved'; failures: number } | { kind: 'locked'; lockedUntil: Date } | { kind: 'captcha_required' };

interface Columns {
  failures: RawBuilder<number>;
  lockedUntil: RawBuilder<Date | null>;
  windowStart: RawBuilder<Date> | null;
}

/** The SQL pieces of a reservation over the given columns: the next count, its lock, and whether it may be taken. */
function slot(columns: Columns, rule: CounterRule, now: Date, captchaSolved: boolean) {
  const { failures, lockedUntil, windowStart } = columns;
  const windowCutoff = rule.windowMs === null || windowStart === null ? null : new Date(now.getTime() - rule.windowMs);
  const stale = sql`((${lockedUntil} IS NOT NULL AND ${lockedUntil} <= ${now}::timestamptz)${windowCutoff && windowStart ? sql` OR ${windowStart} <= ${windowCutoff}::timestamptz` : sql``})`;
  const next = sql<number>`(CASE WHEN ${stale} THEN 1 ELSE ${failures} + 1 END)`;
  const lockUntil = new Date(now.getTime() + rule.lockMs);
  return {
    stale,
    next,
    lock: sql<Date | null>`(CASE WHEN ${next} >= ${rule.limit}::int THEN ${lockUntil}::timestamptz ELSE NULL END)`,
    allowed: sql<boolean>`((${lockedUntil} IS NULL OR ${lockedUntil} <= ${now}::timestamptz) AND (${stale} OR ${failures} < ${rule.captchaAfter}::int OR ${captchaSolved}::boolean))`,
  };
}

function refusal(lockedUntil: Date | null | undefined, now: Date): Reservation {
  return lockedUntil && lockedUntil > now ? { kind: 'locked', lockedUntil } : { kind: 'captcha_required' };
}

/** Reserves a failure slot of an account (app_user.failed_logins), or says why not. */
export async function reserveAccountAttempt(db: Db, userId: string, rule: CounterRule, now: Date, captchaSolved: boolean): Promise<Reservation> {
  const s = slot({ failures: sql.ref('failed_logins'), lockedUntil: sql.ref('locked_until'), windowStart: null }, rule, now, captchaSolved);
  const { rows } = await sql<{ failures: number }>`
    UPDATE app_user SET failed_logins = ${s.next}, locked_until = ${s.lock}
    WHERE id = ${userId} AND ${s.allowed}
    RETURNING failed_logins AS failures`.execute(db);
  if (rows[0]) return { kind: 'reserved', failures: rows[0].failures };
  const row = await db.selectFrom('app_user').select('locked_until').where('id', '=', userId).executeTakeFirst();
  return refusal(row?.locked_until, now);
}

/** Reserves a failure slot of a counter key ('name:…', 'addr:…'), creating it on first use, or says why not. */
export async function reserveCounterAttempt(db: Db, key: string, rule: CounterRule, now: Date, captchaSolved: boolean): Promise<Reservation> {
  const s = slot({ failures: sql.ref('c.failures'), lockedUntil: sql.ref('c.locked_until'), windowStart: sql.ref('c.window_start') }, rule, now, captchaSolved);
  const first = rule.limit <= 1 ? new Date(now.getTime() + rule.lockMs) : null;
  const { rows } = await sql<{ failures: number }>`
    INSERT INTO sign_in_counter AS c (key, failures, window_start, locked_until)
    VALUES (${key}, 1, ${now}::timestamptz, ${first}::timestamptz)
    ON CONFLICT (key) DO UPDATE SET
      failures = ${s.next},
      window_start = CASE WHEN ${s.stale} THEN ${now}::timestamptz ELSE c.window_start END,
      locked_until = ${s.lock}
    WHERE ${s.allowed}
    RETURNING c.failures`.execute(db);
  if (rows[0]) return { kind: 'reserved', failures: rows[0].failures };
  const row = await db.selectFrom('sign_in_counter').select('locked_until').where('key', '=', key).executeTakeFirst();
  return refusal(row?.locked_until, now);
}

/** Gives a reserved slot back: the attempt succeeded, or was refused before any password was checked. */
export async function releaseCounterAttempt(db: Db, key: string): Promise<void> {
  await db
    .updateTable('sign_in_counter')
    .set((eb) => ({ failures: sql<number>`greatest(${eb.ref('failures')} - 1, 0)`, locked_until: null }))
    .where('key', '=', key)
    .execute();
}

/** Forgets counters untouched for a day and not locked. */
export async function purgeCounters(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_counter')
    .where('window_start', '<', new Date(now.getTime() - 86_400_000))
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
