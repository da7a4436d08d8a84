// The OA pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client, csrfHeaders, toProblem, ApiError } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type OaDocument = ResponseOf<'/api/oa/documents/{id}', 'get'>;
export type NewDocument = BodyOf<'/api/oa/documents', 'post'>;
export type ReceivedItem = ResponseOf<'/api/oa/received', 'get'>['items'][number];
export type ListedDocument = ResponseOf<'/api/oa/archive', 'get'>['items'][number];
export type ReceivedQuery = QueryOf<'/api/oa/received'>;
export type SentQuery = QueryOf<'/api/oa/sent'>;
export type ArchiveQuery = QueryOf<'/api/oa/archive'>;
export type ReceiptTable = ResponseOf<'/api/oa/documents/{id}/receipts', 'get'>;
export type ReceiptUser = ResponseOf<'/api/oa/documents/{id}/receipts/users', 'get'>['items'][number];
export type RecipientOptions = ResponseOf<'/api/oa/recipient-options', 'get'>;

const path = (id: string) => ({ params: { path: { id } } });

export const oaApi = {
  get: (id: string, signal?: AbortSignal) => call(client.GET('/api/oa/documents/{id}', { ...path(id), signal })),
  create: (body: NewDocument) => call(client.POST('/api/oa/documents', { body })),
  update: (id: string, body: Omit<NewDocument, 'supersedesId'>) => call(client.PATCH('/api/oa/documents/{id}', { ...path(id), body })),
  send: (id: string) => call(client.POST('/api/oa/documents/{id}/send', path(id))),
  withdraw: (id: string) => call(client.POST('/api/oa/documents/{id}/withdraw', path(id))),
  archive: (id: string) => call(client.POST('/api/oa/documents/{id}/archive', path(id))),
  sign: (id: string) => call(client.POST('/api/oa/documents/{id}/sign', path(id))),
  receipts: (id: string, signal?: AbortSignal) => call(client.GET('/api/oa/documents/{id}/receipts', { ...path(id), signal })),
  receiptUsers: (id: string, query: QueryOf<'/api/oa/documents/{id}/receipts/users'>, signal?: AbortSignal) =>
    call(client.GET('/api/oa/documents/{id}/receipts/users', { params: { path: { id }, query: cleanQuery(query) }, signal })),
  received: (query: ReceivedQuery, signal?: AbortSignal) => call(client.GET('/api/oa/received', { params: { query: cleanQuery(query) }, signal })),
  sent: (query: SentQuery, signal?: AbortSignal) => call(client.GET('/api/oa/sent', { params: { query: cleanQuery(query) }, signal })),
  archive_: (query: ArchiveQuery, signal?: AbortSignal) => call(client.GET('/api/oa/archive', { params: { query: cleanQuery(query) }, signal })),
  options: (signal?: AbortSignal) => call(client.GET('/api/oa/recipient-options', { signal })),
  /** Streams a file to the files module as an OA attachment (the body is the file itself). */
  async upload(documentId: string, file: File): Promise<void> {
    const query = new URLSearchParams({ ownerKind: 'oa.document', ownerId: documentId, use: 'attachment', name: file.name });
    const res = await fetch(`/api/files?${query}`, { method: 'POST', credentials: 'same-origin', headers: { ...csrfHeaders(), 'content-type': 'application/octet-stream' }, body: file });
    if (!res.ok) throw new ApiError(res.status, toProblem(await res.json().catch(() => ({}))));
  },
};
