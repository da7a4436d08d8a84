// Freezing 100,000 recipients writes 100,000 index entries per index of notice_recipient: keep the primary key alone.
// The pending index repeated it (dispatch walks the key forward from the last batch and skips flagged rows), and
// nothing looks a recipient up by its SMS record (the history joins recipient → message by the message's key).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS notice_recipient_pending`.execute(db);
  await sql`DROP INDEX IF EXISTS notice_recipient_message`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX notice_recipient_pending ON notice_recipient (notice_id, resident_id) WHERE NOT dispatched`.execute(db);
  await sql`CREATE INDEX notice_recipient_message ON notice_recipient (sms_message_id) WHERE sms_message_id IS NOT NULL`.execute(db);
}
