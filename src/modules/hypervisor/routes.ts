// HTTP routes of the hypervisor module (issue 10 §4): a host's connection check and reconciliation on demand.
import { Type } from 'typebox';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import * as s from './schema.ts';
import type { HypervisorService } from './service.ts';

const tags = ['cloud'];

export function hypervisorRoutes(app: App, hypervisor: HypervisorService): void {
  app.post(
    '/api/cloud/hosts/:id/hypervisor/check',
    { schema: { tags, summary: '连接检查: connect to the host’s libvirt, return its version and domain count or the error (cloud.manage)', params: Type.Object({ id: Uuid }), response: { 200: s.HostCheckSchema, ...errorResponses } } },
    async (request) => hypervisor.check(request.ctx, request.params.id),
  );
  app.post(
    '/api/cloud/reconcile',
    { schema: { tags, summary: '状态核对: compare every connected host’s libvirt with the database now and return what changed (cloud.manage)', response: { 200: s.ReconcileSchema, ...errorResponses } } },
    async (request) => ({ hosts: await hypervisor.reconcile(request.ctx) }),
  );
}
