// Platform core schema: regions, departments, accounts, sessions, tokens, audit.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    -- Administrative regions. code is the GB/T 2260 / NBS code (4, 6, 9 or 12 digits),
    -- path is the materialized chain of codes ('/6505/650502/650502001/') so a subtree
    -- is one index range scan (path LIKE '/6505/650502/%').
    CREATE TABLE region (
      code            varchar(12) PRIMARY KEY CHECK (code ~ '^[0-9]{2,12}$'),
      name            varchar(100) NOT NULL,
      level           smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
      parent_code     varchar(12) REFERENCES region(code),
      path            text NOT NULL UNIQUE,
      valid_from      date NOT NULL DEFAULT current_date,
      valid_to        date,
      successor_code  varchar(12) REFERENCES region(code),
      created_at      timestamptz NOT NULL DEFAULT now(),
      updated_at      timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_to IS NULL OR valid_to >= valid_from)
    )
  `,
  `
    CREATE INDEX region_path_prefix ON region (path text_pattern_ops)
  `,
  `
    CREATE INDEX region_parent ON region (parent_code)
  `,
  `
    -- Every earlier name or parent a region had, with the dates it held it.
    CREATE TABLE region_history (
      id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      code          varchar(12) NOT NULL REFERENCES region(code),
      name          varchar(100) NOT NULL,
      parent_code   varchar(12),
      valid_from    date NOT NULL,
      valid_to      date NOT NULL,
      change        varchar(20) NOT NULL CHECK (change IN ('rename', 'merge', 'retire', 'reparent')),
      note          varchar(500),
      recorded_at   timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE INDEX region_history_code ON region_history (code, valid_from)
  `,
  `
    CREATE TABLE department (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code          varchar(32) NOT NULL UNIQUE,
      name          varchar(100) NOT NULL,
      short_name    varchar(50),
      kind          varchar(20) NOT NULL,
      region_code   varchar(12) NOT NULL REFERENCES region(code),
      parent_id     uuid REFERENCES department(id),
      credit_code   char(18) UNIQUE,
      created_at    timestamptz NOT NULL DEFAULT now(),
      updated_at    timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE INDEX department_region ON department (region_code)
  `,
  `
    CREATE INDEX department_parent ON department (parent_id)
  `,
  `
    -- Staff and citizen accounts. password_hash is NULL for an account not yet activated.
    CREATE TABLE app_user (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      username            varchar(64) NOT NULL UNIQUE,
      display_name        varchar(100) NOT NULL,
      kind                varchar(10) NOT NULL CHECK (kind IN ('staff', 'citizen')),
      department_id       uuid REFERENCES department(id),
      region_code         varchar(12) REFERENCES region(code),
      phone               varchar(20),
      email               varchar(254),
      password_hash       text,
      status              varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
      failed_logins       integer NOT NULL DEFAULT 0,
      locked_until        timestamptz,
      password_changed_at timestamptz,
      last_login_at       timestamptz,
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now(),
      CHECK (kind = 'citizen' OR department_id IS NOT NULL)
    )
  `,
  `
    CREATE INDEX app_user_department ON app_user (department_id)
  `,
  `
    CREATE INDEX app_user_region ON app_user (region_code)
  `,
  `
    -- A role held over a jurisdiction: the region subtree rooted at region_code.
    CREATE TABLE role_grant (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id       uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      role          varchar(30) NOT NULL,
      region_code   varchar(12) NOT NULL REFERENCES region(code),
      granted_by    uuid REFERENCES app_user(id),
      granted_at    timestamptz NOT NULL DEFAULT now(),
      UNIQUE (user_id, role, region_code)
    )
  `,
  `
    CREATE INDEX role_grant_region ON role_grant (region_code)
  `,
  `
    -- Server-side sessions; only the SHA-256 of the cookie value is stored.
    CREATE TABLE user_session (
      id_hash       char(64) PRIMARY KEY,
      user_id       uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      csrf_token    varchar(64) NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      last_seen_at  timestamptz NOT NULL DEFAULT now(),
      expires_at    timestamptz NOT NULL,
      client_addr   varchar(64),
      user_agent    varchar(300)
    )
  `,
  `
    CREATE INDEX user_session_user ON user_session (user_id)
  `,
  `
    -- Machine-client tokens; only the SHA-256 of the secret is stored.
    CREATE TABLE api_token (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id       uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      name          varchar(100) NOT NULL,
      token_hash    char(64) NOT NULL UNIQUE,
      scopes        text[] NOT NULL,
      expires_at    timestamptz NOT NULL,
      last_used_at  timestamptz,
      revoked_at    timestamptz,
      created_at    timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE INDEX api_token_user ON api_token (user_id)
  `,
  `
    -- Tamper-evident audit trail: each record's hash covers its content and the previous hash.
    CREATE TABLE audit_log (
      seq           bigint PRIMARY KEY,
      at            timestamptz NOT NULL,
      actor_id      uuid,
      actor_name    varchar(100),
      role          varchar(30),
      department_id uuid,
      action        varchar(100) NOT NULL,
      object_type   varchar(50),
      object_id     varchar(100),
      region_code   varchar(12),
      outcome       varchar(10) NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
      client_addr   varchar(64),
      request_id    varchar(64),
      detail        jsonb,
      prev_hash     char(64) NOT NULL,
      hash          char(64) NOT NULL
    )
  `,
  `
    CREATE INDEX audit_log_region ON audit_log (region_code, seq)
  `,
  `
    CREATE INDEX audit_log_actor ON audit_log (actor_id, seq)
  `,
  `
    CREATE INDEX audit_log_at ON audit_log (at)
  `,
  `
    -- The chain head: a one-row table whose row lock serialises appends.
    CREATE TABLE audit_head (
      id    smallint PRIMARY KEY CHECK (id = 1),
      seq   bigint NOT NULL,
      hash  char(64) NOT NULL
    )
  `,
  `
    INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64))
  `,
  `
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$
  `,
  `
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
  `,
  `
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS audit_head').execute(db);
  await sql.raw('DROP TABLE IF EXISTS audit_log').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS audit_log_append_only()').execute(db);
  await sql.raw('DROP TABLE IF EXISTS api_token').execute(db);
  await sql.raw('DROP TABLE IF EXISTS user_session').execute(db);
  await sql.raw('DROP TABLE IF EXISTS role_grant').execute(db);
  await sql.raw('DROP TABLE IF EXISTS app_user').execute(db);
  await sql.raw('DROP TABLE IF EXISTS department').execute(db);
  await sql.raw('DROP TABLE IF EXISTS region_history').execute(db);
  await sql.raw('DROP TABLE IF EXISTS region').execute(db);
}
