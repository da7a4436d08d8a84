// Queueing 100,000 messages at once (a notice, D112): every index of sms_message costs an entry per message, and a
// random primary key scatters them over the whole index. Ids become time-ordered (UUID version 7, RFC 9562: 48 bits of
// Unix milliseconds, then random bits), so a bulk insert appends to the right edge of the key; the history's newest-
// first index is built ascending (a backward scan serves ORDER BY … DESC, and rising keys append instead of splitting
// the leftmost page); the status index keeps only the settled outcomes a filter looks for among old rows (failed,
// opted out) — queued and sent messages are the newest, found by walking the recent index, and delivered ones are most.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // set_bit counts bits from the low end of each byte: bits 52–55 of byte 6 make the version nibble 0111 (the
  // variant bits of byte 8 are gen_random_uuid()'s own 10)
  await sql`
    CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
      SELECT encode(set_bit(set_bit(set_bit(set_bit(
               overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
             52, 1), 53, 1), 54, 1), 55, 0), 'hex')::uuid
    $$
  `.execute(db);
  await sql`ALTER TABLE sms_message ALTER COLUMN id SET DEFAULT uuid_v7()`.execute(db);
  await sql`DROP INDEX IF EXISTS sms_message_recent`.execute(db);
  await sql`CREATE INDEX sms_message_recent ON sms_message (created_at, id)`.execute(db);
  await sql`DROP INDEX IF EXISTS sms_message_status`.execute(db);
  await sql`CREATE INDEX sms_message_settled ON sms_message (status, created_at, id) WHERE status IN ('failed', 'opted_out')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS sms_message_settled`.execute(db);
  await sql`CREATE INDEX sms_message_status ON sms_message (status, created_at DESC)`.execute(db);
  await sql`DROP INDEX IF EXISTS sms_message_recent`.execute(db);
  await sql`CREATE INDEX sms_message_recent ON sms_message (created_at DESC, id DESC)`.execute(db);
  await sql`ALTER TABLE sms_message ALTER COLUMN id SET DEFAULT gen_random_uuid()`.execute(db);
  await sql`DROP FUNCTION IF EXISTS uuid_v7()`.execute(db);
}
