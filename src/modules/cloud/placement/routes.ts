// HTTP routes of placement (issue 10 §3): the placement view, the policy, the host-failure simulation. Thin handlers
// over PlacementService.
import { errorResponses } from '../../../http/schemas.ts';
import type { App } from '../../../http/types.ts';
import type { CloudService } from '../service.ts';
import * as s from './schema.ts';
import { PlacementService } from './service.ts';

const tags = ['cloud'];

export function placementRoutes(app: App, cloud: CloudService): void {
  const placement = new PlacementService(cloud.deps);
  app.get('/api/cloud/placement', { schema: { tags, summary: '资源调度: hosts in your scope with their VMs and capacity, and whether the pool holds its N+k reserve (cloud.read)', response: { 200: s.ViewSchema, ...errorResponses } } }, async (request) =>
    placement.view(request.ctx),
  );
  app.get('/api/cloud/placement/policy', { schema: { tags, summary: 'The placement policy of the pool: weigher and N+k reserve (cloud.read)', response: { 200: s.PolicySchema, ...errorResponses } } }, async (request) =>
    placement.policy(request.ctx),
  );
  app.put('/api/cloud/placement/policy', { schema: { tags, summary: 'Change the placement policy (cloud.manage over every room holding hosts; audited)', body: s.PolicyBody, response: { 200: s.PolicySchema, ...errorResponses } } }, async (request) =>
    placement.setPolicy(request.ctx, request.body),
  );
  app.post('/api/cloud/placement/simulate', { schema: { tags, summary: 'Host-failure simulation: where each VM of the failed hosts would restart, and which would not fit (cloud.read)', body: s.SimulateBody, response: { 200: s.SimulationSchema, ...errorResponses } } }, async (request) =>
    placement.simulate(request.ctx, request.body.hostIds),
  );
}
