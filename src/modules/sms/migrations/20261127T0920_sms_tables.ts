// The SMS module's tables: messages, their segments, receipts not yet matched, templates, the opt-out register.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE sms_message (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      to_number     varchar(20) NOT NULL,
      body          text NOT NULL,
      template_code varchar(64),
      purpose       varchar(64) NOT NULL,
      urgent        boolean NOT NULL DEFAULT false,
      status        varchar(16) NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'delivered', 'failed', 'opted_out')),
      segments      smallint NOT NULL CHECK (segments BETWEEN 1 AND 255),
      hold_until    timestamptz,
      error         text,
      created_by    uuid,
      created_at    timestamptz NOT NULL DEFAULT now(),
      sent_at       timestamptz,
      done_at       timestamptz
    )
  `,
  `CREATE INDEX sms_message_recent ON sms_message (created_at DESC, id DESC)`,
  `CREATE INDEX sms_message_status ON sms_message (status, created_at DESC)`,
  `CREATE INDEX sms_message_number ON sms_message (to_number, created_at DESC)`,
  `
    CREATE TABLE sms_segment (
      message_id uuid NOT NULL REFERENCES sms_message(id) ON DELETE CASCADE,
      seq        smallint NOT NULL,
      smsc_id    varchar(65),
      status     varchar(16) NOT NULL CHECK (status IN ('sent', 'delivered', 'failed')),
      error      text,
      sent_at    timestamptz NOT NULL DEFAULT now(),
      done_at    timestamptz,
      PRIMARY KEY (message_id, seq)
    )
  `,
  `CREATE INDEX sms_segment_smsc_id ON sms_segment (smsc_id) WHERE smsc_id IS NOT NULL`,
  `
    CREATE TABLE sms_receipt (
      smsc_id     varchar(65) PRIMARY KEY,
      delivered   boolean NOT NULL,
      error       text,
      received_at timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE TABLE sms_template (
      code       varchar(64) PRIMARY KEY,
      name       varchar(100) NOT NULL,
      body       text NOT NULL,
      variables  text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `,
  `
    CREATE TABLE sms_opt_out (
      number     varchar(20) PRIMARY KEY,
      source     varchar(8) NOT NULL CHECK (source IN ('reply', 'admin')),
      note       varchar(200),
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sms_opt_out', 'sms_template', 'sms_receipt', 'sms_segment', 'sms_message']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
