// The ordered list of migrations. Static imports, so the list is the same however the code is run.
import type { Migration } from 'kysely';
import * as core from './0001_core.ts';
import * as userSearch from './0004_user_search.ts';

export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0004_user_search': userSearch,
};
