// Kysely types of the self-service module's own tables (issue 10 §2); the requests themselves are cloud_vm_request.
import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/schema.ts';

export interface SelfserviceRequestCounterTable {
  prefix: string;
  last: number;
}

/** The approval policy: a department's own row, else the default row (department_id null). */
export interface SelfservicePolicyTable {
  id: Generated<string>;
  department_id: string | null;
  department_step_required: Generated<boolean>;
  /** The platform step is approved automatically when the VM is at most this big on every dimension (0: never). */
  auto_max_vcpus: Generated<number>;
  auto_max_memory_mb: Generated<number>;
  auto_max_disk_gb: Generated<number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** A request's state timeline: one row per step (submit, decisions, cancel, placement, outcome). */
export interface SelfserviceRequestEventTable {
  request_id: string;
  seq: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  note: Generated<string>;
  at: ColumnType<Date, Date | string | undefined, never>;
}

declare module '../../db/schema.ts' {
  interface Database {
    selfservice_request_counter: SelfserviceRequestCounterTable;
    selfservice_policy: SelfservicePolicyTable;
    selfservice_request_event: SelfserviceRequestEventTable;
  }
}
