// Runs the ordered migrations and refuses a database that is ahead of this code.
import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';
import { modules, type ModuleList } from '../modules/registry.ts';
import { migrationsOf } from './migrations/index.ts';

export class SchemaAheadError extends Error {
  constructor(readonly unknown: string[]) {
    super(
      `The database holds migrations this version of GovCloud does not know (${unknown.join(', ')}). ` +
        'It was migrated by a newer release: upgrade GovCloud, or point DATABASE_URL / GOVCLOUD_DATA_DIR at another database.',
    );
    this.name = 'SchemaAheadError';
  }
}

export function createMigrator(db: Db, list: ModuleList = modules): Migrator {
  const migrations = migrationsOf(list);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'govcloud_migration',
    migrationLockTableName: 'govcloud_migration_lock',
  });
}

/** Migrates to the latest version of the given modules (default: the registry's); returns the names it applied. */
export async function migrateToLatest(db: Db, list: ModuleList = modules): Promise<string[]> {
  const migrator = createMigrator(db, list);
  const known = new Set(Object.keys(migrationsOf(list)));
  // Kysely lists only the migrations it knows; ask the table directly for the rest.
  const applied = await db
    .selectFrom('govcloud_migration' as never)
    .select('name' as never)
    .execute()
    .then((rows) => (rows as { name: string }[]).map((row) => row.name))
    .catch(() => [] as string[]);
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new SchemaAheadError(unknown);
  // Every start lands here: when all are applied there is nothing to lock or run, and Kysely's Migrator would still
  // introspect every table of the schema (seconds on PGlite with a few hundred tables).
  if (applied.length === known.size) return [];
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '?'} failed: ${String((result.error as Error).message ?? result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
