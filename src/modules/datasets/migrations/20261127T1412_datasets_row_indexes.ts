// data_row keeps only the indexes its readers use: nothing reads rows by load id (a load's rows are counted when it
// commits, and its tombstones are found through staging), and every index is written once per merged row (D51).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX IF EXISTS data_row_load`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS data_row_load ON data_row (load_id)`.execute(db);
}
