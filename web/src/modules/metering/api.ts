// Calls of metering and chargeback over the generated client.
import { ApiError, call, client, toProblem } from '../../api/client.ts';
import type { BodyOf, ResponseOf } from '../../api/types.ts';

export type Usage = ResponseOf<'/api/metering/usage', 'get'>;
export type Chargeback = ResponseOf<'/api/metering/chargeback', 'get'>;
export type Tariffs = ResponseOf<'/api/metering/tariffs', 'get'>;
export type TariffBody = BodyOf<'/api/metering/tariffs', 'put'>;

export const meteringApi = {
  usage: (month: string, signal?: AbortSignal) => call(client.GET('/api/metering/usage', { params: { query: { month } }, signal })),
  chargeback: (month: string, signal?: AbortSignal) => call(client.GET('/api/metering/chargeback', { params: { query: { month } }, signal })),
  tariffs: (signal?: AbortSignal) => call(client.GET('/api/metering/tariffs', { signal })),
  setTariff: (body: TariffBody) => call(client.PUT('/api/metering/tariffs', { body })),
  async exportXlsx(month: string): Promise<{ blob: Blob; filename: string }> {
    const { data, error, response } = await client.GET('/api/metering/chargeback.xlsx', { params: { query: { month } }, parseAs: 'blob' });
    if (!response.ok || !(data instanceof Blob)) throw new ApiError(response.status, { ...toProblem(error), status: response.status });
    const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `chargeback-${month}.xlsx`;
    return { blob: data, filename };
  },
};
