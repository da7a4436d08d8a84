// Per-region counts kept by the database: the dashboard reads one row per region instead of counting every account
// and department in the jurisdiction on each uncached request. Statement-level triggers with transition tables add
// each statement's net change per region, in region-code order (so concurrent writers lock tally rows in one order).
import { sql, type Kysely } from 'kysely';

const TABLES = [
  { table: 'department', column: 'departments' },
  { table: 'app_user', column: 'users' },
] as const;

function deltaFunction(table: string, column: string, op: 'ins' | 'upd' | 'del'): string {
  const rows =
    op === 'ins'
      ? 'SELECT region_code, 1 AS d FROM new_rows'
      : op === 'del'
        ? 'SELECT region_code, -1 AS d FROM old_rows'
        : 'SELECT NEW.region_code, 1 AS d UNION ALL SELECT OLD.region_code, -1';
  return `CREATE FUNCTION region_tally_${table}_${op}() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO region_tally AS t (region_code, ${column})
       SELECT region_code, sum(d)::int FROM (${rows}) c WHERE region_code IS NOT NULL
       GROUP BY region_code HAVING sum(d) <> 0 ORDER BY region_code
     ON CONFLICT (region_code) DO UPDATE SET ${column} = t.${column} + EXCLUDED.${column};
     RETURN NULL;
   END $$`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    `CREATE TABLE region_tally (
       region_code varchar(12) PRIMARY KEY,
       departments integer NOT NULL DEFAULT 0,
       users integer NOT NULL DEFAULT 0
     )`,
    `INSERT INTO region_tally (region_code, departments, users)
       SELECT region_code, sum(departments)::int, sum(users)::int FROM (
         SELECT region_code, count(*) AS departments, 0 AS users FROM department GROUP BY region_code
         UNION ALL SELECT region_code, 0, count(*) FROM app_user WHERE region_code IS NOT NULL GROUP BY region_code
       ) c GROUP BY region_code`,
  ];
  for (const { table, column } of TABLES) {
    for (const op of ['ins', 'upd', 'del'] as const) {
      statements.push(deltaFunction(table, column, op));
      // inserts and deletes come in bulk (imports, the seed): once per statement; a region change is rare: once per row,
      // and only when the region really changed (column lists and transition tables do not mix)
      statements.push(
        op === 'upd'
          ? `CREATE TRIGGER region_tally_upd AFTER UPDATE OF region_code ON ${table} FOR EACH ROW
               WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code) EXECUTE FUNCTION region_tally_${table}_upd()`
          : `CREATE TRIGGER region_tally_${op} AFTER ${op === 'ins' ? 'INSERT' : 'DELETE'} ON ${table}
               REFERENCING ${op === 'ins' ? 'NEW TABLE AS new_rows' : 'OLD TABLE AS old_rows'} FOR EACH STATEMENT EXECUTE FUNCTION region_tally_${table}_${op}()`,
      );
    }
  }
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { table } of TABLES) {
    for (const op of ['ins', 'upd', 'del'] as const) {
      await sql.raw(`DROP TRIGGER IF EXISTS region_tally_${op} ON ${table}`).execute(db);
      await sql.raw(`DROP FUNCTION IF EXISTS region_tally_${table}_${op}()`).execute(db);
    }
  }
  await sql`DROP TABLE IF EXISTS region_tally`.execute(db);
}
