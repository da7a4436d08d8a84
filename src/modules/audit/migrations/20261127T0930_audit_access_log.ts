// The personal-data access log: append-only, partitioned by month, written in batches anchored in the audit chain.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE audit_access (
      at            timestamptz NOT NULL,
      batch_id      uuid NOT NULL,
      ord           integer NOT NULL CHECK (ord >= 0),
      actor_id      uuid,
      actor_name    varchar(100),
      department_id uuid,
      role          varchar(30),
      permission    varchar(100) NOT NULL,
      scope         jsonb NOT NULL,
      resource      varchar(100) NOT NULL,
      subject_ids   jsonb NOT NULL CHECK (jsonb_typeof(subject_ids) = 'array'),
      fields        jsonb NOT NULL CHECK (jsonb_typeof(fields) = 'array'),
      region_code   varchar(12),
      client_addr   varchar(64),
      request_id    varchar(64),
      detail        jsonb,
      PRIMARY KEY (batch_id, ord, at)
    ) PARTITION BY RANGE (at)
  `,
  `CREATE INDEX audit_access_at ON audit_access (at)`,
  `CREATE INDEX audit_access_actor ON audit_access (actor_id, at)`,
  `CREATE INDEX audit_access_region ON audit_access (region_code, at)`,
  // "who read this person's data": subject_ids @> '["<id>"]'
  `CREATE INDEX audit_access_subjects ON audit_access USING gin (subject_ids jsonb_path_ops)`,
  `
    CREATE FUNCTION audit_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_access is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$
  `,
  `
    CREATE TRIGGER audit_access_no_update BEFORE UPDATE OR DELETE ON audit_access
      FOR EACH ROW EXECUTE FUNCTION audit_access_append_only()
  `,
  `
    CREATE TRIGGER audit_access_no_truncate BEFORE TRUNCATE ON audit_access
      FOR EACH STATEMENT EXECUTE FUNCTION audit_access_append_only()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS audit_access').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS audit_access_append_only()').execute(db);
}
