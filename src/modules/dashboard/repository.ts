// Read model for the dashboard: the regions in scope with their counts (kept per region by the database, migration
// 20261127T0810), and the regions above the scope's roots for the heading.
import { sql, type Kysely } from 'kysely';
import { likePrefix } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';

export interface RegionWithCounts {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  path: string;
  departments: number;
  users: number;
}

function scopeFilter(scope: Scope) {
  return sql.join(
    scope.paths.map((path) => sql<boolean>`r.path LIKE ${likePrefix(path)}`),
    sql` OR `,
  );
}

/**
 * Current regions inside the scope that the tree lists (level ≤ maxLevel, and the scope's own roots whatever their
 * level), ordered by path, each with its own (not its subtree's) counts.
 */
export async function listedRegionsWithCounts(db: Kysely<Database>, scope: Scope, maxLevel: number): Promise<RegionWithCounts[]> {
  const roots = scope.paths.map((path) => path.split('/').filter(Boolean).at(-1)!);
  const result = await sql<RegionWithCounts>`
    SELECT r.code, r.name, r.level, r.parent_code, r.path, coalesce(t.departments, 0) AS departments, coalesce(t.users, 0) AS users
    FROM region r LEFT JOIN region_tally t ON t.region_code = r.code
    WHERE (${scopeFilter(scope)}) AND r.valid_to IS NULL AND (r.level <= ${maxLevel} OR r.code IN (${sql.join(roots)}))
    ORDER BY r.path`.execute(db);
  return result.rows;
}

/** The regions below maxLevel that the tree does not list, summed per parent: how many, and their counts. */
export async function unlistedRegionsByParent(db: Kysely<Database>, scope: Scope, maxLevel: number) {
  const roots = scope.paths.map((path) => path.split('/').filter(Boolean).at(-1)!);
  const result = await sql<{ parent_code: string; level: number; regions: number; departments: number; users: number }>`
    SELECT r.parent_code, r.level, count(*)::int AS regions, coalesce(sum(t.departments), 0)::int AS departments, coalesce(sum(t.users), 0)::int AS users
    FROM region r LEFT JOIN region_tally t ON t.region_code = r.code
    WHERE (${scopeFilter(scope)}) AND r.valid_to IS NULL AND r.level > ${maxLevel} AND r.code NOT IN (${sql.join(roots)})
    GROUP BY r.parent_code, r.level`.execute(db);
  return result.rows;
}

/** The regions named by a path and its ancestors (codes are the path's segments), for the jurisdiction heading. */
export async function regionsOnPaths(db: Kysely<Database>, paths: readonly string[]) {
  const codes = [...new Set(paths.flatMap((path) => path.split('/').filter(Boolean)))];
  if (codes.length === 0) return [];
  return db.selectFrom('region').select(['code', 'name', 'level', 'path']).where('code', 'in', codes).execute();
}
