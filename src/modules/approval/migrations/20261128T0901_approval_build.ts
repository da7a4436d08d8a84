// Administrative approval, the build (issue 9 §1–3): a case keeps the step limits of its item as submitted, the days
// an extension asks for, the materials a 补正 asks for, and case numbers are drawn from a counter per department and day.
import { sql, type Kysely } from 'kysely';

const UP = [
  `ALTER TABLE approval_case ADD COLUMN step_limits jsonb NOT NULL DEFAULT '{}'::jsonb`,
  `ALTER TABLE approval_case ADD COLUMN item_version integer NOT NULL DEFAULT 1`,
  `ALTER TABLE approval_case ADD COLUMN extension_requested_days integer CHECK (extension_requested_days IS NULL OR extension_requested_days BETWEEN 1 AND 365)`,
  `ALTER TABLE approval_case_pause ADD COLUMN materials smallint[] NOT NULL DEFAULT '{}'::smallint[]`,
  `ALTER TABLE approval_case_pause ADD COLUMN ended_by uuid REFERENCES app_user(id)`,
  `
    CREATE TABLE approval_case_counter (
      prefix  varchar(40) PRIMARY KEY,
      last    integer NOT NULL
    )
  `,
  `CREATE INDEX approval_case_open_department ON approval_case (department_id, statutory_due) WHERE state IN ('submitted', 'accepted', 'reviewing', 'decided')`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`DROP TABLE IF EXISTS approval_case_counter`).execute(db);
  await sql.raw(`DROP INDEX IF EXISTS approval_case_open_department`).execute(db);
  for (const column of ['step_limits', 'item_version', 'extension_requested_days']) await sql.raw(`ALTER TABLE approval_case DROP COLUMN IF EXISTS ${column}`).execute(db);
  for (const column of ['materials', 'ended_by']) await sql.raw(`ALTER TABLE approval_case_pause DROP COLUMN IF EXISTS ${column}`).execute(db);
}
