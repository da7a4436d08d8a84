// Loaded data: loads (atomic, versioned per resource), their rejected cells, and the current rows of each resource,
// upserted by key. Every write of a row takes the next value of data_row_seq: change feeds page by it.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE data_load (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      resource_id     uuid NOT NULL REFERENCES data_resource(id),
      department_id   uuid NOT NULL REFERENCES department(id),
      version         integer,
      source          varchar(8) NOT NULL CHECK (source IN ('file', 'api')),
      file_name       varchar(255),
      format          varchar(8) CHECK (format IS NULL OR format IN ('csv', 'xlsx', 'json')),
      encoding        varchar(16),
      mode            varchar(8) NOT NULL DEFAULT 'upsert' CHECK (mode IN ('upsert', 'replace')),
      status          varchar(12) NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'validating', 'committing', 'committed', 'rejected', 'failed')),
      bytes_total     bigint,
      bytes_read      bigint NOT NULL DEFAULT 0,
      total_rows      integer NOT NULL DEFAULT 0,
      accepted_rows   integer NOT NULL DEFAULT 0,
      rejected_rows   integer NOT NULL DEFAULT 0,
      inserted_rows   integer NOT NULL DEFAULT 0,
      updated_rows    integer NOT NULL DEFAULT 0,
      stats           jsonb,
      error           varchar(1000),
      created_by      uuid REFERENCES app_user(id),
      created_at      timestamptz NOT NULL DEFAULT now(),
      finished_at     timestamptz,
      UNIQUE (resource_id, version)
    )
  `,
  `CREATE INDEX data_load_resource ON data_load (resource_id, created_at)`,
  `
    CREATE TABLE data_load_rejection (
      load_id   uuid NOT NULL REFERENCES data_load(id) ON DELETE CASCADE,
      row_no    integer NOT NULL,
      item      varchar(64) NOT NULL DEFAULT '',
      value     varchar(200),
      code      varchar(64) NOT NULL,
      message   varchar(500) NOT NULL,
      PRIMARY KEY (load_id, row_no, item)
    )
  `,
  `CREATE SEQUENCE data_row_seq`,
  // no foreign keys on data_row: its one writer (the datasets merge) names a resource and a load it holds, and the
  // per-row checks cost 40 % of a million-row merge (D51)
  `
    CREATE TABLE data_row (
      resource_id  uuid NOT NULL,
      key          text NOT NULL,
      data         jsonb NOT NULL,
      region_code  varchar(12),
      person_id    varchar(18),
      load_id      uuid NOT NULL,
      seq          bigint NOT NULL DEFAULT nextval('data_row_seq'),
      deleted      boolean NOT NULL DEFAULT false,
      updated_at   timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (resource_id, key)
    )
  `,
  `CREATE INDEX data_row_seq_idx ON data_row (resource_id, seq)`,
  `CREATE INDEX data_row_person ON data_row (person_id, resource_id) WHERE person_id IS NOT NULL`,
  `CREATE INDEX data_row_region ON data_row (resource_id, region_code text_pattern_ops)`,
  `CREATE INDEX data_row_load ON data_row (load_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of ['DROP TABLE IF EXISTS data_row', 'DROP SEQUENCE IF EXISTS data_row_seq', 'DROP TABLE IF EXISTS data_load_rejection', 'DROP TABLE IF EXISTS data_load']) {
    await sql.raw(statement).execute(db);
  }
}
