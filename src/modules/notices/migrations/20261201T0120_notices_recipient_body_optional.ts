// A notice's SMS are queued at send from the same rendered rows as its recipients (D123): an SMS's text lives in its SMS
// record, and a recipient row keeps the text only for a 站内信 — 100,000 texts are no longer written twice.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notice_recipient ALTER COLUMN body DROP NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // a recipient reached by SMS alone: its text from its SMS record
  await sql`UPDATE notice_recipient nr SET body = coalesce((SELECT m.body FROM sms_message m WHERE m.id = nr.sms_message_id), '') WHERE nr.body IS NULL`.execute(db);
  await sql`ALTER TABLE notice_recipient ALTER COLUMN body SET NOT NULL`.execute(db);
}
