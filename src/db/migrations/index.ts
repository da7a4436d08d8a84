// The ordered list of migrations. Static imports, so the list is the same however the code is run.
import type { Migration } from 'kysely';
import { modules } from '../../modules/registry.ts';
import * as core0001 from './0001_core.ts';
import * as signInGuard from './0002_sign_in_guard.ts';
import * as auditHeadGuard from './0003_audit_head_guard.ts';
import * as userSearch from './0004_user_search.ts';
import * as caseInsensitiveNames from './0005_case_insensitive_names.ts';
import * as secondFactor from './0006_second_factor.ts';
import * as directoryOrder from './0007_directory_order.ts';
import * as regionTally from './20261127T0810_dashboard_region_tally.ts';
import * as auditAccessLog from '../../modules/audit/migrations/20261127T0930_audit_access_log.ts';

const core: Record<string, Migration> = {
  '0001_core': core0001,
  '0002_sign_in_guard': signInGuard,
  '0003_audit_head_guard': auditHeadGuard,
  '0004_user_search': userSearch,
  '0005_case_insensitive_names': caseInsensitiveNames,
  '0006_second_factor': secondFactor,
  '0007_directory_order': directoryOrder,
  '20261127T0810_dashboard_region_tally': regionTally,
  '20261127T0930_audit_access_log': auditAccessLog,
};

/** The core's migrations, then every registered module's, in key order (module keys are timestamps: 20261127T0900_…). */
export const migrations: Record<string, Migration> = Object.fromEntries(
  [...Object.entries(core), ...modules.flatMap((m) => Object.entries(m.migrations ?? {}))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
