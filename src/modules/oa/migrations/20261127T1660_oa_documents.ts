// Government-wide OA (万人政务大OA, issue 8 §7): documents (通知公告/公文) with their recipients resolved at send into
// per-department delivery rows and per-user receipts (签收), and the reminder ladder (one row per receipt and rung,
// so a reminder goes once however many nodes run the schedule).
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `
    CREATE TABLE oa_document (
      id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind                  varchar(16) NOT NULL CHECK (kind IN ('notice', 'official')),
      title                 varchar(200) NOT NULL,
      number                varchar(60),
      number_year           integer,
      urgency               varchar(16) NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'very_urgent')),
      marking               varchar(16) NOT NULL DEFAULT 'public' CHECK (marking IN ('public', 'internal')),
      body                  text NOT NULL DEFAULT '',
      sender_department_id  uuid NOT NULL REFERENCES department(id),
      sender_region_code    varchar(12) NOT NULL REFERENCES region(code),
      sender_region_path    text NOT NULL,
      created_by            uuid REFERENCES app_user(id),
      status                varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'withdrawn', 'archived')),
      recipients            jsonb NOT NULL,
      sign_deadline         timestamptz,
      supersedes_id         uuid REFERENCES oa_document(id),
      superseded_by_id      uuid REFERENCES oa_document(id),
      recipient_count       integer NOT NULL DEFAULT 0,
      sent_at               timestamptz,
      sent_by               uuid REFERENCES app_user(id),
      withdrawn_at          timestamptz,
      archived_at           timestamptz,
      created_at            timestamptz NOT NULL DEFAULT now(),
      updated_at            timestamptz NOT NULL DEFAULT now()
    )
  `,
  // 文号: unique per sending department and year among documents that went out (drafts may share one until sent)
  `CREATE UNIQUE INDEX oa_document_number ON oa_document (sender_department_id, number_year, number) WHERE number IS NOT NULL AND status IN ('sent', 'archived')`,
  `CREATE INDEX oa_document_sender ON oa_document (sender_department_id, created_at DESC)`,
  `CREATE INDEX oa_document_path ON oa_document (sender_region_path text_pattern_ops, sent_at DESC)`,
  `CREATE INDEX oa_document_title ON oa_document USING gin (title gin_trgm_ops)`,
  `
    CREATE TABLE oa_delivery (
      document_id    uuid NOT NULL REFERENCES oa_document(id) ON DELETE CASCADE,
      department_id  uuid NOT NULL REFERENCES department(id),
      PRIMARY KEY (document_id, department_id)
    )
  `,
  `
    CREATE TABLE oa_receipt (
      document_id    uuid NOT NULL REFERENCES oa_document(id) ON DELETE CASCADE,
      user_id        uuid NOT NULL REFERENCES app_user(id),
      department_id  uuid NOT NULL REFERENCES department(id),
      read_at        timestamptz,
      signed_at      timestamptz,
      PRIMARY KEY (document_id, user_id)
    )
  `,
  `CREATE INDEX oa_receipt_user ON oa_receipt (user_id, document_id)`,
  `CREATE INDEX oa_receipt_unsigned ON oa_receipt (document_id, department_id) WHERE signed_at IS NULL`,
  `
    CREATE TABLE oa_reminder (
      document_id  uuid NOT NULL,
      user_id      uuid NOT NULL,
      rung         smallint NOT NULL CHECK (rung BETWEEN 1 AND 9),
      sent_at      timestamptz NOT NULL DEFAULT now(),
      sms_id       uuid,
      PRIMARY KEY (document_id, user_id, rung),
      FOREIGN KEY (document_id, user_id) REFERENCES oa_receipt(document_id, user_id) ON DELETE CASCADE
    )
  `,
];

const DOWN = ['oa_reminder', 'oa_receipt', 'oa_delivery', 'oa_document'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of DOWN) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
}
