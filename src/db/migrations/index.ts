// The ordered list of migrations: the core's 0001…0007 (they predate modules and span several modules' tables, so
// they keep their keys and their place here), then every module's, assembled from the registry and sorted by key.
import type { Migration } from 'kysely';
import { modules, type ModuleList } from '../../modules/registry.ts';
import * as core0001 from './0001_core.ts';
import * as signInGuard from './0002_sign_in_guard.ts';
import * as auditHeadGuard from './0003_audit_head_guard.ts';
import * as userSearch from './0004_user_search.ts';
import * as caseInsensitiveNames from './0005_case_insensitive_names.ts';
import * as secondFactor from './0006_second_factor.ts';
import * as directoryOrder from './0007_directory_order.ts';

/** Keys of existing databases: never renamed, never moved in the order. */
export const coreMigrations: Readonly<Record<string, Migration>> = {
  '0001_core': core0001,
  '0002_sign_in_guard': signInGuard,
  '0003_audit_head_guard': auditHeadGuard,
  '0004_user_search': userSearch,
  '0005_case_insensitive_names': caseInsensitiveNames,
  '0006_second_factor': secondFactor,
  '0007_directory_order': directoryOrder,
};

/** One migration of the assembled list and the module that owns it ('core' for 0001…0007). */
export interface OwnedMigration {
  key: string;
  owner: string;
  migration: Migration;
}

/** Every migration with its owner, in key order (module keys are timestamps: 20261127T0900_<module>_<change>). */
export function ownedMigrations(list: ModuleList = modules): OwnedMigration[] {
  const all: OwnedMigration[] = [
    ...Object.entries(coreMigrations).map(([key, migration]) => ({ key, owner: 'core', migration })),
    ...list.flatMap((m) => Object.entries(m.migrations ?? {}).map(([key, migration]) => ({ key, owner: m.name, migration }))),
  ];
  return all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The migrations Kysely runs, by key; two modules claiming one key is a programming error caught here. */
export function migrationsOf(list: ModuleList = modules): Record<string, Migration> {
  const result: Record<string, Migration> = {};
  for (const { key, owner, migration } of ownedMigrations(list)) {
    if (key in result) throw new Error(`Migration key ${key} is used twice (the second time by module ${owner}).`);
    result[key] = migration;
  }
  return result;
}

/** The registry's migrations. */
export const migrations: Record<string, Migration> = migrationsOf();
