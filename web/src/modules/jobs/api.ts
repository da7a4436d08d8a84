// Calls of the jobs page (GET /api/jobs, POST /api/jobs/:id/retry); the shapes follow docs/openapi.json.
import { request, type Page } from '../../api.ts';

export const JOB_STATES = ['queued', 'running', 'failed', 'done'] as const;
export type JobState = (typeof JOB_STATES)[number];

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
  /** What the caller may do: 'retry'. */
  abilities: string[];
}

export interface JobPage extends Page<Job> {
  counts: Record<JobState, number>;
}

export const jobsApi = {
  list(query: { state?: JobState; name?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal): Promise<JobPage> {
    return request<JobPage>('GET', '/api/jobs', { query: { state: query.state, name: query.name, cursor: query.cursor, limit: query.limit }, signal });
  },
  retry(id: string): Promise<Job> {
    return request<Job>('POST', `/api/jobs/${encodeURIComponent(id)}/retry`);
  },
};
