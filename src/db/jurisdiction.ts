// Jurisdiction filtering for region-bound rows: `column` must be a region code inside one of the scope's subtrees.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../shared/access.ts';
import type { Database } from './schema.ts';

/** Escapes LIKE metacharacters (\\ % _) so user text is matched literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching every string that starts with `path`. */
export function likePrefix(path: string): string {
  return `${escapeLike(path)}%`;
}

/**
 * `region_code IN (SELECT code FROM region WHERE path LIKE '/6505/650502/%' OR …)`, index-served by
 * region_path_prefix. Use it in every query that reads region-bound data.
 */
export function inScope<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  regionColumn: Expression<string | null>,
  scope: Scope,
): Expression<SqlBool> {
  const conditions = scope.paths.map((path) => sql<boolean>`r.path LIKE ${likePrefix(path)}`);
  return eb(regionColumn, 'in', sql<string>`(SELECT r.code FROM region r WHERE ${sql.join(conditions, sql` OR `)})`);
}
