// 好差评 (one rating per concluded case, with the follow-up of a bad one) and 投诉 (complaints with a decision to
// accept on a working-day deadline). Both carry their department's region path for jurisdiction by prefix range.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE evaluation_rating (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id             uuid NOT NULL UNIQUE REFERENCES approval_case(id),
      department_id       uuid NOT NULL REFERENCES department(id),
      region_code         varchar(12) NOT NULL REFERENCES region(code),
      region_path         text NOT NULL,
      level               smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
      comment             text NOT NULL DEFAULT '' CHECK (length(comment) <= 500),
      tags                text[] NOT NULL DEFAULT '{}',
      channel             varchar(10) NOT NULL CHECK (channel IN ('portal', 'counter')),
      citizen_id          uuid REFERENCES app_user(id),
      recorded_by         uuid REFERENCES app_user(id),
      rated_at            timestamptz NOT NULL DEFAULT now(),
      rated_on            date NOT NULL,
      follow_up_due       date,
      followed_up_on      date,
      followed_up_at      timestamptz,
      follow_up_by        uuid REFERENCES app_user(id),
      follow_up_contacted boolean,
      follow_up_result    text,
      follow_up_satisfied boolean,
      CHECK ((level <= 2) = (follow_up_due IS NOT NULL))
    )
  `,
  `CREATE INDEX evaluation_rating_path ON evaluation_rating (region_path text_pattern_ops, rated_at DESC, id)`,
  `CREATE INDEX evaluation_rating_month ON evaluation_rating (department_id, rated_on)`,
  `CREATE INDEX evaluation_rating_pending ON evaluation_rating (follow_up_due) WHERE follow_up_due IS NOT NULL AND followed_up_at IS NULL`,
  `
    CREATE TABLE evaluation_complaint (
      id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id       uuid NOT NULL REFERENCES department(id),
      region_code         varchar(12) NOT NULL REFERENCES region(code),
      region_path         text NOT NULL,
      case_id             uuid REFERENCES approval_case(id),
      complainant_name    varchar(50) NOT NULL,
      complainant_phone   varchar(11),
      citizen_id          uuid REFERENCES app_user(id),
      filed_by            uuid REFERENCES app_user(id),
      channel             varchar(10) NOT NULL CHECK (channel IN ('portal', 'staff')),
      subject             varchar(100) NOT NULL,
      body                text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
      state               varchar(16) NOT NULL DEFAULT 'filed' CHECK (state IN ('filed', 'accepted', 'not_accepted', 'handled', 'closed')),
      filed_at            timestamptz NOT NULL DEFAULT now(),
      filed_on            date NOT NULL,
      decide_due          date NOT NULL,
      decided_at          timestamptz,
      decided_by          uuid REFERENCES app_user(id),
      decision_reason     text,
      handled_at          timestamptz,
      handled_by          uuid REFERENCES app_user(id),
      result              text,
      closed_at           timestamptz,
      updated_at          timestamptz NOT NULL DEFAULT now(),
      CHECK (state <> 'not_accepted' OR length(coalesce(decision_reason, '')) > 0)
    )
  `,
  `CREATE INDEX evaluation_complaint_path ON evaluation_complaint (region_path text_pattern_ops, filed_at DESC, id)`,
  `CREATE INDEX evaluation_complaint_citizen ON evaluation_complaint (citizen_id, filed_at DESC) WHERE citizen_id IS NOT NULL`,
  `CREATE INDEX evaluation_complaint_pending ON evaluation_complaint (decide_due) WHERE state = 'filed'`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS evaluation_complaint').execute(db);
  await sql.raw('DROP TABLE IF EXISTS evaluation_rating').execute(db);
}
