// sms_is_mobile(text): a mainland mobile number as kept (11 ASCII digits, 13–19), the regex ^1[3-9][0-9]{9}$ said
// with plain string functions. A bulk send checks 100,000 numbers twice (the notice's render, the queue's refusal
// check): the regex cost ~2 µs a number, these ~1 µs (D148). Plain SQL, so the planner inlines it (no call per row).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION sms_is_mobile(number text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT char_length(number) = 11 AND left(number, 1) = '1' AND substr(number, 2, 1) IN ('3', '4', '5', '6', '7', '8', '9')
             AND ltrim(number, '0123456789') = ''
    $$
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS sms_is_mobile(text)`.execute(db);
}
