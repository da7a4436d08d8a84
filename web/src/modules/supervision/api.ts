// The supervision pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type Overview = ResponseOf<'/api/supervision/overview', 'get'>;
export type DepartmentRow = Overview['departments'][number];
export type CountyRow = Overview['counties'][number];
export type Warning = ResponseOf<'/api/supervision/warnings', 'get'>[number];
export type WarningQuery = QueryOf<'/api/supervision/warnings'>;
export type Order = ResponseOf<'/api/supervision/orders/{id}', 'get'>;
export type OrderQuery = QueryOf<'/api/supervision/orders'>;
export type OrderAbility = Order['abilities'][number];
export type Explanation = ResponseOf<'/api/supervision/explanations', 'get'>['items'][number];
export type Ledger = ResponseOf<'/api/supervision/cases/{id}', 'get'>;
export type AuditItem = ResponseOf<'/api/audit', 'get'>['items'][number];

const id = (value: string) => ({ params: { path: { id: value } } });

export const supervisionApi = {
  overview: (query: WarningQuery, signal?: AbortSignal) => call(client.GET('/api/supervision/overview', { params: { query: cleanQuery(query) }, signal })),
  warnings: (query: WarningQuery, signal?: AbortSignal) => call(client.GET('/api/supervision/warnings', { params: { query: cleanQuery(query) }, signal })),
  ledger: (caseId: string, signal?: AbortSignal) => call(client.GET('/api/supervision/cases/{id}', { ...id(caseId), signal })),
  orders: (query: OrderQuery, signal?: AbortSignal) => call(client.GET('/api/supervision/orders', { params: { query: cleanQuery(query) }, signal })),
  order: (orderId: string, signal?: AbortSignal) => call(client.GET('/api/supervision/orders/{id}', { ...id(orderId), signal })),
  issue: (body: BodyOf<'/api/supervision/orders', 'post'>) => call(client.POST('/api/supervision/orders', { body })),
  respond: (orderId: string, response: string) => call(client.POST('/api/supervision/orders/{id}/respond', { ...id(orderId), body: { response } })),
  decide: (orderId: string, body: BodyOf<'/api/supervision/orders/{id}/decide', 'post'>) => call(client.POST('/api/supervision/orders/{id}/decide', { ...id(orderId), body })),
  explanations: (query: QueryOf<'/api/supervision/explanations'>, signal?: AbortSignal) => call(client.GET('/api/supervision/explanations', { params: { query: cleanQuery(query) }, signal })),
  explain: (warningId: string, text: string) => call(client.POST('/api/supervision/warnings/{id}/explanation', { ...id(warningId), body: { text } })),
  decideExplanation: (explanationId: string, body: BodyOf<'/api/supervision/explanations/{id}/decide', 'post'>) => call(client.POST('/api/supervision/explanations/{id}/decide', { ...id(explanationId), body })),
  /** The audit trail of one object (audit.read): records whose object is `objectId`, newest first. */
  audit: (objectId: string, signal?: AbortSignal) => call(client.GET('/api/audit', { params: { query: { object: objectId, limit: 50 } }, signal })),
};
