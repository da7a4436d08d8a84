// Kysely types of the 督办 order and 说明理由 tables (migration 20261128T0921), added to Database by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';

type DateOnly = ColumnType<string, string, string>;

/** 督办单: issued → responded → rectified (→ closed) | reopened (→ responded again). */
export const ORDER_STATES = ['issued', 'responded', 'rectified', 'reopened', 'closed'] as const;
export type OrderState = (typeof ORDER_STATES)[number];
/** 说明理由: pending until the supervisor accepts (the card closes) or rejects (it stays open). */
export const EXPLANATION_STATES = ['pending', 'accepted', 'rejected'] as const;
export type ExplanationState = (typeof EXPLANATION_STATES)[number];

export interface SupervisionOrderTable {
  id: Generated<string>;
  order_no: string;
  warning_id: string | null;
  case_id: string | null;
  department_id: string;
  region_code: string;
  region_path: string;
  content: string;
  issued_on: DateOnly;
  deadline_days: number;
  respond_by: DateOnly;
  state: ColumnType<OrderState, OrderState | undefined, OrderState>;
  issued_by: string | null;
  issued_at: Timestamp;
  response: string | null;
  responded_by: string | null;
  responded_at: Date | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface SupervisionExplanationTable {
  id: Generated<string>;
  warning_id: string;
  department_id: string;
  region_path: string;
  text: string;
  state: ColumnType<ExplanationState, ExplanationState | undefined, ExplanationState>;
  filed_by: string | null;
  filed_at: Timestamp;
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

declare module '../../db/schema.ts' {
  interface Database {
    supervision_order: SupervisionOrderTable;
    supervision_explanation: SupervisionExplanationTable;
  }
}
