// Calls of the matters routes over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { QueryOf, ResponseOf } from '../../api/types.ts';

export type MatterPage = ResponseOf<'/api/matters', 'get'>;
export type Matter = MatterPage['items'][number];
export type MatterDetail = ResponseOf<'/api/matters/{id}', 'get'>;
export type Warning = MatterDetail['warnings'][number];
export type Kind = Matter['kind'];
export type Article = ResponseOf<'/api/matters/articles', 'get'>['items'][number];
export type PublicPenalty = ResponseOf<'/api/public/penalties', 'get'>['items'][number];

export const KINDS: readonly Kind[] = ['penalty', 'enforcement', 'trading', 'village', 'project'];

export const mattersApi = {
  list: (query: QueryOf<'/api/matters'>, signal?: AbortSignal) => call(client.GET('/api/matters', { params: { query: cleanQuery(query) }, signal })),
  detail: (id: string, signal?: AbortSignal) => call(client.GET('/api/matters/{id}', { params: { path: { id } }, signal })),
  warnings: (query: QueryOf<'/api/matters/warnings'>, signal?: AbortSignal) => call(client.GET('/api/matters/warnings', { params: { query: cleanQuery(query) }, signal })),
  articles: (signal?: AbortSignal) => call(client.GET('/api/matters/articles', { signal })),
  /** Create or change a matter of a kind: the body is the kind's form (checked by the server's schema). */
  save: (kind: Kind, id: string | null, body: Record<string, unknown>): Promise<MatterDetail> =>
    id === null
      ? call(client.POST(`/api/matters/${kind}` as '/api/matters/penalty', { body: body as never }))
      : call(client.PUT(`/api/matters/${kind}/{id}` as '/api/matters/penalty/{id}', { params: { path: { id } }, body: body as never })),
  addPublication: (id: string, body: Record<string, unknown>) => call(client.POST('/api/matters/{id}/publications', { params: { path: { id } }, body: body as never })),
  publicPenalties: (query: QueryOf<'/api/public/penalties'>, signal?: AbortSignal) => call(client.GET('/api/public/penalties', { params: { query: cleanQuery(query) }, signal })),
};
