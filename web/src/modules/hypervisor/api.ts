// The hypervisor page's calls over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type Reconciliation = ResponseOf<'/api/cloud/reconcile', 'post'>;
export type HostReport = Reconciliation['hosts'][number];
export type HostCheck = ResponseOf<'/api/cloud/hosts/{id}/hypervisor/check', 'post'>;

export const hypervisorApi = {
  reconcile: () => call(client.POST('/api/cloud/reconcile')),
  check: (id: string) => call(client.POST('/api/cloud/hosts/{id}/hypervisor/check', { params: { path: { id } } })),
};
