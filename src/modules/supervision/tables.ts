// Kysely types of the supervision module's tables, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { SubjectKind, WarningLevel, WarningState } from './kinds.ts';

export interface SupervisionWarningTable {
  id: Generated<string>;
  subject_kind: SubjectKind;
  /** approval_case.id, or the supervised matter's id. */
  subject_id: string;
  /** A CASE_RULES key, or a matters rule (`matter.…`). */
  rule: string;
  level: WarningLevel;
  department_id: string;
  region_code: string;
  region_path: string;
  /** The business date the rule fired for (the sweep's date). */
  fired_on: ColumnType<string, string, string>;
  fired_at: Timestamp;
  /** One line for lists and the big screen, in Chinese (e.g. "哈密市市场监督管理局 食品经营许可 HM2026… 超法定时限"). */
  summary: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  state: ColumnType<WarningState, WarningState | undefined, WarningState>;
  closed_at: Date | null;
  /** Fired by a one-case re-evaluation, its notices not sent yet (the outbox handler clears it as it sends them: D149). */
  notice_pending: Generated<boolean>;
}

/** What the previous sweep covered (one row): the incremental sweep starts from it (D106). */
export interface SupervisionSweepStateTable {
  id: number;
  swept_day: ColumnType<string, string, string>;
  started_at: ColumnType<Date, Date | string, Date | string>;
  calendar_version: string | null;
  /** The last business day an exhaustive sweep ran (the nightly safety net). */
  exhaustive_day: ColumnType<string, string, string>;
}

declare module '../../db/schema.ts' {
  interface Database {
    supervision_warning: SupervisionWarningTable;
    supervision_sweep_state: SupervisionSweepStateTable;
  }
}
