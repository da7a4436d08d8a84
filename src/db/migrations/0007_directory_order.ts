// Customary directory order: departments by kind (党委 → 人大 → 政府 → 政协 → 法院/检察院 → 群团 → 事业单位 …), then a
// sort number, then code; one index serves the department list and its keyset cursor. Users are listed by their
// department's place in that order, then user name: the department's key is copied onto app_user (kept in step by
// triggers) so that order too is one index walk rather than a sort of every account in the jurisdiction.
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
  // Citizens (no department) sort last: 99, 0, ''.
  `ALTER TABLE app_user
     ADD COLUMN dept_kind_rank smallint NOT NULL DEFAULT 99,
     ADD COLUMN dept_sort_order integer NOT NULL DEFAULT 0,
     ADD COLUMN dept_code varchar(32) NOT NULL DEFAULT ''`,
  `UPDATE app_user u SET dept_kind_rank = d.kind_rank, dept_sort_order = d.sort_order, dept_code = d.code FROM department d WHERE d.id = u.department_id`,
  `CREATE FUNCTION app_user_directory_key() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF NEW.department_id IS NULL THEN
       NEW.dept_kind_rank := 99; NEW.dept_sort_order := 0; NEW.dept_code := '';
     ELSE
       SELECT d.kind_rank, d.sort_order, d.code INTO NEW.dept_kind_rank, NEW.dept_sort_order, NEW.dept_code FROM department d WHERE d.id = NEW.department_id;
     END IF;
     RETURN NEW;
   END;
   $$`,
  `CREATE TRIGGER app_user_directory_key BEFORE INSERT OR UPDATE OF department_id, dept_kind_rank, dept_sort_order, dept_code ON app_user
     FOR EACH ROW EXECUTE FUNCTION app_user_directory_key()`,
  `CREATE FUNCTION department_directory_key() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE app_user SET department_id = department_id WHERE department_id = NEW.id;
     RETURN NULL;
   END;
   $$`,
  `CREATE TRIGGER department_directory_key AFTER UPDATE OF kind, sort_order, code ON department
     FOR EACH ROW WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.sort_order IS DISTINCT FROM NEW.sort_order OR OLD.code IS DISTINCT FROM NEW.code)
     EXECUTE FUNCTION department_directory_key()`,
  `CREATE INDEX app_user_directory_order ON app_user (dept_kind_rank, dept_sort_order, dept_code, username)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of UP) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TRIGGER IF EXISTS department_directory_key ON department').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS department_directory_key()').execute(db);
  await sql.raw('DROP TRIGGER IF EXISTS app_user_directory_key ON app_user').execute(db);
  await sql.raw('DROP FUNCTION IF EXISTS app_user_directory_key()').execute(db);
  await sql.raw('DROP INDEX IF EXISTS app_user_directory_order').execute(db);
  await sql.raw('ALTER TABLE app_user DROP COLUMN IF EXISTS dept_kind_rank, DROP COLUMN IF EXISTS dept_sort_order, DROP COLUMN IF EXISTS dept_code').execute(db);
  await sql.raw('DROP INDEX IF EXISTS department_directory_order').execute(db);
  await sql.raw('ALTER TABLE department DROP COLUMN IF EXISTS sort_order').execute(db);
  await sql.raw('ALTER TABLE department DROP COLUMN IF EXISTS kind_rank').execute(db);
}
