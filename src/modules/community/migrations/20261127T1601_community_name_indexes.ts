// The resident list's name indexes: (name, id) serves the list's order and keyset across a county or the prefecture;
// name text_pattern_ops serves 1–2 character fragments there as a prefix (pg_trgm needs 3 characters), see D64.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX community_resident_name_sort ON community_resident (name, id)`.execute(db);
  await sql`CREATE INDEX community_resident_name_prefix ON community_resident (name text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS community_resident_name_prefix`.execute(db);
  await sql`DROP INDEX IF EXISTS community_resident_name_sort`.execute(db);
}
