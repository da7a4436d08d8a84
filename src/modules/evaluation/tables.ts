// Kysely types of the evaluation module's tables, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { ComplaintChannel, ComplaintState, Grade, RatingChannel } from './kinds.ts';

type DateOnly = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;

export interface EvaluationScoreTable {
  /** The first day of the month scored (YYYY-MM-01). */
  month: ColumnType<string, string, string>;
  department_id: string;
  region_code: string;
  region_path: string;
  /** 0–110 (100 plus the early-completion bonus); numeric, read as a string. */
  score: ColumnType<string, number | string, number | string>;
  grade: Grade;
  /** Place among the departments scored for the month (1 = best; ties share a rank). */
  rank: number;
  /** The parts: timeliness, overdue, irregularities, satisfaction, bonus, and the counts behind them. */
  components: ColumnType<Record<string, unknown>, string | undefined, string>;
  computed_at: Timestamp;
  /** Null until the month's ranking is published (then it is public: portal and big screen). */
  published_at: Date | null;
}

/** 好差评: one per concluded case; a bad one (level ≤ 2) carries its follow-up deadline and, once done, the follow-up. */
export interface EvaluationRatingTable {
  id: Generated<string>;
  case_id: string;
  department_id: string;
  region_code: string;
  region_path: string;
  level: number;
  comment: Generated<string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  channel: RatingChannel;
  citizen_id: string | null;
  recorded_by: string | null;
  rated_at: Timestamp;
  /** Beijing date of rated_at: the month it counts in. */
  rated_on: DateOnly;
  /** Last day of the follow-up (working days on the calendar); null for a rating that needs none. */
  follow_up_due: NullableDate;
  followed_up_on: NullableDate;
  followed_up_at: Date | null;
  follow_up_by: string | null;
  follow_up_contacted: boolean | null;
  follow_up_result: string | null;
  follow_up_satisfied: boolean | null;
}

/** 投诉 about a department (and optionally one case). */
export interface EvaluationComplaintTable {
  id: Generated<string>;
  department_id: string;
  region_code: string;
  region_path: string;
  case_id: string | null;
  complainant_name: string;
  complainant_phone: string | null;
  citizen_id: string | null;
  filed_by: string | null;
  channel: ComplaintChannel;
  subject: string;
  body: string;
  state: ColumnType<ComplaintState, ComplaintState | undefined, ComplaintState>;
  filed_at: Timestamp;
  filed_on: DateOnly;
  /** Last day to decide whether to accept (5 working days); overdue is derived from it, never stored. */
  decide_due: DateOnly;
  decided_at: Date | null;
  decided_by: string | null;
  decision_reason: string | null;
  handled_at: Date | null;
  handled_by: string | null;
  result: string | null;
  closed_at: Date | null;
  updated_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    evaluation_score: EvaluationScoreTable;
    evaluation_rating: EvaluationRatingTable;
    evaluation_complaint: EvaluationComplaintTable;
  }
}
