// User names and department codes are unique regardless of case (HS.X and hs.x are one name): indexes on lower().
import { sql, type Kysely } from 'kysely';

/** A database that already holds names differing only in case cannot take the indexes: say which, and how to fix it. */
export class CaseDuplicateError extends Error {
  constructor(readonly duplicates: { table: string; column: string; values: string[] }[]) {
    super(
      'Migration 0005 makes user names and department codes case-insensitive, but the database holds values that differ only in case: ' +
        duplicates.map((d) => `${d.table}.${d.column}: ${d.values.join(', ')}`).join('; ') +
        '. Rename all but one of each group (e.g. UPDATE app_user SET username = … WHERE id = …), then start GovCloud again.',
    );
    this.name = 'CaseDuplicateError';
  }
}

const TARGETS = [
  { table: 'app_user', column: 'username', index: 'app_user_username_lower' },
  { table: 'department', column: 'code', index: 'department_code_lower' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const duplicates: CaseDuplicateError['duplicates'] = [];
  for (const { table, column } of TARGETS) {
    const groups = await sql<{ vals: string[] }>`
      SELECT array_agg(${sql.ref(column)} ORDER BY ${sql.ref(column)}) AS vals
      FROM ${sql.table(table)}
      GROUP BY lower(${sql.ref(column)})
      HAVING count(*) > 1
      LIMIT 20
    `.execute(db);
    for (const group of groups.rows) duplicates.push({ table, column, values: group.vals });
  }
  if (duplicates.length > 0) throw new CaseDuplicateError(duplicates);
  for (const { table, column, index } of TARGETS) {
    await sql`CREATE UNIQUE INDEX ${sql.id(index)} ON ${sql.table(table)} (lower(${sql.ref(column)}))`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { index } of TARGETS) await sql`DROP INDEX IF EXISTS ${sql.id(index)}`.execute(db);
}
