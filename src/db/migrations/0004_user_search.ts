// User search by any part of a user name or display name: trigram (pg_trgm) GIN indexes serve `ILIKE '%q%'`.
// pg_trgm is a trusted extension on PostgreSQL ≥ 13 (the database owner may create it); PGlite loads it from
// @electric-sql/pglite/contrib (see openPglite). fastupdate is off because PGlite has no autovacuum to flush a GIN
// pending list, and every search would scan it (180 ms at 100,000 fresh accounts instead of 0.3 ms).
import { sql, type Kysely } from 'kysely';

/** The search indexes, by name; bulk loads (bench) drop and recreate them, which is much faster than row by row. */
export const USER_SEARCH_INDEXES: Record<string, string> = {
  app_user_username_trgm: `CREATE INDEX app_user_username_trgm ON app_user USING gin (username gin_trgm_ops) WITH (fastupdate = off)`,
  app_user_display_name_trgm: `CREATE INDEX app_user_display_name_trgm ON app_user USING gin (display_name gin_trgm_ops) WITH (fastupdate = off)`,
  // One or two characters (a surname, initials) have no trigram: they match as a prefix, served by these.
  app_user_username_prefix: `CREATE INDEX app_user_username_prefix ON app_user (lower(username) text_pattern_ops)`,
  app_user_display_name_prefix: `CREATE INDEX app_user_display_name_prefix ON app_user (lower(display_name) text_pattern_ops)`,
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm').execute(db);
  for (const statement of Object.values(USER_SEARCH_INDEXES)) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The extension stays: other objects may use it, and dropping it needs more privileges than creating it.
  for (const name of Object.keys(USER_SEARCH_INDEXES)) await sql.raw(`DROP INDEX IF EXISTS ${name}`).execute(db);
}
