// Kysely types of the evaluation module's tables, added to the Database interface by augmentation.
import type { ColumnType } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { Grade } from './kinds.ts';

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

declare module '../../db/schema.ts' {
  interface Database {
    evaluation_score: EvaluationScoreTable;
  }
}
