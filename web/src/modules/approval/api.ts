// The approval pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { ApiError, call, cleanQuery, client, csrfHeaders, toProblem } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type CaseView = ResponseOf<'/api/approval/cases/{id}', 'get'>;
export type CaseSummary = ResponseOf<'/api/approval/cases', 'get'>['items'][number];
export type CaseQuery = QueryOf<'/api/approval/cases'>;
export type ItemList = ResponseOf<'/api/approval/items', 'get'>;
export type ItemSummary = ItemList['items'][number];
export type ItemQuery = QueryOf<'/api/approval/items'>;
export type NewItem = BodyOf<'/api/approval/items', 'post'>;
export type CounterCase = BodyOf<'/api/approval/cases', 'post'>;
export type ActionBody = BodyOf<'/api/approval/cases/{id}/{action}', 'post'>;
export type CaseAction = CaseSummary['actions'][number];

export const approvalApi = {
  cases: (query: CaseQuery, signal?: AbortSignal) => call(client.GET('/api/approval/cases', { params: { query: cleanQuery(query) }, signal })),
  get: (id: string, signal?: AbortSignal) => call(client.GET('/api/approval/cases/{id}', { params: { path: { id } }, signal })),
  register: (body: CounterCase) => call(client.POST('/api/approval/cases', { body })),
  act: (id: string, action: CaseAction, body: ActionBody) => call(client.POST('/api/approval/cases/{id}/{action}', { params: { path: { id, action } }, body })),
  items: (query: ItemQuery, signal?: AbortSignal) => call(client.GET('/api/approval/items', { params: { query: cleanQuery(query) }, signal })),
  createItem: (body: NewItem) => call(client.POST('/api/approval/items', { body })),
  retireItem: (id: string, version: number) => call(client.POST('/api/approval/items/{id}/retire', { params: { path: { id } }, body: { version } })),
  /** Streams one file as material `seq` of a case (the body is the file itself). */
  async upload(caseId: string, seq: number, file: File): Promise<void> {
    const res = await fetch(`/api/approval/cases/${caseId}/materials/${seq}?${new URLSearchParams({ name: file.name })}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...csrfHeaders(), 'content-type': 'application/octet-stream' },
      body: file,
    });
    if (!res.ok) throw new ApiError(res.status, toProblem(await res.json().catch(() => ({}))));
  },
};
