// The sharing pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type SharingRequest = ResponseOf<'/api/sharing/requests/{id}', 'get'>;
export type RequestQuery = QueryOf<'/api/sharing/requests'>;
export type NewRequest = BodyOf<'/api/sharing/requests', 'post'>;
export type DecisionBody = BodyOf<'/api/sharing/requests/{id}/decision', 'post'>;
export type RequestOptions = ResponseOf<'/api/sharing/request-options', 'get'>;
export type DataGrant = ResponseOf<'/api/sharing/grants/{id}', 'get'>;
export type GrantQuery = QueryOf<'/api/sharing/grants'>;
export type ClientApp = ResponseOf<'/api/sharing/clients/{id}', 'get'>;
export type ClientWithSecret = ResponseOf<'/api/sharing/clients', 'post'>;
export type NewClient = BodyOf<'/api/sharing/clients', 'post'>;
export type ClientQuery = QueryOf<'/api/sharing/clients'>;

export const sharingApi = {
  options: (resource: string, signal?: AbortSignal) => call(client.GET('/api/sharing/request-options', { params: { query: { resource } }, signal })),
  submit: (body: NewRequest, idempotencyKey: string) => call(client.POST('/api/sharing/requests', { body, params: { header: { 'idempotency-key': idempotencyKey } } })),
  list: (query: RequestQuery, signal?: AbortSignal) => call(client.GET('/api/sharing/requests', { params: { query }, signal })),
  decide: (id: string, body: DecisionBody) => call(client.POST('/api/sharing/requests/{id}/decision', { params: { path: { id } }, body })),
  withdraw: (id: string) => call(client.POST('/api/sharing/requests/{id}/withdraw', { params: { path: { id } } })),
  grants: (query: GrantQuery, signal?: AbortSignal) => call(client.GET('/api/sharing/grants', { params: { query: cleanQuery(query) }, signal })),
  setMasks: (id: string, masks: DataGrant['masks']) => call(client.PUT('/api/sharing/grants/{id}/masks', { params: { path: { id } }, body: { masks } })),
  revoke: (id: string) => call(client.POST('/api/sharing/grants/{id}/revoke', { params: { path: { id } }, body: {} })),
  clients: (query: ClientQuery, signal?: AbortSignal) => call(client.GET('/api/sharing/clients', { params: { query: cleanQuery(query) }, signal })),
  createClient: (body: NewClient) => call(client.POST('/api/sharing/clients', { body })),
  rotate: (id: string) => call(client.POST('/api/sharing/clients/{id}/rotate', { params: { path: { id } } })),
  disable: (id: string) => call(client.POST('/api/sharing/clients/{id}/disable', { params: { path: { id } } })),
  enable: (id: string) => call(client.POST('/api/sharing/clients/{id}/enable', { params: { path: { id } } })),
};
