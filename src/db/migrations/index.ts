// The ordered list of migrations. Static imports, so the list is the same however the code is run.
import type { Migration } from 'kysely/migration';
import * as core from './0001_core.ts';
import * as directoryOrder from './0007_directory_order.ts';

export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0007_directory_order': directoryOrder,
};
