// Planner statistics on PGlite, which has no autovacuum: gathered table by table after a start that changed the data.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * ANALYZEs, one statement per table, the tables this process has not analysed since they last changed (all of them
 * in a new process: the activity statistics start empty). Between two tables other statements get PGlite's one
 * connection, so /readyz and the first requests wait for one table's sample, not for the whole database's (D144).
 * Returns the tables analysed; stops early when `stopped()` turns true (the server is closing).
 */
export async function analyseChangedTables(db: Kysely<Database>, stopped: () => boolean = () => false): Promise<string[]> {
  // the counters of this process's writes reach the statistics lazily (at most once a second): flushed first, so a
  // table written since its last ANALYZE is never taken for unchanged (PGlite errs the other way, counting writes
  // from before an ANALYZE whose counters arrive after it: such a table is analysed again)
  await sql`SELECT pg_stat_force_next_flush()`.execute(db);
  const { rows } = await sql<{ name: string }>`
    SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
    WHERE last_analyze IS NULL OR n_mod_since_analyze > 0
    ORDER BY n_live_tup DESC, relname
  `.execute(db);
  const done: string[] = [];
  for (const { name } of rows) {
    if (stopped()) break;
    await sql`ANALYZE ${sql.raw(name)}`.execute(db);
    done.push(name);
  }
  return done;
}
