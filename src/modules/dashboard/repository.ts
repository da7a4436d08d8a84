// Read model for the dashboard: regions in scope and per-region counts, three grouped queries.
import { sql, type Kysely } from 'kysely';
import { inScope } from '../../db/jurisdiction.ts';
import type { Database } from '../../db/schema.ts';
import type { Scope } from '../../shared/access.ts';

export async function currentRegionsInScope(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('region')
    .select(['code', 'name', 'level', 'parent_code', 'path'])
    .where((eb) => inScope(eb, eb.ref('code'), scope))
    .where('valid_to', 'is', null)
    .orderBy('path')
    .execute();
}

export async function userCountsByRegion(db: Kysely<Database>, scope: Scope) {
  return db
    .selectFrom('app_user')
    .select(['region_code', sql<number>`count(*)::int`.as('count')])
    .where((eb) => inScope(eb, eb.ref('region_code'), scope))
    .groupBy('region_code')
    .execute();
}

/** The regions named by a path and its ancestors (codes are the path's segments), for the jurisdiction heading. */
export async function regionsOnPaths(db: Kysely<Database>, paths: readonly string[]) {
  const codes = [...new Set(paths.flatMap((path) => path.split('/').filter(Boolean)))];
  if (codes.length === 0) return [];
  return db.selectFrom('region').select(['code', 'name', 'level', 'path']).where('code', 'in', codes).execute();
}
