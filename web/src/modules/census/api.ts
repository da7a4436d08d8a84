// Calls of community statistics over the generated client.
import { ApiError, call, client, toProblem } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type Breakdown = ResponseOf<'/api/census/breakdown', 'get'>;
export type CrossTab = ResponseOf<'/api/census/crosstab', 'get'>;

export interface CensusParams {
  dimension: string;
  region?: string;
  asOf?: string;
}

const clean = <T extends object>(q: T): T => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== '')) as T;

export const censusApi = {
  breakdown: (q: CensusParams, signal?: AbortSignal) => call(client.GET('/api/census/breakdown', { params: { query: clean(q) }, signal })),
  crossTab: (q: CensusParams & { second: string }, signal?: AbortSignal) => call(client.GET('/api/census/crosstab', { params: { query: clean(q) }, signal })),
  async exportXlsx(q: CensusParams & { second?: string }): Promise<{ blob: Blob; filename: string }> {
    const { data, error, response } = await client.GET('/api/census/export.xlsx', { params: { query: clean(q) }, parseAs: 'blob' });
    if (!response.ok || !(data instanceof Blob)) throw new ApiError(response.status, { ...toProblem(error), status: response.status });
    const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'census.xlsx';
    return { blob: data, filename };
  },
};
