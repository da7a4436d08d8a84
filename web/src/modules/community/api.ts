// The community registry's API calls over the generated client; types read off the OpenAPI paths.
import { call, client } from '../../api/client.ts';
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
};

/** The integrated profile page of a resident (built by the profile module). */
export const residentPath = (residentId: string) => `/community/residents/${residentId}`;
