// Read model for the dashboard: the regions in scope with their counts (kept per region by the database, migration
// 20261127T0810), the regions below the listed levels summed per parent, and the regions above the scope's roots for
// the heading — in ONE statement that answers one JSON text. On PGlite every statement pays its own parse, plan and
// row decoding, and decoding ~120 rows cost more than the query (D120): one round trip and one
// JSON.parse keep the uncached summary within its 10 ms p99.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { pgPoolOf } from '../../db/database.ts';
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

/** A PostgreSQL string literal (E'' form, so standard_conforming_strings does not matter). */
function literal(value: string): string {
  return `E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The statement for one scope shape, its values written in as literals: a plan made for them can use the path index
 * (a parameter in LIKE cannot), and one text per scope is what lets PGlite keep the plan (see `runPrepared`).
 */
export function dashboardStatement(scope: Scope, maxLevel: number): string {
  if (!Number.isInteger(maxLevel)) throw new Error(`maxLevel is an integer: ${maxLevel}`);
  const roots = [...new Set(scope.paths.map((path) => path.split('/').filter(Boolean).at(-1)!))];
  const named = [...new Set(scope.paths.flatMap((path) => path.split('/').filter(Boolean)))];
  const inScope = scope.paths.map((path) => `r.path LIKE ${literal(likePrefix(path))}`).join(' OR ');
  return `
    WITH scoped AS (
      SELECT r.code, r.name, r.level, r.parent_code, r.path, coalesce(t.departments, 0) AS departments, coalesce(t.users, 0) AS users,
             (r.level <= ${maxLevel} OR r.code IN (${roots.map(literal).join(', ')})) AS listed
      FROM region r LEFT JOIN region_tally t ON t.region_code = r.code
      WHERE (${inScope}) AND r.valid_to IS NULL)
    SELECT json_build_object(
      'listed', (SELECT coalesce(json_agg(json_build_object('code', s.code, 'name', s.name, 'level', s.level, 'parent_code', s.parent_code,
                   'path', s.path, 'departments', s.departments, 'users', s.users) ORDER BY s.path), '[]') FROM scoped s WHERE s.listed),
      'unlisted', (SELECT coalesce(json_agg(g), '[]') FROM (
                   SELECT s.parent_code, s.level, count(*)::int AS regions, sum(s.departments)::int AS departments, sum(s.users)::int AS users
                   FROM scoped s WHERE NOT s.listed AND s.level > ${maxLevel} GROUP BY s.parent_code, s.level) g),
      'named', (SELECT coalesce(json_agg(json_build_object('code', r.code, 'name', r.name, 'level', r.level, 'path', r.path)), '[]')
                FROM region r WHERE r.code IN (${named.map(literal).join(', ')}))
    )::text AS j`;
}

/** How many dashboard statements PGlite keeps prepared (one per scope shape in use; the oldest is dropped beyond). */
const MAX_PREPARED = 100;
/** The statements prepared on each PGlite database (its one connection), oldest first. */
const preparedOn = new WeakMap<Kysely<Database>, Map<string, string>>();

/**
 * Runs `text` on PGlite as a prepared statement (PREPARE once, then EXECUTE): PGlite parses and plans in WebAssembly
 * and, planning, asks the file system for every relation's size — half of the summary's CPU and 14 fstat calls per
 * call; a kept plan halves the CPU and leaves 2 (D128). Plans still follow the tables: PostgreSQL re-plans a
 * prepared statement after DDL or ANALYZE on what it reads.
 */
async function runPrepared(db: Kysely<Database>, text: string): Promise<string> {
  let prepared = preparedOn.get(db);
  if (!prepared) preparedOn.set(db, (prepared = new Map()));
  const name = `dashboard_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
  const execute = async () => (await sql<{ j: string }>`EXECUTE ${sql.raw(name)}`.execute(db)).rows[0]!.j;
  if (prepared.has(name)) {
    try {
      return await execute();
    } catch (error) {
      // prepared on a connection that is no more (or deallocated by hand): prepare again below
      if ((error as { code?: string }).code !== '26000') throw error;
      prepared.delete(name);
    }
  }
  try {
    await sql.raw(`PREPARE ${name} AS ${text}`).execute(db);
  } catch (error) {
    // another service object over the same database prepared it first
    if ((error as { code?: string }).code !== '42P05') throw error;
  }
  prepared.set(name, text);
  if (prepared.size > MAX_PREPARED) {
    const oldest = prepared.keys().next().value!;
    prepared.delete(oldest);
    await sql.raw(`DEALLOCATE ${oldest}`).execute(db);
  }
  return execute();
}

export async function dashboardRows(db: Kysely<Database>, scope: Scope, maxLevel: number): Promise<DashboardRows> {
  if (scope.paths.length === 0) return { listed: [], unlisted: [], named: [] };
  const text = dashboardStatement(scope, maxLevel);
  // on PostgreSQL a plan per call costs little beside the round trip; PGlite keeps one per scope (runPrepared)
  const json = pgPoolOf(db) ? (await sql<{ j: string }>`${sql.raw(text)}`.execute(db)).rows[0]!.j : await runPrepared(db, text);
  return JSON.parse(json) as DashboardRows;
}
