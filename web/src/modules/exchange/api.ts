// The exchange statistics call (GET /api/exchange/stats) over the generated client.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { QueryOf, ResponseOf } from '../../api/types.ts';

export type ExchangeStats = ResponseOf<'/api/exchange/stats', 'get'>;
export type ExchangeStatsRow = ExchangeStats['rows'][number];
export type ExchangeStatsQuery = QueryOf<'/api/exchange/stats'>;

export const exchangeApi = {
  stats(query: ExchangeStatsQuery, signal?: AbortSignal): Promise<ExchangeStats> {
    return call(client.GET('/api/exchange/stats', { params: { query: cleanQuery(query) }, signal }));
  },
};
