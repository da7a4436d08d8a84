// Kysely types of the audit module's tables, added to the Database interface by augmentation.
import type { JSONColumnType } from 'kysely';

export interface AuditLogTable {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  role: string | null;
  department_id: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  region_code: string | null;
  outcome: 'success' | 'failure' | 'denied';
  client_addr: string | null;
  request_id: string | null;
  detail: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: string;
  hash: string;
}

declare module '../../db/schema.ts' {
  interface Database {
    audit_log: AuditLogTable;
    audit_head: AuditHeadTable;
  }
}
