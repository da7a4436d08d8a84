// Staging of a load's accepted rows (keyed by load id) until the one commit transaction merges them into data_row,
// and the load's heartbeat, by which loads of a process that died are failed.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  // UNLOGGED: staging is scratch data; a crash loses it, and a crash fails the load anyway (no WAL cost per row)
  `
    CREATE UNLOGGED TABLE data_load_staging (
      load_id      uuid NOT NULL,
      row_no       integer NOT NULL,
      key          text NOT NULL,
      data         jsonb NOT NULL,
      region_code  varchar(12),
      person_id    varchar(18)
    )
  `,
  // BRIN: a load's rows lie together, so the block ranges find them at almost no cost per inserted row (a btree on
  // the key would double the cost of staging a row); duplicates are found by hashing instead
  `CREATE INDEX data_load_staging_load ON data_load_staging USING brin (load_id)`,
  `ALTER TABLE data_load ADD COLUMN heartbeat_at timestamptz`,
  `ALTER TABLE data_load ADD COLUMN all_or_nothing boolean NOT NULL DEFAULT false`,
  `CREATE INDEX data_load_unfinished ON data_load (heartbeat_at) WHERE status IN ('receiving', 'validating', 'committing')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    'DROP INDEX IF EXISTS data_load_unfinished',
    'ALTER TABLE data_load DROP COLUMN IF EXISTS all_or_nothing',
    'ALTER TABLE data_load DROP COLUMN IF EXISTS heartbeat_at',
    'DROP TABLE IF EXISTS data_load_staging',
  ]) {
    await sql.raw(statement).execute(db);
  }
}
