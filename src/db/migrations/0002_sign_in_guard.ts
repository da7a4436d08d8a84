// Sign-in guard state shared by every node: failure counters per name and per client address, and captchas.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    -- Failed sign-ins counted atomically per key: 'name:<SHA-256 of the NFKC lower-case name>' for names without a usable
    -- account (so unknown names lock out like real ones) and 'addr:<client address>'. An attempt reserves its
    -- slot (failures + 1) before the password is checked; a success gives it back.
    CREATE TABLE sign_in_counter (
      key           varchar(200) PRIMARY KEY,
      failures      integer NOT NULL CHECK (failures >= 0),
      window_start  timestamptz NOT NULL,
      locked_until  timestamptz
    )
  `,
  `
    CREATE INDEX sign_in_counter_window ON sign_in_counter (window_start)
  `,
  `
    -- A captcha's answer, hashed with its id; single-use (deleted when tried) and short-lived.
    CREATE TABLE sign_in_captcha (
      id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      answer_hash  char(64) NOT NULL,
      expires_at   timestamptz NOT NULL
    )
  `,
  `
    CREATE INDEX sign_in_captcha_expiry ON sign_in_captcha (expires_at)
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS sign_in_captcha').execute(db);
  await sql.raw('DROP TABLE IF EXISTS sign_in_counter').execute(db);
}
