// Kysely types of the columns and table migration 20261128T0901 adds (the contract's tables.ts stays as agreed).
import type { ColumnType } from 'kysely';

declare module './tables.ts' {
  interface ApprovalCaseTable {
    /** The item's step limits as submitted, e.g. { "accept": 5, "deliver": 10 } (a step without a limit is absent). */
    step_limits: ColumnType<Record<string, number>, string | undefined, string>;
    item_version: ColumnType<number, number | undefined, number>;
    /** The working days a pending extension request asks for. */
    extension_requested_days: number | null;
  }
  interface ApprovalCasePauseTable {
    /** The item's material numbers a 补正 asks for. */
    materials: ColumnType<number[], number[] | undefined, number[]>;
    ended_by: string | null;
  }
}

declare module '../../db/schema.ts' {
  interface Database {
    /** Case numbers: the last sequence number drawn per prefix (HM + day + department code). */
    approval_case_counter: { prefix: string; last: number };
  }
}

export {};
