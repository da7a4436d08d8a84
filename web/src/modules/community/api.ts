// The community registry's API calls over the generated client; types read off the OpenAPI paths. The import upload
// goes through XMLHttpRequest for its progress.
import { call, client } from '../../api/client.ts';
import { sendFile } from '../datasets/api.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type Resident = ResponseOf<'/api/community/residents/{id}', 'get'>;
export type ResidentQuery = QueryOf<'/api/community/residents'>;
export type NewResident = BodyOf<'/api/community/residents', 'post'>;
export type EditResident = BodyOf<'/api/community/residents/{id}', 'patch'>;
export type Grid = ResponseOf<'/api/community/grids', 'get'>['items'][number];
export type Household = ResponseOf<'/api/community/households/{id}', 'get'>;
export type HouseholdRow = ResponseOf<'/api/community/households', 'get'>['items'][number];
export type Label = ResponseOf<'/api/community/labels', 'get'>['items'][number];
export type Ethnicity = ResponseOf<'/api/community/ethnicities', 'get'>['items'][number];
export type Building = ResponseOf<'/api/community/buildings', 'get'>['items'][number];
export type BuildingDetail = ResponseOf<'/api/community/buildings/{id}', 'get'>;
export type Import = ResponseOf<'/api/community/imports/{id}', 'get'>;
export type ImportRejection = ResponseOf<'/api/community/imports/{id}/rejections', 'get'>['items'][number];
export type PullSource = ResponseOf<'/api/community/imports/sources', 'get'>['items'][number];
export type Relation = NonNullable<Household['members'][number]['relation']>;

const id = (value: string) => ({ params: { path: { id: value } } });

export const communityApi = {
  residents: (query: ResidentQuery, signal?: AbortSignal) => call(client.GET('/api/community/residents', { params: { query }, signal })),
  resident: (value: string, signal?: AbortSignal) => call(client.GET('/api/community/residents/{id}', { ...id(value), signal })),
  register: (body: NewResident) => call(client.POST('/api/community/residents', { body })),
  edit: (value: string, body: EditResident) => call(client.PATCH('/api/community/residents/{id}', { ...id(value), body })),
  grids: (community?: string, signal?: AbortSignal) => call(client.GET('/api/community/grids', { params: { query: community ? { community } : {} }, signal })),
  createGrid: (body: BodyOf<'/api/community/grids', 'post'>) => call(client.POST('/api/community/grids', { body })),
  renameGrid: (value: string, name: string) => call(client.PATCH('/api/community/grids/{id}', { ...id(value), body: { name } })),
  households: (query: QueryOf<'/api/community/households'>, signal?: AbortSignal) => call(client.GET('/api/community/households', { params: { query }, signal })),
  household: (value: string, signal?: AbortSignal) => call(client.GET('/api/community/households/{id}', { ...id(value), signal })),
  labels: (signal?: AbortSignal) => call(client.GET('/api/community/labels', { signal })),
  ethnicities: (signal?: AbortSignal) => call(client.GET('/api/community/ethnicities', { signal })),
  move: (value: string, body: BodyOf<'/api/community/residents/{id}/move', 'post'>) => call(client.POST('/api/community/residents/{id}/move', { ...id(value), body })),
  residences: (value: string, signal?: AbortSignal) => call(client.GET('/api/community/residents/{id}/residences', { ...id(value), signal })),
  createHousehold: (body: BodyOf<'/api/community/households', 'post'>) => call(client.POST('/api/community/households', { body })),
  addMember: (value: string, body: BodyOf<'/api/community/households/{id}/members', 'post'>) => call(client.POST('/api/community/households/{id}/members', { ...id(value), body })),
  removeMember: (value: string, residentId: string) => call(client.DELETE('/api/community/households/{id}/members/{residentId}', { params: { path: { id: value, residentId } } })),
  buildings: (community?: string, signal?: AbortSignal) => call(client.GET('/api/community/buildings', { params: { query: community ? { community } : {} }, signal })),
  building: (value: string, signal?: AbortSignal) => call(client.GET('/api/community/buildings/{id}', { ...id(value), signal })),
  createBuilding: (body: BodyOf<'/api/community/buildings', 'post'>) => call(client.POST('/api/community/buildings', { body })),
  editBuilding: (value: string, body: BodyOf<'/api/community/buildings/{id}', 'patch'>) => call(client.PATCH('/api/community/buildings/{id}', { ...id(value), body })),
  imports: (signal?: AbortSignal) => call(client.GET('/api/community/imports', { signal })),
  importRejections: (value: string, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/community/imports/{id}/rejections', { params: { path: { id: value }, query: { cursor: cursor ?? undefined, limit } }, signal })),
  pullSources: (signal?: AbortSignal) => call(client.GET('/api/community/imports/sources', { signal })),
  pull: (resourceId: string) => call(client.POST('/api/community/imports/population', { body: { resourceId } })),
  reportUrl: (value: string, format: 'csv' | 'xlsx') => `/api/community/imports/${encodeURIComponent(value)}/report.${format}`,
  templateUrl: '/api/community/imports/template.csv',

  /** Streams the file as the request body (the datasets module's sendFile); onProgress gets the share sent (0–1). */
  upload: (file: File, options: { allOrNothing: boolean; encoding: 'auto' | 'utf-8' | 'gb18030' }, onProgress: (sent: number) => void) =>
    sendFile<Import>(`/api/community/imports/files?${new URLSearchParams({ name: file.name, allOrNothing: String(options.allOrNothing), encoding: options.encoding }).toString()}`, file, onProgress),
};

/** The integrated profile page of a resident (built by the profile module). */
export const residentPath = (residentId: string) => `/community/residents/${residentId}`;
