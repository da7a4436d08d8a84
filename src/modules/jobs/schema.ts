// Table types of the jobs module: one durable queue holds one-off jobs, scheduled runs and outbox events.
import type { ColumnType, Generated } from 'kysely';

export const JOB_STATES = ['queued', 'running', 'failed', 'done'] as const;
/** queued (waiting, also between retries) → running (claimed under a lease) → done, or failed after its last attempt. */
export type JobState = (typeof JOB_STATES)[number];

export interface JobTable {
  id: Generated<string>;
  /** The handler: a job name, `schedule:<name>` for a scheduled run or `outbox:<topic>` for an outbox event. */
  name: string;
  /** Idempotency key: a second enqueue with the same (name, key) is ignored. */
  unique_key: string | null;
  payload: ColumnType<unknown, string, string>;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  run_at: ColumnType<Date, Date | string, Date | string>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  locked_by: string | null;
  locked_until: ColumnType<Date | null, Date | string | null, Date | string | null>;
  last_error: string | null;
  created_at: ColumnType<Date, Date | string, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
  finished_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

declare module '../../db/schema.ts' {
  interface Database {
    job: JobTable;
  }
}
