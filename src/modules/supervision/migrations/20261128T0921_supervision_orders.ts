// 督办 orders (a supervisor tells a department to act on a warning or a case, with a response deadline in working
// days) and 说明理由 explanations (a carded department explains a yellow or red card; the supervisor accepts — the
// card closes — or rejects). Both carry the department's region path for jurisdiction by prefix range. A partial
// index serves the sweep's "yellow card open past its 督办 period" rule.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE supervision_order (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      order_no        varchar(40) NOT NULL UNIQUE,
      warning_id      uuid REFERENCES supervision_warning(id),
      case_id         uuid REFERENCES approval_case(id),
      department_id   uuid NOT NULL REFERENCES department(id),
      region_code     varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      content         text NOT NULL,
      issued_on       date NOT NULL,
      deadline_days   integer NOT NULL CHECK (deadline_days BETWEEN 1 AND 60),
      respond_by      date NOT NULL,
      state           varchar(16) NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'responded', 'rectified', 'reopened', 'closed')),
      issued_by       uuid REFERENCES app_user(id),
      issued_at       timestamptz NOT NULL DEFAULT now(),
      response        text,
      responded_by    uuid REFERENCES app_user(id),
      responded_at    timestamptz,
      decision_note   text,
      decided_by      uuid REFERENCES app_user(id),
      decided_at      timestamptz,
      version         integer NOT NULL DEFAULT 1,
      updated_at      timestamptz NOT NULL DEFAULT now(),
      CHECK (warning_id IS NOT NULL OR case_id IS NOT NULL)
    )
  `,
  `CREATE INDEX supervision_order_path ON supervision_order (region_path text_pattern_ops, state)`,
  `CREATE INDEX supervision_order_department ON supervision_order (department_id, state)`,
  `CREATE INDEX supervision_order_warning ON supervision_order (warning_id) WHERE warning_id IS NOT NULL`,
  `
    CREATE TABLE supervision_explanation (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      warning_id      uuid NOT NULL REFERENCES supervision_warning(id),
      department_id   uuid NOT NULL REFERENCES department(id),
      region_path     text NOT NULL,
      text            text NOT NULL,
      state           varchar(16) NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected')),
      filed_by        uuid REFERENCES app_user(id),
      filed_at        timestamptz NOT NULL DEFAULT now(),
      decision_reason text,
      decided_by      uuid REFERENCES app_user(id),
      decided_at      timestamptz
    )
  `,
  `CREATE UNIQUE INDEX supervision_explanation_pending ON supervision_explanation (warning_id) WHERE state = 'pending'`,
  `CREATE INDEX supervision_explanation_path ON supervision_explanation (region_path text_pattern_ops, state)`,
  `CREATE INDEX supervision_warning_yellow_open ON supervision_warning (fired_on) WHERE rule = 'promised.passed' AND state <> 'closed'`,
  `CREATE INDEX supervision_warning_subject ON supervision_warning (subject_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS supervision_explanation').execute(db);
  await sql.raw('DROP TABLE IF EXISTS supervision_order').execute(db);
  await sql.raw('DROP INDEX IF EXISTS supervision_warning_yellow_open').execute(db);
  await sql.raw('DROP INDEX IF EXISTS supervision_warning_subject').execute(db);
}
