// Evaluation (issue 9 §6): the monthly department score and its published ranking. Ratings (好差评) and complaints
// are the evaluation module's own tables (added by its build); the score is in the contract because the big screen
// and the supervision cockpit read it.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE evaluation_score (
      month           date NOT NULL CHECK (extract(day FROM month) = 1),
      department_id   uuid NOT NULL REFERENCES department(id),
      region_code     varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      score           numeric(5, 2) NOT NULL CHECK (score BETWEEN 0 AND 110),
      grade           varchar(16) NOT NULL CHECK (grade IN ('excellent', 'good', 'pass', 'fail')),
      rank            integer NOT NULL CHECK (rank >= 1),
      components      jsonb NOT NULL DEFAULT '{}'::jsonb,
      computed_at     timestamptz NOT NULL DEFAULT now(),
      published_at    timestamptz,
      PRIMARY KEY (month, department_id)
    )
  `,
  `CREATE INDEX evaluation_score_path ON evaluation_score (region_path text_pattern_ops, month)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS evaluation_score').execute(db);
}
