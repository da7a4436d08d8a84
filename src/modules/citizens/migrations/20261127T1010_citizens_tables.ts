// Citizen accounts (the app_user row with kind 'citizen' plus the identity it was registered with), SMS codes, and
// the send counters that rate-limit code requests on every node alike.
import { sql, type Kysely } from 'kysely';

const UP = [
  `CREATE TABLE citizen (
     user_id     uuid PRIMARY KEY REFERENCES app_user(id) ON DELETE CASCADE,
     id_number   char(18) NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
     phone       varchar(11) NOT NULL CHECK (phone ~ '^1[3-9][0-9]{9}$'),
     created_at  timestamptz NOT NULL,
     updated_at  timestamptz NOT NULL
   )`,
  // one account per person and per number: concurrent registrations race on these, exactly one wins
  `CREATE UNIQUE INDEX citizen_id_number ON citizen (id_number)`,
  `CREATE UNIQUE INDEX citizen_phone ON citizen (phone)`,
  `CREATE TABLE citizen_code (
     id           uuid PRIMARY KEY,
     phone        varchar(11) NOT NULL,
     purpose      varchar(20) NOT NULL CHECK (purpose IN ('register', 'sign_in', 'change_phone')),
     user_id      uuid REFERENCES app_user(id) ON DELETE CASCADE,
     code_hash    char(64) NOT NULL,
     expires_at   timestamptz NOT NULL,
     attempts     integer NOT NULL DEFAULT 0,
     consumed_at  timestamptz,
     sent         boolean NOT NULL,
     client_addr  varchar(64),
     created_at   timestamptz NOT NULL
   )`,
  `CREATE INDEX citizen_code_latest ON citizen_code (phone, purpose, created_at DESC)`,
  `CREATE INDEX citizen_code_expiry ON citizen_code (expires_at)`,
  `CREATE TABLE citizen_send_counter (
     key           varchar(120) PRIMARY KEY,
     sends         integer NOT NULL,
     window_start  timestamptz NOT NULL
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['citizen_send_counter', 'citizen_code', 'citizen']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
