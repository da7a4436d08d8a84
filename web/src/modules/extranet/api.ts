// Calls of the extranet console over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type Topology = ResponseOf<'/api/extranet/topology', 'get'>;
export type ExtranetNode = Topology['nodes'][number];
export type ExtranetLink = Topology['links'][number];
export type Coverage = ResponseOf<'/api/extranet/coverage', 'get'>;
export type Bridges = ResponseOf<'/api/extranet/bridges', 'get'>;
export type Failure = ResponseOf<'/api/extranet/links/{id}/failure', 'get'>;

export const extranetApi = {
  topology: (signal?: AbortSignal) => call(client.GET('/api/extranet/topology', { signal })),
  coverage: (signal?: AbortSignal) => call(client.GET('/api/extranet/coverage', { signal })),
  bridges: (signal?: AbortSignal) => call(client.GET('/api/extranet/bridges', { signal })),
  failure: (id: string, signal?: AbortSignal) => call(client.GET('/api/extranet/links/{id}/failure', { params: { path: { id } }, signal })),
  probe: () => call(client.POST('/api/extranet/probe', { body: {} })),
};
