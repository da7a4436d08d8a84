// The self-service pages' calls over the generated client; the shapes are read off docs/openapi.json.
import { call, cleanQuery, client } from '../../api/client.ts';
import type { BodyOf, QueryOf, ResponseOf } from '../../api/types.ts';

export type RequestView = ResponseOf<'/api/cloud/requests/{id}', 'get'>;
export type RequestSummary = ResponseOf<'/api/cloud/requests', 'get'>['items'][number];
export type RequestQuery = QueryOf<'/api/cloud/requests'>;
export type RequestOptions = ResponseOf<'/api/cloud/request-options', 'get'>;
export type NewRequest = BodyOf<'/api/cloud/requests', 'post'>;
export type Decision = BodyOf<'/api/cloud/requests/{id}/department-decision', 'post'>;
export type VmAbility = NonNullable<RequestView['vm']>['abilities'][number];
export type DirectAction = Exclude<VmAbility, 'resize' | 'decommission'>;

export const selfserviceApi = {
  list: (query: RequestQuery, signal?: AbortSignal) => call(client.GET('/api/cloud/requests', { params: { query: cleanQuery(query) }, signal })),
  get: (id: string, signal?: AbortSignal) => call(client.GET('/api/cloud/requests/{id}', { params: { path: { id } }, signal })),
  options: (signal?: AbortSignal) => call(client.GET('/api/cloud/request-options', { signal })),
  create: (body: NewRequest) => call(client.POST('/api/cloud/requests', { body })),
  department: (id: string, body: Decision) => call(client.POST('/api/cloud/requests/{id}/department-decision', { params: { path: { id } }, body })),
  platform: (id: string, body: Decision) => call(client.POST('/api/cloud/requests/{id}/platform-decision', { params: { path: { id } }, body })),
  cancel: (id: string) => call(client.POST('/api/cloud/requests/{id}/cancel', { params: { path: { id } } })),
  act: (vmId: string, action: DirectAction) => call(client.POST('/api/cloud/vms/{id}/actions/{action}', { params: { path: { id: vmId, action } }, body: {} })),
  /** A new flavour, a larger disk, or both (a disk never shrinks: the server refuses a smaller size on diskGb). */
  resize: (vmId: string, change: { flavourCode?: string; diskGb?: number }, reason: string) =>
    call(client.POST('/api/cloud/vms/{id}/actions/resize', { params: { path: { id: vmId } }, body: { ...change, reason, requestKey: crypto.randomUUID() } })),
  decommission: (vmId: string, reason: string) => call(client.POST('/api/cloud/vms/{id}/actions/decommission', { params: { path: { id: vmId } }, body: { reason, requestKey: crypto.randomUUID() } })),
};
