// Freezing 100,000 recipients fired the foreign-key trigger 100,000 times (1.6 s of the freeze, D112). Recipient rows are
// written only by the send that holds the notice row's lock (freezeRecipients), and notices are never deleted, so
// the reference is kept by that one writer and the trigger goes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notice_recipient DROP CONSTRAINT IF EXISTS notice_recipient_notice_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notice_recipient ADD CONSTRAINT notice_recipient_notice_id_fkey FOREIGN KEY (notice_id) REFERENCES notice(id) ON DELETE CASCADE`.execute(db);
}
