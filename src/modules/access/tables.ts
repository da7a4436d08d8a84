// Table types of the access module, added to the Database interface by augmentation.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ShareGrantTable {
  id: Generated<string>;
  resource: string;
  fields: string[];
  purpose: string;
  owner_department_id: string;
  grantee_department_id: string | null;
  grantee_token_id: string | null;
  expires_at: Timestamp;
  created_by: string | null;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

declare module '../../db/schema.ts' {
  interface Database {
    share_grant: ShareGrantTable;
  }
}
