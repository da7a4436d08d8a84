// Planner statistics on PGlite, which has no autovacuum: the start-up ANALYZE and the write counters it reads (D154).
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Flushes this session's pending table write counters to `pg_stat_user_tables` (otherwise at most once a second).
 * Called before an ANALYZE of freshly loaded tables, so the loads are not counted as writes made after it.
 */
export async function flushTableCounters(db: Kysely<Database>): Promise<void> {
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
}

/**
 * ANALYZE of every table but those analysed since their last write (D154): the core seed and the census and approval
 * demos analyse what they load, for their own statements, and a whole-database ANALYZE right after them read those
 * tables again. The counters are flushed first, so a table written since its ANALYZE is analysed. Returns the tables.
 */
export async function analyseChanged(db: Kysely<Database>): Promise<string[]> {
  await flushTableCounters(db);
  const { rows } = await sql<{ name: string }>`
    SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
    WHERE (last_analyze IS NULL AND last_autoanalyze IS NULL) OR n_mod_since_analyze > 0
    ORDER BY 1
  `.execute(db);
  if (rows.length > 0) await sql`ANALYZE ${sql.raw(rows.map((r) => r.name).join(', '))}`.execute(db);
  return rows.map((r) => r.name);
}
