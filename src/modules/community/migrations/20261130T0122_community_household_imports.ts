// Household files (D113) run through the same import rows and reports as resident files: the import says which it is.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE community_import ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'residents' CHECK (kind IN ('residents', 'households'))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE community_import DROP COLUMN kind`.execute(db);
}
