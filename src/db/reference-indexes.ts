// Indexes on the columns that reference an account (app_user(id), or a row deleted with its account such as
// citizen(user_id)), for the migrations that add them (D157). Deleting an account runs one foreign-key check per
// referencing column; without an index on the column, each check reads the whole table.
import { sql, type Kysely, type Migration } from 'kysely';

/** The index that serves the foreign-key check on `table.column`: `<table>_<column>_ref`. */
export function referenceIndexName(table: string, column: string): string {
  return `${table}_${column}_ref`;
}

/**
 * A migration creating, for each table's listed columns, a btree index partial on `column IS NOT NULL`: the columns
 * are nullable and many are mostly empty (a decision not yet taken, a system action without an actor), and the
 * foreign-key check's `column = $1` implies the predicate, so the partial index serves it. `down` drops them.
 */
export function referenceIndexes(columnsByTable: Readonly<Record<string, readonly string[]>>): Migration {
  const pairs = Object.entries(columnsByTable).flatMap(([table, columns]) => columns.map((column) => ({ table, column })));
  return {
    up: async (db: Kysely<unknown>) => {
      for (const { table, column } of pairs) {
        await sql`CREATE INDEX IF NOT EXISTS ${sql.id(referenceIndexName(table, column))} ON ${sql.id(table)} (${sql.id(column)}) WHERE ${sql.id(column)} IS NOT NULL`.execute(db);
      }
    },
    down: async (db: Kysely<unknown>) => {
      for (const { table, column } of pairs) await sql`DROP INDEX IF EXISTS ${sql.id(referenceIndexName(table, column))}`.execute(db);
    },
  };
}
