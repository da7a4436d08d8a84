// Customary directory order: departments by kind (党委 → 人大 → 政府 → 政协 → 法院/检察院 → 群团 → 事业单位 …), then a
// sort number, then code; one index serves the department list and its keyset cursor.
import { sql, type Kysely } from 'kysely';

/** The rank of each kind; must match DEPARTMENT_KIND_RANK in src/modules/departments/kinds.ts (a test checks). */
const KIND_RANK = `CASE kind
  WHEN 'party' THEN 1
  WHEN 'people_congress' THEN 2
  WHEN 'government' THEN 3
  WHEN 'cppcc' THEN 4
  WHEN 'court' THEN 5
  WHEN 'procuratorate' THEN 6
  WHEN 'mass_org' THEN 7
  WHEN 'public_institution' THEN 8
  WHEN 'media' THEN 9
  WHEN 'enterprise' THEN 10
  ELSE 99 END`;

const UP: string[] = [
  // A stored generated column: follows every change of kind, needs no trigger, and is plainly indexable.
  `ALTER TABLE department ADD COLUMN kind_rank smallint GENERATED ALWAYS AS (${KIND_RANK}) STORED`,
  // 排序号 — position within its kind; the seed numbers the catalogue, new departments go after (1000).
  `ALTER TABLE department ADD COLUMN sort_order integer NOT NULL DEFAULT 1000`,
  `CREATE INDEX department_directory_order ON department (kind_rank, sort_order, code)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS department_directory_order').execute(db);
  await sql.raw('ALTER TABLE department DROP COLUMN IF EXISTS sort_order').execute(db);
  await sql.raw('ALTER TABLE department DROP COLUMN IF EXISTS kind_rank').execute(db);
}
