// Supervised matters (issue 9 §5): one row per matter of any kind — common columns typed, the kind's own fields in
// `data` (jsonb, validated per kind by the service's TypeBox schemas) — plus the child tables a kind needs: a
// project's milestones, a village schedule's publications. The penalty discretion table (裁量基准) is seeded here.
import { sql, type Kysely } from 'kysely';
import { SEEDED_ARTICLES } from '../kinds.ts';

const UP: string[] = [
  `
    CREATE TABLE matter_penalty_article (
      code        varchar(32) PRIMARY KEY,
      law         varchar(100) NOT NULL,
      article     varchar(40) NOT NULL,
      summary     text NOT NULL,
      min_yuan    numeric(14, 2) NOT NULL CHECK (min_yuan >= 0),
      max_yuan    numeric(14, 2) NOT NULL CHECK (max_yuan >= min_yuan)
    )
  `,
  `
    CREATE TABLE supervised_matter (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind           varchar(16) NOT NULL CHECK (kind IN ('penalty', 'enforcement', 'trading', 'village', 'project')),
      department_id  uuid NOT NULL REFERENCES department(id),
      region_code    varchar(12) NOT NULL REFERENCES region(code),
      region_path    text NOT NULL,
      title          varchar(200) NOT NULL,
      ref_no         varchar(60) NOT NULL,
      state          varchar(16) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'cancelled')),
      started_on     date NOT NULL,
      data           jsonb NOT NULL DEFAULT '{}'::jsonb,
      version        integer NOT NULL DEFAULT 1,
      created_by     uuid REFERENCES app_user(id),
      created_at     timestamptz NOT NULL DEFAULT now(),
      updated_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (department_id, kind, ref_no)
    )
  `,
  `CREATE INDEX supervised_matter_path ON supervised_matter (region_path text_pattern_ops, kind, started_on)`,
  `CREATE INDEX supervised_matter_open ON supervised_matter (kind, id) WHERE state = 'open'`,
  // the public disclosure: decided penalties, newest decision first
  `CREATE INDEX supervised_matter_public_penalty ON supervised_matter (((data->>'decidedOn')) DESC, id) WHERE kind = 'penalty' AND state <> 'cancelled'`,
  `
    CREATE TABLE matter_project_milestone (
      matter_id     uuid NOT NULL REFERENCES supervised_matter(id) ON DELETE CASCADE,
      seq           smallint NOT NULL CHECK (seq BETWEEN 1 AND 99),
      name          varchar(100) NOT NULL,
      planned_on    date NOT NULL,
      completed_on  date,
      PRIMARY KEY (matter_id, seq)
    )
  `,
  `
    CREATE TABLE matter_village_publication (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      matter_id     uuid NOT NULL REFERENCES supervised_matter(id) ON DELETE CASCADE,
      period        varchar(7) NOT NULL,
      published_on  date NOT NULL,
      summary       text NOT NULL,
      income_yuan   numeric(14, 2),
      expense_yuan  numeric(14, 2),
      recorded_by   uuid REFERENCES app_user(id),
      recorded_at   timestamptz NOT NULL DEFAULT now(),
      UNIQUE (matter_id, period)
    )
  `,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
  for (const a of SEEDED_ARTICLES) {
    await sql`INSERT INTO matter_penalty_article (code, law, article, summary, min_yuan, max_yuan) VALUES (${a.code}, ${a.law}, ${a.article}, ${a.summary}, ${a.minYuan}, ${a.maxYuan})`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['matter_village_publication', 'matter_project_milestone', 'supervised_matter', 'matter_penalty_article']) await sql.raw(`DROP TABLE IF EXISTS ${t}`).execute(db);
}
