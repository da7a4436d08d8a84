// The ordered list of migrations. Static imports, so the list is the same however the code is run.
import type { Migration } from 'kysely/migration';
import * as core from './0001_core.ts';
import * as auditHeadGuard from './0003_audit_head_guard.ts';

export const migrations: Record<string, Migration> = {
  '0001_core': core,
  '0003_audit_head_guard': auditHeadGuard,
};
