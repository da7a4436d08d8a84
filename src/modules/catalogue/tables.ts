// Table types of the catalogue module, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { ItemMask, ItemType, OpenAttr, ResourceClass, ShareMode, ShareType, UpdateCycle } from './kinds.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string | undefined, string>;

export type { ItemMask, ItemType, OpenAttr, ResourceClass, ShareMode, ShareType, UpdateCycle };

export interface DataResourceTable {
  id: Generated<string>;
  code: string;
  name: string;
  class: ResourceClass;
  class_code: string;
  /** Domain tag used by the resident view: population, social_security, medical_insurance, family_planning, party … */
  theme: string | null;
  provider_department_id: string;
  /** The provider department's region (the distribution column). */
  region_code: string;
  summary: Generated<string>;
  format: string;
  update_cycle: UpdateCycle;
  published_at: DateOnly | null;
  related_codes: Generated<string[]>;
  open_attr: OpenAttr;
  share_modes: ShareMode[];
  /** The item holding a GB/T 2260 region code: grants' jurisdiction filters apply to it. */
  region_item: string | null;
  /** The item holding the person's 身份证号: the citizen access record is kept by it. */
  person_item: string | null;
  /** An upstream HTTP endpoint that answers instead of loaded rows (the gateway proxies to it). */
  upstream_url: string | null;
  status: Generated<'draft' | 'published' | 'withdrawn'>;
  version: Generated<number>;
  search_text: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface DataItemTable {
  resource_id: string;
  code: string;
  ord: number;
  name: string;
  type: ItemType;
  max_length: number | null;
  required: Generated<boolean>;
  is_key: Generated<boolean>;
  /** 1 公开 … 4 高度敏感. */
  sensitivity: Generated<number>;
  share_type: ShareType;
  legal_basis: string | null;
  mask: ItemMask | null;
  description: string | null;
}

export interface DataResourceVersionTable {
  resource_id: string;
  version: number;
  snapshot: unknown;
  changes: Generated<unknown>;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface DataDemandTable {
  id: Generated<string>;
  department_id: string;
  title: string;
  description: Generated<string>;
  items: Generated<string[]>;
  purpose: string;
  suggested_provider_id: string | null;
  status: Generated<'open' | 'matched' | 'closed'>;
  resource_id: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface Database {
    data_resource: DataResourceTable;
    data_item: DataItemTable;
    data_resource_version: DataResourceVersionTable;
    data_demand: DataDemandTable;
  }
}
