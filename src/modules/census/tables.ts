// Table types of community statistics, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;

/** What the cube counted for one active resident last time (the old side of the next difference). */
export interface CensusMemberTable {
  resident_id: string;
  community_code: string;
  region_path: string;
  birth_date: DateOnly;
  sex: string;
  ethnicity: string;
  residence_status: string;
  medical_insurance: string;
  social_security: string;
  party_member: string;
  household_size: string;
  labels: string[];
}

/** Folded counts: residents of a community with a dimension value ('birth_month' = 'YYYY-MM' for age). */
export interface CensusCubeTable {
  community_code: string;
  region_path: string;
  dim: string;
  value: string;
  n: number;
}

/** Differences computed by the fold and added to the cube in the same transaction (readers add any left). */
export interface CensusDeltaTable {
  id: Generated<string>;
  community_code: string;
  region_path: string;
  dim: string;
  value: string;
  n: number;
}

/** Residents whose description changed since the last fold (written by the registry's triggers). */
export interface CensusDirtyTable {
  id: Generated<string>;
  resident_id: string;
}

declare module '../../db/schema.ts' {
  interface Database {
    census_member: CensusMemberTable;
    census_cube: CensusCubeTable;
    census_delta: CensusDeltaTable;
    census_dirty: CensusDirtyTable;
  }
}
