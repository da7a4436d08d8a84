// Calls of the extranet console over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { BodyOf, ResponseOf } from '../../api/types.ts';

export type Topology = ResponseOf<'/api/extranet/topology', 'get'>;
export type ExtranetNode = Topology['nodes'][number];
export type ExtranetLink = Topology['links'][number];
export type Coverage = ResponseOf<'/api/extranet/coverage', 'get'>;
export type Bridges = ResponseOf<'/api/extranet/bridges', 'get'>;
export type Failure = ResponseOf<'/api/extranet/links/{id}/failure', 'get'>;
export type NodeInput = BodyOf<'/api/extranet/nodes', 'post'>;
export type NodeUpdate = BodyOf<'/api/extranet/nodes/{id}', 'put'>;
export type ProbeSettings = BodyOf<'/api/extranet/nodes/{id}/probe', 'put'>;
export type LinkInput = BodyOf<'/api/extranet/links', 'post'>;
export type LinkUpdate = BodyOf<'/api/extranet/links/{id}', 'put'>;
export type NodeKind = ExtranetNode['kind'];
export type LinkKind = ExtranetLink['kind'];
export type AdminState = ExtranetLink['adminState'];

/** In the order the forms offer them (the type checks each list covers what the API takes). */
export const NODE_KINDS = ['upstream', 'core', 'aggregation', 'access'] as const satisfies readonly NodeKind[];
export const LINK_KINDS = ['vertical', 'ring', 'access'] as const satisfies readonly LinkKind[];
export const ADMIN_STATES = ['auto', 'up', 'down'] as const satisfies readonly AdminState[];

export const extranetApi = {
  topology: (signal?: AbortSignal) => call(client.GET('/api/extranet/topology', { signal })),
  coverage: (signal?: AbortSignal) => call(client.GET('/api/extranet/coverage', { signal })),
  bridges: (signal?: AbortSignal) => call(client.GET('/api/extranet/bridges', { signal })),
  failure: (id: string, signal?: AbortSignal) => call(client.GET('/api/extranet/links/{id}/failure', { params: { path: { id } }, signal })),
  probe: () => call(client.POST('/api/extranet/probe', { body: {} })),
  createNode: (body: NodeInput) => call(client.POST('/api/extranet/nodes', { body })),
  updateNode: (id: string, body: NodeUpdate) => call(client.PUT('/api/extranet/nodes/{id}', { params: { path: { id } }, body })),
  setProbe: (id: string, body: ProbeSettings) => call(client.PUT('/api/extranet/nodes/{id}/probe', { params: { path: { id } }, body })),
  deleteNode: (id: string) => call(client.DELETE('/api/extranet/nodes/{id}', { params: { path: { id } } })),
  createLink: (body: LinkInput) => call(client.POST('/api/extranet/links', { body })),
  updateLink: (id: string, body: LinkUpdate) => call(client.PUT('/api/extranet/links/{id}', { params: { path: { id } }, body })),
  deleteLink: (id: string) => call(client.DELETE('/api/extranet/links/{id}', { params: { path: { id } } })),
};
