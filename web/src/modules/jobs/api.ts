// Calls of the jobs page (GET /api/jobs, POST /api/jobs/:id/retry), typed with the server's own DTO file.
import { request } from '../../api.ts';
import type { Job, JobPage, JobState } from '../../../../src/modules/jobs/dto.ts';

export { JOB_STATES } from '../../../../src/modules/jobs/dto.ts';
export type { Job, JobPage, JobState };

export const jobsApi = {
  list(query: { state?: JobState; name?: string; cursor?: string | null; limit?: number }, signal?: AbortSignal): Promise<JobPage> {
    return request<JobPage>('GET', '/api/jobs', { query: { state: query.state, name: query.name, cursor: query.cursor, limit: query.limit }, signal });
  },
  retry(id: string): Promise<Job> {
    return request<Job>('POST', `/api/jobs/${encodeURIComponent(id)}/retry`);
  },
};
