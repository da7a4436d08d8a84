// The jobs API's shapes, shared with the console (web/src/modules/jobs/api.ts imports this file): no imports here.

export const JOB_STATES = ['queued', 'running', 'failed', 'done'] as const;
/** queued (waiting, also between retries) → running (claimed under a lease) → done, or failed after its last attempt. */
export type JobState = (typeof JOB_STATES)[number];

/** A job as GET /api/jobs shows it (without its payload, which may carry personal data). */
export interface Job {
  id: string;
  name: string;
  uniqueKey: string | null;
  state: JobState;
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** What the caller may do to this job: 'retry' when it failed. */
  abilities: string[];
}

export interface JobPage {
  items: Job[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  /** How many jobs are in each state (under the name filter). */
  counts: Record<JobState, number>;
}
