// Table types of the personal-data access log (audit_access, partitioned by month), added to the Database type.
import type { JSONColumnType } from 'kysely';

export interface AuditAccessTable {
  at: Date;
  /** The batch the row was written in; the batch's hash is anchored in the chain (action audit.access_batch). */
  batch_id: string;
  /** Position in the batch (the order the batch hash covers). */
  ord: number;
  actor_id: string | null;
  actor_name: string | null;
  department_id: string | null;
  /** The role that carried the permission used. */
  role: string | null;
  /** The permission actually used for the read. */
  permission: string;
  /** The scope actually used (region subtrees …), as the service computed it. */
  scope: JSONColumnType<object, string, string>;
  /** What was read: 'user', 'user.list', 'audit_log' … */
  resource: string;
  /** Whose data was read (ids of people or records), possibly empty for a search that matched nobody. */
  subject_ids: JSONColumnType<string[], string, string>;
  /** Which fields of theirs were returned. */
  fields: JSONColumnType<string[], string, string>;
  /** The region of the subject, or the root of the scope used: what jurisdiction filtering of the log uses. */
  region_code: string | null;
  client_addr: string | null;
  request_id: string | null;
  detail: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
}

declare module '../../db/schema.ts' {
  interface Database {
    audit_access: AuditAccessTable;
  }
}
