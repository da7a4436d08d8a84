// The cloud pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type HostView = ResponseOf<'/api/cloud/hosts', 'get'>['items'][number];
export type RoomView = ResponseOf<'/api/cloud/rooms', 'get'>['items'][number];
export type PoolView = ResponseOf<'/api/cloud/pools', 'get'>['items'][number];
export type VmView = ResponseOf<'/api/cloud/vms', 'get'>['items'][number];
export type VmDetail = ResponseOf<'/api/cloud/vms/{id}', 'get'>;
export type VmQuery = QueryOf<'/api/cloud/vms'>;
export type SystemView = ResponseOf<'/api/cloud/systems', 'get'>['items'][number];
export type SystemQuery = QueryOf<'/api/cloud/systems'>;
export type NewSystem = BodyOf<'/api/cloud/systems', 'post'>;
export type QuotaView = ResponseOf<'/api/cloud/quotas', 'get'>['items'][number];
export type QuotaBody = BodyOf<'/api/cloud/quotas/{departmentId}', 'put'>;
export type Consolidation = ResponseOf<'/api/cloud/consolidation', 'get'>;
export type HostState = HostView['state'];
export type FlavourView = ResponseOf<'/api/cloud/flavours', 'get'>['items'][number];
export type ImageView = ResponseOf<'/api/cloud/images', 'get'>['items'][number];
export type NewRoom = BodyOf<'/api/cloud/rooms', 'post'>;
export type RoomChange = BodyOf<'/api/cloud/rooms/{id}', 'put'>;

export const cloudApi = {
  hosts: (signal?: AbortSignal) => call(client.GET('/api/cloud/hosts', { params: { query: { limit: 500 } }, signal })),
  setHostState: (id: string, state: HostState) => call(client.POST('/api/cloud/hosts/{id}/state', { params: { path: { id } }, body: { state } })),
  rooms: (query: QueryOf<'/api/cloud/rooms'>, signal?: AbortSignal) => call(client.GET('/api/cloud/rooms', { params: { query: cleanQuery(query) }, signal })),
  room: (id: string, signal?: AbortSignal) => call(client.GET('/api/cloud/rooms/{id}', { params: { path: { id } }, signal })),
  createRoom: (body: NewRoom) => call(client.POST('/api/cloud/rooms', { body })),
  updateRoom: (id: string, body: RoomChange) => call(client.PUT('/api/cloud/rooms/{id}', { params: { path: { id } }, body })),
  flavours: (signal?: AbortSignal) => call(client.GET('/api/cloud/flavours', { signal })),
  deleteFlavour: (code: string) => call(client.DELETE('/api/cloud/flavours/{code}', { params: { path: { code } } })),
  images: (signal?: AbortSignal) => call(client.GET('/api/cloud/images', { signal })),
  deleteImage: (code: string) => call(client.DELETE('/api/cloud/images/{code}', { params: { path: { code } } })),
  pools: (signal?: AbortSignal) => call(client.GET('/api/cloud/pools', { signal })),
  vms: (query: VmQuery, signal?: AbortSignal) => call(client.GET('/api/cloud/vms', { params: { query: cleanQuery(query) }, signal })),
  vm: (id: string, signal?: AbortSignal) => call(client.GET('/api/cloud/vms/{id}', { params: { path: { id } }, signal })),
  systems: (query: SystemQuery, signal?: AbortSignal) => call(client.GET('/api/cloud/systems', { params: { query: cleanQuery(query) }, signal })),
  createSystem: (body: NewSystem) => call(client.POST('/api/cloud/systems', { body })),
  quotas: (query: QueryOf<'/api/cloud/quotas'>, signal?: AbortSignal) => call(client.GET('/api/cloud/quotas', { params: { query: cleanQuery(query) }, signal })),
  setQuota: (departmentId: string, body: QuotaBody) => call(client.PUT('/api/cloud/quotas/{departmentId}', { params: { path: { departmentId } }, body })),
  consolidation: (signal?: AbortSignal) => call(client.GET('/api/cloud/consolidation', { signal })),
};
