// Kysely types of the approval module's tables, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { ApplicantKind, CaseState, Channel, Decision, ItemKind, PauseKind, SpecialKind, Step } from './kinds.ts';

type DateOnly = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
/** numeric(12, 2): read as a string (exact), written as a number or string. */
type Money = ColumnType<string, number | string | undefined, number | string>;

export interface ApprovalItemTable {
  id: Generated<string>;
  code: string;
  name: string;
  department_id: string;
  /** The department's region (and its materialized path), copied for jurisdiction by prefix range. */
  region_code: string;
  region_path: string;
  kind: ItemKind;
  legal_basis: string;
  /** 法定时限 and 承诺时限, in working days (promised ≤ statutory). */
  statutory_days: number;
  promised_days: number;
  /** Whether the law allows a fee at all; fee_yuan is 0 unless it does. */
  fee_lawful: Generated<boolean>;
  fee_yuan: Money;
  fee_basis: Generated<string>;
  online: Generated<boolean>;
  status: ColumnType<'active' | 'retired', 'active' | 'retired' | undefined, 'active' | 'retired'>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApprovalItemMaterialTable {
  item_id: string;
  seq: number;
  name: string;
  required: Generated<boolean>;
  mime_types: ColumnType<string[], string[] | undefined, string[]>;
  max_bytes: Generated<number>;
}

export interface ApprovalItemStepTable {
  item_id: string;
  seq: number;
  step: Step;
  name: string;
  /** The step's own limit in working days from the step's start (null: none). */
  limit_days: number | null;
  required: Generated<boolean>;
}

export interface ApprovalCaseTable {
  id: Generated<string>;
  case_no: string;
  item_id: string;
  department_id: string;
  region_code: string;
  region_path: string;
  channel: Channel;
  applicant_kind: ApplicantKind;
  applicant_name: string;
  /** 身份证号 (citizen) or 统一社会信用代码 (enterprise). */
  applicant_id_number: string;
  applicant_phone: string | null;
  /** The applicant's citizen account (citizen.user_id = app_user.id) when applied online signed in. */
  citizen_id: string | null;
  /** Idempotency key of the submission, unique per applicant. */
  request_key: string | null;
  state: ColumnType<CaseState, CaseState | undefined, CaseState>;
  decision: Decision | null;
  /** The reason given for 不予受理, a denial or a withdrawal. */
  reason: string | null;
  /** 申请日: the day the application was made (the counter may register it later). */
  applied_on: DateOnly;
  registered_at: Timestamp;
  registered_by: string | null;
  handler_id: string | null;
  /** 受理日: the statutory and promised clocks count from the working day after it. */
  accepted_on: NullableDate;
  concluded_on: NullableDate;
  delivered_on: NullableDate;
  fee_yuan: Money;
  /** The item's limits copied at submission (a later change to the item does not move a running case's clock). */
  statutory_days: number;
  promised_days: number;
  /** Working days added to the statutory limit by an approved extension (延长: once per case). */
  extension_days: Generated<number>;
  extension_state: 'requested' | 'approved' | 'refused' | null;
  /** How many times 补正 was requested. */
  corrections: Generated<number>;
  /**
   * The clocks, maintained from the ledgers in every transaction that changes them: the last day within the limit
   * (accepted_on + limit [+ extension] + the working days of closed pauses, counted on the working calendar). While a
   * pause is open they stay as at its start and paused_since holds its start date. Null before acceptance.
   */
  statutory_due: NullableDate;
  promised_due: NullableDate;
  /** A due date lies past the last loaded holiday year (the calendar's coverage guard): shown as provisional. */
  due_provisional: Generated<boolean>;
  paused_since: NullableDate;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface ApprovalCaseEventTable {
  case_id: string;
  /** 1, 2, … per case: the ledger's order. */
  seq: number;
  action: string;
  from_state: CaseState | null;
  to_state: CaseState;
  actor_id: string | null;
  citizen_id: string | null;
  /** The business date the action counts on (the counter may enter an action dated earlier than `at`). */
  on_date: DateOnly;
  at: Timestamp;
  note: Generated<string>;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface ApprovalCasePauseTable {
  id: Generated<string>;
  case_id: string;
  kind: PauseKind;
  special_kind: SpecialKind | null;
  reason: string;
  started_on: DateOnly;
  ended_on: NullableDate;
  started_by: string | null;
  created_at: Timestamp;
}

export interface ApprovalCaseStepTable {
  case_id: string;
  step: Step;
  started_on: DateOnly;
  due_on: NullableDate;
  completed_on: NullableDate;
  actor_id: string | null;
}

export interface ApprovalCaseMaterialTable {
  case_id: string;
  material_seq: number;
  file_id: string;
  uploaded_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    approval_item: ApprovalItemTable;
    approval_item_material: ApprovalItemMaterialTable;
    approval_item_step: ApprovalItemStepTable;
    approval_case: ApprovalCaseTable;
    approval_case_event: ApprovalCaseEventTable;
    approval_case_pause: ApprovalCasePauseTable;
    approval_case_step: ApprovalCaseStepTable;
    approval_case_material: ApprovalCaseMaterialTable;
  }
}
