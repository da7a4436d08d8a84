// The jobs page's calls (GET /api/jobs, POST /api/jobs/{id}/retry) over the generated client; the states are the
// server's own enum (a pure file), the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { QueryOf, ResponseOf } from '../../api/types.ts';

export { JOB_STATES, type JobState } from '../../../../src/modules/jobs/dto.ts';

export type JobPage = ResponseOf<'/api/jobs', 'get'>;
export type Job = JobPage['items'][number];
export type JobQuery = QueryOf<'/api/jobs'>;

export const jobsApi = {
  list(query: JobQuery, signal?: AbortSignal): Promise<JobPage> {
    return call(client.GET('/api/jobs', { params: { query: cleanQuery(query) }, signal }));
  },
  retry(id: string): Promise<Job> {
    return call(client.POST('/api/jobs/{id}/retry', { params: { path: { id } } }));
  },
};
