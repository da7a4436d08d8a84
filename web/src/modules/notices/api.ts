// Calls of the notices routes (/api/notices/…) over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type NoticePage = ResponseOf<'/api/notices', 'get'>;
export type NoticeSummary = NoticePage['items'][number];
export type NoticeDetail = ResponseOf<'/api/notices/{id}', 'get'>;
export type NoticeStatus = NoticeSummary['status'];
export type Counts = NoticeSummary['counts'];
export type Preview = ResponseOf<'/api/notices/preview', 'post'>;
export type TemplateList = ResponseOf<'/api/notices/templates', 'get'>;
export type NoticeTemplate = TemplateList['items'][number];
export type ComposeBody = BodyOf<'/api/notices', 'post'>;
export type Filter = ComposeBody['filter'];

/** Status counts in the order the history shows them. */
export const COUNT_KEYS = ['recipients', 'pending', 'queued', 'sent', 'delivered', 'failed', 'optedOut', 'noPhone', 'inApp'] as const satisfies readonly (keyof Counts)[];

export const noticesApi = {
  list: (query: QueryOf<'/api/notices'>, signal?: AbortSignal) => call(client.GET('/api/notices', { params: { query: cleanQuery(query) }, signal })),
  detail: (id: string, signal?: AbortSignal) => call(client.GET('/api/notices/{id}', { params: { path: { id } }, signal })),
  preview: (body: BodyOf<'/api/notices/preview', 'post'>, signal?: AbortSignal) => call(client.POST('/api/notices/preview', { body, signal })),
  create: (body: ComposeBody) => call(client.POST('/api/notices', { body })),
  send: (id: string) => call(client.POST('/api/notices/{id}/send', { params: { path: { id } } })),
  templates: (signal?: AbortSignal) => call(client.GET('/api/notices/templates', { signal })),
  createTemplate: (body: BodyOf<'/api/notices/templates', 'post'>) => call(client.POST('/api/notices/templates', { body })),
  deleteTemplate: (id: string) => call(client.DELETE('/api/notices/templates/{id}', { params: { path: { id } } })),
};
