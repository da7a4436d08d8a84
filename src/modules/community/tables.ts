// Table types of the community registry, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Fact, Relation, ResidenceStatus, ResidentStatus } from './kinds.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;

export interface CommunityGridTable {
  id: Generated<string>;
  code: string;
  name: string;
  /** The community (level-4 region) the grid lies in. */
  community_code: string;
  /** The community's materialized path, e.g. /6505/650502/650502001/650502001002/. */
  region_path: string;
  created_at: Generated<Date>;
}

export interface CommunityGridWorkerTable {
  grid_id: string;
  user_id: string;
  assigned_at: Generated<Date>;
}

export interface CommunityBuildingTable {
  id: Generated<string>;
  community_code: string;
  region_path: string;
  grid_id: string | null;
  name: string;
  address: Generated<string>;
  floors: number | null;
  created_at: Generated<Date>;
}

export interface CommunityHouseholdTable {
  id: Generated<string>;
  household_no: string;
  community_code: string;
  region_path: string;
  grid_id: string | null;
  building_id: string | null;
  address: Generated<string>;
  /** Members currently in the household (kept by the registry's writes). */
  member_count: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface CommunityResidentTable {
  id: Generated<string>;
  id_number: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: DateOnly;
  /** GB/T 3304 code of the ethnic group, e.g. '01' 汉族, '05' 维吾尔族, '17' 哈萨克族, '03' 回族. */
  ethnicity: string;
  phone: string | null;
  household_id: string | null;
  relation: Relation | null;
  building_id: string | null;
  grid_id: string | null;
  community_code: string;
  region_path: string;
  address: Generated<string>;
  residence_status: ResidenceStatus;
  status: Generated<ResidentStatus>;
  moved_in_on: DateOnly;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/** A resident's residence intervals [valid_from, valid_to): counts for a past date come from here. */
export interface CommunityResidenceTable {
  id: Generated<string>;
  resident_id: string;
  community_code: string;
  region_path: string;
  grid_id: string | null;
  residence_status: ResidenceStatus;
  valid_from: DateOnly;
  valid_to: DateOnly | null;
  reason: Generated<string>;
}

/** 重点人群 labels (独居老人, 残疾人, 低保户 …); visit_interval_days drives grid workers' due visits. */
export interface CommunityLabelTable {
  code: string;
  name: string;
  name_en: Generated<string>;
  color: Generated<string>;
  visit_interval_days: number | null;
  sort_order: Generated<number>;
}

export interface CommunityResidentLabelTable {
  resident_id: string;
  label_code: string;
  note: Generated<string>;
  added_by: string | null;
  added_at: Generated<Date>;
}

/** A fact flag derived through a sharing grant (for statistics and notice targeting). */
export interface CommunityResidentFactTable {
  resident_id: string;
  fact: Fact;
  value: boolean;
  source_resource_code: string;
  source_updated_at: Date | null;
  refreshed_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface Database {
    community_grid: CommunityGridTable;
    community_grid_worker: CommunityGridWorkerTable;
    community_building: CommunityBuildingTable;
    community_household: CommunityHouseholdTable;
    community_resident: CommunityResidentTable;
    community_residence: CommunityResidenceTable;
    community_label: CommunityLabelTable;
    community_resident_label: CommunityResidentLabelTable;
    community_resident_fact: CommunityResidentFactTable;
  }
}
