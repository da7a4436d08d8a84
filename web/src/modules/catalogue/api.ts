// The catalogue's API calls over the generated client; types read off the OpenAPI paths.
import { call, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type SearchResult = ResponseOf<'/api/catalogue/resources', 'get'>;
export type ResourceSummary = SearchResult['items'][number];
export type Facets = SearchResult['facets'];
export type SearchQuery = QueryOf<'/api/catalogue/resources'>;
export type ResourceDetail = ResponseOf<'/api/catalogue/resources/{code}', 'get'>;
export type ResourceItem = ResourceDetail['items'][number];
export type NewResource = BodyOf<'/api/catalogue/resources', 'post'>;
export type Versions = ResponseOf<'/api/catalogue/resources/{code}/versions', 'get'>;
export type Demand = ResponseOf<'/api/catalogue/demands', 'get'>['items'][number];
export type DemandQuery = QueryOf<'/api/catalogue/demands'>;
export type NewDemand = BodyOf<'/api/catalogue/demands', 'post'>;
export type DemandDecision = BodyOf<'/api/catalogue/demands/{id}/decide', 'post'>;

const path = (code: string) => ({ params: { path: { code } } });

export const catalogueApi = {
  search: (query: SearchQuery, signal?: AbortSignal) => call(client.GET('/api/catalogue/resources', { params: { query }, signal })),
  get: (code: string, signal?: AbortSignal) => call(client.GET('/api/catalogue/resources/{code}', { ...path(code), signal })),
  versions: (code: string, signal?: AbortSignal) => call(client.GET('/api/catalogue/resources/{code}/versions', { ...path(code), signal })),
  create: (body: NewResource) => call(client.POST('/api/catalogue/resources', { body })),
  update: (code: string, body: NewResource & { expectedVersion?: number }) => call(client.PUT('/api/catalogue/resources/{code}', { ...path(code), body })),
  publish: (code: string) => call(client.POST('/api/catalogue/resources/{code}/publish', path(code))),
  withdraw: (code: string) => call(client.POST('/api/catalogue/resources/{code}/withdraw', path(code))),
  demands: (query: DemandQuery, signal?: AbortSignal) => call(client.GET('/api/catalogue/demands', { params: { query }, signal })),
  createDemand: (body: NewDemand) => call(client.POST('/api/catalogue/demands', { body })),
  decideDemand: (id: string, body: DemandDecision) => call(client.POST('/api/catalogue/demands/{id}/decide', { params: { path: { id } }, body })),
};

/** The console path of a resource's page (its code holds a slash: one encoded segment). */
export const resourcePath = (code: string) => `/catalogue/${encodeURIComponent(code)}`;

export const SHARE_COLORS: Record<ResourceItem['shareType'], string> = { unconditional: 'green', conditional: 'orange', none: 'red' };
export const STATUS_COLORS: Record<ResourceSummary['status'], string> = { draft: 'default', published: 'blue', withdrawn: 'warning' };
