// Indexes the quality figures read by: each resource's newest committed load (freshness, completeness from its stats).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`CREATE INDEX data_load_committed ON data_load (resource_id, finished_at DESC) WHERE status = 'committed'`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS data_load_committed').execute(db);
}
