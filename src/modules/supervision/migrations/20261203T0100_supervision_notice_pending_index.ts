// The warnings whose notices are still pending, oldest first, for the resend job (D160): a partial index holds only
// them, so the job's look costs nothing however many warnings have been sent.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS supervision_warning_notice_pending ON supervision_warning (fired_at) WHERE notice_pending`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS supervision_warning_notice_pending`.execute(db);
}
