// Second factor for sign-in: one row per SMS code challenge issued after a correct password.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    -- code_hash is SHA-256 of the challenge id and the 6-digit code; the code itself is never stored.
    -- attempts counts wrong codes (at most 5); consumed_at is set once, by the one submission that signs in.
    CREATE TABLE login_challenge (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id       uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      code_hash     char(64) NOT NULL,
      phone         varchar(20) NOT NULL,
      expires_at    timestamptz NOT NULL,
      attempts      integer NOT NULL DEFAULT 0,
      sends         integer NOT NULL DEFAULT 1,
      last_sent_at  timestamptz NOT NULL DEFAULT now(),
      consumed_at   timestamptz,
      client_addr   varchar(64),
      created_at    timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE INDEX login_challenge_user_recent ON login_challenge (user_id, created_at)
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS login_challenge').execute(db);
}
