// Kysely type of placement's table (issue 10 §3), added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../../db/schema.ts';

export interface CloudPlacementPolicyTable {
  id: Generated<boolean>;
  weigher: ColumnType<'spread' | 'stack', 'spread' | 'stack' | undefined, 'spread' | 'stack'>;
  reserve_hosts: Generated<number>;
  reserve_shortfall: ColumnType<'refuse' | 'place', 'refuse' | 'place' | undefined, 'refuse' | 'place'>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

declare module '../../../db/schema.ts' {
  interface Database {
    cloud_placement_policy: CloudPlacementPolicyTable;
  }
}
