// Grid work's calls over the generated client; the shapes are read off docs/openapi.json. Photos go to the files
// module's streamed upload (the body is the file itself).
import { ApiError, call, cleanQuery, client, csrfHeaders, toProblem } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type Area = ResponseOf<'/api/gridwork/area', 'get'>;
export type AreaResident = ResponseOf<'/api/gridwork/area/residents', 'get'>['items'][number];
export type AreaBuilding = ResponseOf<'/api/gridwork/area/buildings', 'get'>['items'][number];
export type AreaHousehold = ResponseOf<'/api/gridwork/area/households', 'get'>['items'][number];
export type DueVisit = ResponseOf<'/api/gridwork/visits/due', 'get'>['items'][number];
export type Visit = ResponseOf<'/api/gridwork/visits', 'get'>['items'][number];
export type NewVisit = BodyOf<'/api/gridwork/visits', 'post'>;
export type Incident = ResponseOf<'/api/gridwork/incidents', 'get'>['items'][number];
export type IncidentDetail = ResponseOf<'/api/gridwork/incidents/{id}', 'get'>;
export type IncidentQuery = QueryOf<'/api/gridwork/incidents'>;
export type NewIncident = BodyOf<'/api/gridwork/incidents', 'post'>;
export type DispatchBody = BodyOf<'/api/gridwork/incidents/{id}/dispatch', 'post'>;
export type PhotoOwner = 'gridwork.visit' | 'gridwork.incident';
export type Photo = ResponseOf<'/api/files', 'get'>['items'][number];

const page = (cursor: string | null, limit: number) => ({ cursor: cursor ?? undefined, limit });

export const gridworkApi = {
  area: (signal?: AbortSignal) => call(client.GET('/api/gridwork/area', { signal })),
  residents: (q: string, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/gridwork/area/residents', { params: { query: cleanQuery({ q: q.trim() || undefined, ...page(cursor, limit) }) }, signal })),
  buildings: (cursor: string | null, limit: number, signal?: AbortSignal) => call(client.GET('/api/gridwork/area/buildings', { params: { query: cleanQuery(page(cursor, limit)) }, signal })),
  households: (cursor: string | null, limit: number, signal?: AbortSignal) => call(client.GET('/api/gridwork/area/households', { params: { query: cleanQuery(page(cursor, limit)) }, signal })),
  due: (cursor: string | null, limit: number, signal?: AbortSignal) => call(client.GET('/api/gridwork/visits/due', { params: { query: cleanQuery(page(cursor, limit)) }, signal })),
  visits: (cursor: string | null, limit: number, signal?: AbortSignal) => call(client.GET('/api/gridwork/visits', { params: { query: cleanQuery(page(cursor, limit)) }, signal })),
  recordVisit: (body: NewVisit) => call(client.POST('/api/gridwork/visits', { body })),
  incidents: (query: IncidentQuery, signal?: AbortSignal) => call(client.GET('/api/gridwork/incidents', { params: { query: cleanQuery(query) }, signal })),
  incident: (id: string, signal?: AbortSignal) => call(client.GET('/api/gridwork/incidents/{id}', { params: { path: { id } }, signal })),
  report: (body: NewIncident) => call(client.POST('/api/gridwork/incidents', { body })),
  departments: (id: string, signal?: AbortSignal) => call(client.GET('/api/gridwork/incidents/{id}/departments', { params: { path: { id }, query: {} }, signal })),
  dispatch: (id: string, body: DispatchBody) => call(client.POST('/api/gridwork/incidents/{id}/dispatch', { params: { path: { id } }, body })),
  conclude: (id: string, note: string) => call(client.POST('/api/gridwork/incidents/{id}/conclude', { params: { path: { id } }, body: { note } })),
  giveBack: (id: string, note: string) => call(client.POST('/api/gridwork/incidents/{id}/return', { params: { path: { id } }, body: { note } })),
  resubmit: (id: string) => call(client.POST('/api/gridwork/incidents/{id}/resubmit', { params: { path: { id } }, body: {} })),
  photos: (ownerKind: PhotoOwner, ownerId: string, signal?: AbortSignal) => call(client.GET('/api/files', { params: { query: { ownerKind, ownerId } }, signal })),
  /** Streams one photo to the files module (typed by its content there: JPEG, PNG or WebP, 8 MB). */
  async upload(ownerKind: PhotoOwner, ownerId: string, file: File): Promise<void> {
    const name = file.name && /\.(jpe?g|png|webp)$/i.test(file.name) ? file.name : `photo.${file.type === 'image/png' ? 'png' : file.type === 'image/webp' ? 'webp' : 'jpg'}`;
    const qs = new URLSearchParams({ ownerKind, ownerId, use: 'photo', name });
    const res = await fetch(`/api/files?${qs.toString()}`, {
      method: 'POST',
      body: file,
      credentials: 'same-origin',
      headers: { ...csrfHeaders(), 'content-type': file.type || 'application/octet-stream', accept: 'application/json, application/problem+json' },
    });
    if (!res.ok) throw new ApiError(res.status, toProblem(await res.json().catch(() => ({}))));
  },
};

/** A submission key made once per form: a retry after a lost answer finds the record the first attempt made. */
export function newClientKey(): string {
  return `web-${crypto.randomUUID()}`;
}
