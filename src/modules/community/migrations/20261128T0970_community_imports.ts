// Resident imports (issue 8 §1): a file's or the population resource's rows validated into a per-row per-column report
// and committed together. The import row carries its progress (read by the console while the import runs).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE community_import (
      id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      source           varchar(16) NOT NULL CHECK (source IN ('file', 'sharing')),
      file_name        varchar(255),
      format           varchar(8),
      encoding         varchar(16),
      resource_id      uuid,
      all_or_nothing   boolean NOT NULL DEFAULT false,
      status           varchar(16) NOT NULL CHECK (status IN ('queued', 'receiving', 'validating', 'committing', 'committed', 'rejected', 'failed')),
      bytes_total      bigint,
      bytes_read       bigint NOT NULL DEFAULT 0,
      total_rows       integer NOT NULL DEFAULT 0,
      accepted_rows    integer NOT NULL DEFAULT 0,
      rejected_rows    integer NOT NULL DEFAULT 0,
      inserted_rows    integer NOT NULL DEFAULT 0,
      updated_rows     integer NOT NULL DEFAULT 0,
      error            text,
      scope_paths      text[] NOT NULL,
      department_id    uuid REFERENCES department(id),
      created_by       uuid REFERENCES app_user(id),
      created_at       timestamptz NOT NULL DEFAULT now(),
      finished_at      timestamptz
    )`.execute(db);
  await sql`CREATE INDEX community_import_creator ON community_import (created_by, created_at DESC)`.execute(db);
  await sql`
    CREATE TABLE community_import_rejection (
      import_id  uuid NOT NULL REFERENCES community_import(id) ON DELETE CASCADE,
      row_no     integer NOT NULL,
      item       varchar(64) NOT NULL DEFAULT '',
      value      text,
      code       varchar(64) NOT NULL,
      message    text NOT NULL,
      PRIMARY KEY (import_id, row_no, item)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS community_import_rejection`.execute(db);
  await sql`DROP TABLE IF EXISTS community_import`.execute(db);
}
