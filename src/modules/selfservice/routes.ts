// HTTP routes of self-service (issue 10 §2): requests, decisions, the policy, VM lifecycle actions and the VM ledger —
// thin handlers over SelfserviceService.
import { Type } from 'typebox';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import * as s from './schema.ts';
import type { SelfserviceService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });
const tags = ['cloud'];
const ActionParams = Type.Object({ id: Uuid, action: Type.Unsafe<s.DirectAction>({ type: 'string', enum: [...s.DIRECT_ACTIONS] }) });

export function selfserviceRoutes(app: App, svc: SelfserviceService): void {
  app.get('/api/cloud/requests', { schema: { tags, summary: 'Requests: mine, waiting on me (approvals), or all I may see', querystring: s.RequestQuery, response: { 200: s.RequestListSchema, ...errorResponses } } }, async (request) =>
    svc.reads.list(request.ctx, request.query),
  );
  app.get('/api/cloud/requests/:id', { schema: { tags, summary: 'One request with its timeline and its VM’s ledger', params: IdParams, response: { 200: s.RequestSchema, ...errorResponses } } }, async (request) =>
    svc.reads.get(request.ctx, request.params.id),
  );
  app.get('/api/cloud/request-options', { schema: { tags, summary: 'The request form’s choices for my department, with its quota and policy (cloud.request)', response: { 200: s.RequestOptionsSchema, ...errorResponses } } }, async (request) =>
    svc.reads.options(request.ctx),
  );
  app.post(
    '/api/cloud/requests',
    { schema: { tags, summary: '申请云主机 (cloud.request): reserves the quota at once; the same requestKey gives the same request (200)', body: s.NewRequestBody, response: { 200: s.RequestSchema, 201: s.RequestSchema, ...errorResponses } } },
    async (request, reply) => {
      const { id, created } = await svc.requests.create(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(await svc.reads.get(request.ctx, id));
    },
  );
  app.post('/api/cloud/requests/:id/department-decision', { schema: { tags, summary: '部门审批 (cloud.approve_department); a rejection needs a note and returns the quota', params: IdParams, body: s.DecisionBody, response: { 200: s.RequestSchema, ...errorResponses } } }, async (request) => {
    await svc.requests.decideDepartment(request.ctx, request.params.id, request.body);
    return svc.reads.get(request.ctx, request.params.id);
  });
  app.post('/api/cloud/requests/:id/platform-decision', { schema: { tags, summary: '平台审批 (cloud.approve_platform); approval places and provisions in the same transaction', params: IdParams, body: s.DecisionBody, response: { 200: s.RequestSchema, ...errorResponses } } }, async (request) => {
    await svc.requests.decidePlatform(request.ctx, request.params.id, request.body);
    return svc.reads.get(request.ctx, request.params.id);
  });
  app.post('/api/cloud/requests/:id/cancel', { schema: { tags, summary: '撤销 by the requester while it waits on a decision; the quota goes back', params: IdParams, response: { 200: s.RequestSchema, ...errorResponses } } }, async (request) => {
    await svc.requests.cancel(request.ctx, request.params.id);
    return svc.reads.get(request.ctx, request.params.id);
  });

  app.get('/api/cloud/approval-policy', { schema: { tags, summary: 'The approval policy of a department, or the default (cloud.approve_platform)', querystring: s.PolicyQuery, response: { 200: s.PolicySchema, ...errorResponses } } }, async (request) =>
    svc.reads.policy(request.ctx, request.query.departmentId),
  );
  app.put('/api/cloud/approval-policy', { schema: { tags, summary: 'Set the default policy or a department’s: auto-approval thresholds, the department step', body: s.PolicyBody, response: { 200: s.PolicySchema, ...errorResponses } } }, async (request) =>
    svc.reads.setPolicy(request.ctx, request.body),
  );

  app.get('/api/cloud/vms/:id/events', { schema: { tags, summary: 'A VM’s lifecycle ledger (its operators, readers and requesters)', params: IdParams, response: { 200: s.VmEventListSchema, ...errorResponses } } }, async (request) =>
    svc.reads.vmEvents(request.ctx, request.params.id),
  );
  app.post(
    '/api/cloud/vms/:id/actions/resize',
    { schema: { tags, summary: 'Request a new flavour for a VM (cloud.request); reserves only the growth', params: IdParams, body: s.ResizeBody, response: { 200: s.RequestSchema, 201: s.RequestSchema, ...errorResponses } } },
    async (request, reply) => {
      const { id, created } = await svc.requests.resize(request.ctx, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(await svc.reads.get(request.ctx, id));
    },
  );
  app.post(
    '/api/cloud/vms/:id/actions/decommission',
    { schema: { tags, summary: 'Request a VM’s decommissioning (cloud.request)', params: IdParams, body: s.DecommissionBody, response: { 200: s.RequestSchema, 201: s.RequestSchema, ...errorResponses } } },
    async (request, reply) => {
      const { id, created } = await svc.requests.decommission(request.ctx, request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(await svc.reads.get(request.ctx, id));
    },
  );
  app.post('/api/cloud/vms/:id/actions/:action', { schema: { tags, summary: 'Start, stop, suspend, resume or snapshot a VM (cloud.operate); 409 when the VM’s state does not allow it', params: ActionParams, body: s.ActionBody, response: { 202: s.VmActionResultSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(202).send(await svc.lifecycle.act(request.ctx, request.params.id, request.params.action, request.body)),
  );
}
