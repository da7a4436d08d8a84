// 站内信: in-app messages, newest first per recipient; unread ones counted from a partial index.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE inbox_message (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      recipient_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
      module text NOT NULL,
      kind text NOT NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      body text NOT NULL CHECK (length(body) <= 4000),
      link text CHECK (link LIKE '/%'),
      dedupe_key text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX inbox_message_recipient ON inbox_message (recipient_id, created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX inbox_message_unread ON inbox_message (recipient_id) WHERE read_at IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX inbox_message_dedupe ON inbox_message (recipient_id, dedupe_key) WHERE dedupe_key IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE inbox_message`.execute(db);
}
