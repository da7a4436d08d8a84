// Read model for the dashboard: the regions in scope with their counts (kept per region by the database, migration
// 20261127T0810), the regions below the listed levels summed per parent, and the regions above the scope's roots for
// the heading — in ONE statement that answers one JSON text. On PGlite every statement pays its own parse, plan and
// row decoding, and decoding ~120 rows cost more than the query (D120): one round trip and one
// JSON.parse keep the uncached summary within its 10 ms p99.
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

/** Regions below the listed levels, summed per parent and level. */
export interface UnlistedGroup {
  parent_code: string;
  level: number;
  regions: number;
  departments: number;
  users: number;
}

export interface DashboardRows {
  /** Current regions inside the scope at level ≤ maxLevel (and the scope's own roots whatever their level), by path, each with its own counts. */
  listed: RegionWithCounts[];
  /** The regions below maxLevel that the tree does not list, summed per parent. */
  unlisted: UnlistedGroup[];
  /** The regions named by the scope's paths and their ancestors (codes are the paths' segments), for the heading. */
  named: { code: string; name: string; level: number; path: string }[];
}

export async function dashboardRows(db: Kysely<Database>, scope: Scope, maxLevel: number): Promise<DashboardRows> {
  if (scope.paths.length === 0) return { listed: [], unlisted: [], named: [] };
  const roots = scope.paths.map((path) => path.split('/').filter(Boolean).at(-1)!);
  const named = [...new Set(scope.paths.flatMap((path) => path.split('/').filter(Boolean)))];
  const inScope = sql.join(
    scope.paths.map((path) => sql<boolean>`r.path LIKE ${likePrefix(path)}`),
    sql` OR `,
  );
  const result = await sql<{ j: string }>`
    WITH scoped AS (
      SELECT r.code, r.name, r.level, r.parent_code, r.path, coalesce(t.departments, 0) AS departments, coalesce(t.users, 0) AS users,
             (r.level <= ${maxLevel} OR r.code IN (${sql.join(roots)})) AS listed
      FROM region r LEFT JOIN region_tally t ON t.region_code = r.code
      WHERE (${inScope}) AND r.valid_to IS NULL)
    SELECT json_build_object(
      'listed', (SELECT coalesce(json_agg(json_build_object('code', s.code, 'name', s.name, 'level', s.level, 'parent_code', s.parent_code,
                   'path', s.path, 'departments', s.departments, 'users', s.users) ORDER BY s.path), '[]') FROM scoped s WHERE s.listed),
      'unlisted', (SELECT coalesce(json_agg(g), '[]') FROM (
                   SELECT s.parent_code, s.level, count(*)::int AS regions, sum(s.departments)::int AS departments, sum(s.users)::int AS users
                   FROM scoped s WHERE NOT s.listed AND s.level > ${maxLevel} GROUP BY s.parent_code, s.level) g),
      'named', (SELECT coalesce(json_agg(json_build_object('code', r.code, 'name', r.name, 'level', r.level, 'path', r.path)), '[]')
                FROM region r WHERE r.code IN (${sql.join(named)}))
    )::text AS j`.execute(db);
  return JSON.parse(result.rows[0]!.j) as DashboardRows;
}
