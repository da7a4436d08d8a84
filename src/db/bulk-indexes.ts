// Bulk loads into empty tables (first-start demos): secondary indexes dropped before the load and built once after it,
// a sorted build each instead of one insertion per row (D125, D142).
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Drops the secondary indexes of `tables` (not those behind a primary key, unique or exclusion constraint, which
 * guard the rows as they arrive; with `keepUnique`, no unique index either) and returns the statements that rebuild
 * them exactly as the migrations left them (read from the catalogue, so a later migration's index comes back as it
 * was defined). The caller runs them in the same transaction: a failed load rolls the drop back with it.
 */
export async function dropSecondaryIndexes(trx: Kysely<Database>, tables: readonly string[], options: { keepUnique?: boolean } = {}): Promise<string[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition
    FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
    WHERE x.indrelid = ANY(${[...tables]}::regclass[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)
      ${options.keepUnique ? sql`AND NOT x.indisunique` : sql``}
    ORDER BY c.relname
  `.execute(trx);
  for (const r of rows) await sql`DROP INDEX ${sql.id(r.name)}`.execute(trx);
  return rows.map((r) => r.definition);
}

/**
 * Skips the triggers (foreign-key checks, statistics notes) for the rest of the transaction where the session may
 * (a superuser: PGlite's, a dev database's); for rows consistent by construction whose derived state is rebuilt after
 * the load. Returns whether it did.
 */
export async function withoutTriggersIfAllowed(trx: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ su: string }>`SELECT current_setting('is_superuser') AS su`.execute(trx);
  if (rows[0]?.su !== 'on') return false;
  await sql`SET LOCAL session_replication_role = replica`.execute(trx);
  return true;
}

/** Runs the statements dropSecondaryIndexes returned. */
export async function rebuildIndexes(trx: Kysely<Database>, definitions: readonly string[]): Promise<void> {
  for (const definition of definitions) await sql.raw(definition).execute(trx);
}
