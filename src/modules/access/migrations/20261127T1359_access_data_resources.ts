// Catalogue resources are shared as 'data:<resource code>' (codes up to 64 characters): widen share_grant.resource.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE share_grant ALTER COLUMN resource TYPE varchar(100)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE share_grant ALTER COLUMN resource TYPE varchar(40)`.execute(db);
}
