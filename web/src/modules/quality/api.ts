// Calls of the quality routes (/api/quality/…) over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type Ranking = ResponseOf<'/api/quality/ranking', 'get'>;
export type DepartmentRank = Ranking['items'][number];
export type OverdueResource = Ranking['overdueResources'][number];
export type ResourceQuality = ResponseOf<'/api/quality/resources/{code}', 'get'>;

export const qualityApi = {
  ranking: (signal?: AbortSignal) => call(client.GET('/api/quality/ranking', { signal })),
  resources: (overdue: boolean | undefined, signal?: AbortSignal) => call(client.GET('/api/quality/resources', { params: { query: overdue === undefined ? {} : { overdue } }, signal })),
  resource: (code: string, signal?: AbortSignal) => call(client.GET('/api/quality/resources/{code}', { params: { path: { code } }, signal })),
};
