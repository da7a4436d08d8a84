// Electronic supervision (issue 9 §4–5): warnings (提醒, 黄牌, 红牌, 违规) on approval cases and other supervised
// matters, one row per subject and rule — the unique key is what makes each fire once across sweeps, restarts and
// nodes. Department and region path are copied from the subject for jurisdiction and per-department counts.
import { sql, type Kysely } from 'kysely';

const UP: string[] = [
  `
    CREATE TABLE supervision_warning (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subject_kind    varchar(16) NOT NULL CHECK (subject_kind IN ('case', 'penalty', 'enforcement', 'trading', 'village', 'project')),
      subject_id      uuid NOT NULL,
      rule            varchar(64) NOT NULL,
      level           varchar(16) NOT NULL CHECK (level IN ('prompt', 'yellow', 'red', 'irregular')),
      department_id   uuid NOT NULL REFERENCES department(id),
      region_code     varchar(12) NOT NULL REFERENCES region(code),
      region_path     text NOT NULL,
      fired_on        date NOT NULL,
      fired_at        timestamptz NOT NULL DEFAULT now(),
      summary         text NOT NULL,
      detail          jsonb NOT NULL DEFAULT '{}'::jsonb,
      state           varchar(16) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'explained', 'closed')),
      closed_at       timestamptz,
      UNIQUE (subject_id, rule)
    )
  `,
  `CREATE INDEX supervision_warning_path ON supervision_warning (region_path text_pattern_ops, fired_on)`,
  `CREATE INDEX supervision_warning_department ON supervision_warning (department_id, fired_on)`,
  `CREATE INDEX supervision_warning_recent ON supervision_warning (fired_at DESC)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS supervision_warning').execute(db);
}
