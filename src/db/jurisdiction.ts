// Jurisdiction filtering for region-bound rows: `column` must be a region code inside one of the scope's subtrees.
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
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

/** `department_id IN (the trees rooted at the departments \`roots\` selects)`: a recursive walk down `department.parent_id`. */
function inDepartmentTrees(departmentColumn: Expression<string | null>, roots: RawBuilder<unknown>): Expression<SqlBool> {
  return sql<SqlBool>`${departmentColumn} IN (
    WITH RECURSIVE tree(id, depth) AS (
      SELECT d.id, 0 FROM department d WHERE d.id IN (${roots})
      UNION
      SELECT c.id, tree.depth + 1 FROM department c JOIN tree ON c.parent_id = tree.id WHERE tree.depth < 100
    )
    SELECT id FROM tree
  )`;
}

/** Tenancy: the row's department lies in one of the scope's department trees (false when the scope has none). */
export function inTenant(departmentColumn: Expression<string | null>, scope: Pick<Scope, 'departments'>): Expression<SqlBool> {
  return scope.departments.length === 0 ? sql<SqlBool>`false` : inDepartmentTrees(departmentColumn, sql.join(scope.departments));
}

/**
 * Share grants: the row's department lies in the tree of an owner that shared this resource with the caller. The
 * grants come with the caller (expiry checked by authorize); revocation is checked here, so it holds on every node
 * at once.
 */
export function inShares(departmentColumn: Expression<string | null>, scope: Pick<Scope, 'shares'>): Expression<SqlBool> {
  if (scope.shares.length === 0) return sql<SqlBool>`false`;
  const ids = sql.join(scope.shares.map((s) => s.id));
  return inDepartmentTrees(departmentColumn, sql`SELECT s.owner_department_id FROM share_grant s WHERE s.id IN (${ids}) AND s.revoked_at IS NULL`);
}

/** The part of a scope that opens whole rows: region subtrees ∪ department trees (not share grants, which open fields). */
export function inRoleScope<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: { region: Expression<string | null>; department: Expression<string | null> },
  scope: Scope,
): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (scope.paths.length > 0) parts.push(inScope(eb, columns.region, scope));
  if (scope.departments.length > 0) parts.push(inTenant(columns.department, scope));
  return parts.length === 0 ? sql<SqlBool>`false` : eb.or(parts);
}

/** The whole scope: region subtrees ∪ department trees ∪ share grants. Use it where rows carry a department. */
export function inAccessScope<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: { region: Expression<string | null>; department: Expression<string | null> },
  scope: Scope,
): Expression<SqlBool> {
  if (scope.shares.length === 0) return inRoleScope(eb, columns, scope);
  return eb.or([inRoleScope(eb, columns, scope), inShares(columns.department, scope)]);
}
