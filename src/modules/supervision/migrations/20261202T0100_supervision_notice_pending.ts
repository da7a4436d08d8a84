// A warning fired by the one-case re-evaluation has its notices sent by an outbox handler after the case's transaction
// commits (D149): `notice_pending` is set by the insert and cleared by the handler that sends them, so a handler run
// twice notifies once. Warnings fired before, and those of the sweep (notified in its transaction), are false.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE supervision_warning ADD COLUMN IF NOT EXISTS notice_pending boolean NOT NULL DEFAULT false`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE supervision_warning DROP COLUMN IF EXISTS notice_pending`.execute(db);
}
