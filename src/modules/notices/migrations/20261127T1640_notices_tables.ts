// Targeted notices (issue 8 §5): templates with variables, notices with their frozen recipients. A recipient row is
// written once per (notice, resident) when the notice is sent; the dispatch job marks it dispatched in the same
// transaction that queues its SMS and 站内信, so a crash resumes without sending anyone twice.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE notice_template (
      id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name         varchar(100) NOT NULL,
      body         varchar(670) NOT NULL,
      region_code  varchar(12) NOT NULL REFERENCES region(code),
      region_path  text NOT NULL,
      created_by   uuid REFERENCES app_user(id),
      created_at   timestamptz NOT NULL DEFAULT now(),
      updated_at   timestamptz NOT NULL DEFAULT now()
    )
  `,
  `CREATE INDEX notice_template_path ON notice_template (region_path text_pattern_ops)`,
  `
    CREATE TABLE notice (
      id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      title            varchar(100) NOT NULL,
      template_id      uuid REFERENCES notice_template(id) ON DELETE SET NULL,
      body             varchar(670) NOT NULL,
      fields           jsonb NOT NULL DEFAULT '{}',
      filter           jsonb NOT NULL,
      region_code      varchar(12) NOT NULL REFERENCES region(code),
      region_path      text NOT NULL,
      channels         text[] NOT NULL,
      status           varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sending', 'sent')),
      recipient_count  integer NOT NULL DEFAULT 0,
      request_key      varchar(64),
      created_by       uuid REFERENCES app_user(id),
      created_at       timestamptz NOT NULL DEFAULT now(),
      sent_by          uuid REFERENCES app_user(id),
      sent_at          timestamptz,
      dispatched_at    timestamptz
    )
  `,
  `CREATE INDEX notice_path ON notice (region_path text_pattern_ops, created_at DESC)`,
  // a double click on the composer's button sends the same request key: one notice
  `CREATE UNIQUE INDEX notice_request_key ON notice (created_by, request_key)`,
  `
    CREATE TABLE notice_recipient (
      notice_id       uuid NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
      resident_id     uuid NOT NULL,
      name            varchar(50) NOT NULL,
      phone           varchar(20),
      user_id         uuid,
      body            text NOT NULL,
      dispatched      boolean NOT NULL DEFAULT false,
      sms_message_id  uuid,
      inbox_sent      boolean NOT NULL DEFAULT false,
      PRIMARY KEY (notice_id, resident_id)
    )
  `,
  `CREATE INDEX notice_recipient_pending ON notice_recipient (notice_id, resident_id) WHERE NOT dispatched`,
  `CREATE INDEX notice_recipient_message ON notice_recipient (sms_message_id) WHERE sms_message_id IS NOT NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['notice_recipient', 'notice', 'notice_template']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
