// supervision_warning (subject_id) duplicated the leading column of the unique (subject_id, rule) index, which serves
// every lookup by subject; each fired warning paid for both (D134).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS supervision_warning_subject`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS supervision_warning_subject ON supervision_warning (subject_id)`.execute(db);
}
