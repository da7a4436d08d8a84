// The incremental sweep (D106): what the previous sweep covered (its business day, when it started, the calendar it
// used), and the indexes that find the cases whose answer can have changed since — changed rows, due days crossed,
// yellow cards that outlived their period.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE supervision_sweep_state (
      id                smallint PRIMARY KEY CHECK (id = 1),
      swept_day         date NOT NULL,
      started_at        timestamptz NOT NULL,
      calendar_version  text,
      exhaustive_day    date NOT NULL
    )
  `,
  `CREATE INDEX approval_case_updated ON approval_case (updated_at)`,
  `CREATE INDEX approval_case_open_promised ON approval_case (promised_due) WHERE state IN ('accepted', 'reviewing', 'decided')`,
  `CREATE INDEX supervision_warning_rule_fired ON supervision_warning (rule, fired_on)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const statement of ['DROP INDEX IF EXISTS supervision_warning_rule_fired', 'DROP INDEX IF EXISTS approval_case_open_promised', 'DROP INDEX IF EXISTS approval_case_updated', 'DROP TABLE IF EXISTS supervision_sweep_state'])
    await sql.raw(statement).execute(db);
}
