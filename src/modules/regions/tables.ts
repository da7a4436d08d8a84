// Kysely types of the regions module's tables, added to the Database interface by augmentation.
import type { Generated } from 'kysely';
import type { Timestamp, DateOnly } from '../../db/schema.ts';

export interface RegionTable {
  code: string;
  name: string;
  /** 1 prefecture (地级) · 2 county (县级) · 3 township/street (乡镇/街道) · 4 community/village (社区/村) */
  level: number;
  parent_code: string | null;
  path: string;
  valid_from: DateOnly;
  valid_to: string | null;
  successor_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RegionHistoryTable {
  id: Generated<string>;
  code: string;
  name: string;
  parent_code: string | null;
  valid_from: string;
  valid_to: string;
  change: 'rename' | 'merge' | 'retire' | 'reparent';
  note: string | null;
  recorded_at: Timestamp;
}

declare module '../../db/schema.ts' {
  interface Database {
    region: RegionTable;
    region_history: RegionHistoryTable;
  }
}
