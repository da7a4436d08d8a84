// Kysely types of the matters module's tables, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';
import type { MatterKind, MatterState } from './kinds.ts';

/** Amounts come back from numeric columns as strings. */
type Money = ColumnType<string, number | string, number | string>;

export interface MatterPenaltyArticleTable {
  code: string;
  law: string;
  article: string;
  summary: string;
  min_yuan: Money;
  max_yuan: Money;
}

export interface SupervisedMatterTable {
  id: Generated<string>;
  kind: MatterKind;
  department_id: string;
  region_code: string;
  region_path: string;
  title: string;
  ref_no: string;
  state: ColumnType<MatterState, MatterState | undefined, MatterState>;
  /** 立案 (penalty, enforcement), the tender notice (trading), the schedule's first day (village), the start (project). */
  started_on: ColumnType<string, string, string>;
  /** The kind's own fields (schema.ts: PenaltyData, EnforcementData, …), validated by the service. */
  data: ColumnType<Record<string, unknown>, string, string>;
  version: ColumnType<number, number | undefined, number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MatterProjectMilestoneTable {
  matter_id: string;
  seq: number;
  name: string;
  planned_on: ColumnType<string, string, string>;
  completed_on: ColumnType<string | null, string | null, string | null>;
}

export interface MatterVillagePublicationTable {
  id: Generated<string>;
  matter_id: string;
  /** 'YYYY-MM' (monthly) or 'YYYY-Qn' (quarterly). */
  period: string;
  published_on: ColumnType<string, string, string>;
  summary: string;
  income_yuan: ColumnType<string | null, number | null | undefined, number | null>;
  expense_yuan: ColumnType<string | null, number | null | undefined, number | null>;
  recorded_by: string | null;
  recorded_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    matter_penalty_article: MatterPenaltyArticleTable;
    supervised_matter: SupervisedMatterTable;
    matter_project_milestone: MatterProjectMilestoneTable;
    matter_village_publication: MatterVillagePublicationTable;
  }
}
