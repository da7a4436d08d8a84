// HTTP routes of administrative approval: thin handlers over ApprovalService. Staff routes under /api/approval, the
// citizen portal's under /api/citizen/approval (public item reads need no sign-in).
import { Type } from 'typebox';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid } from '../../shared/errors.ts';
import * as s from './schema.ts';
import type { ApprovalService } from './service.ts';

const IdParams = Type.Object({ id: Uuid });
const tags = ['approval'];
const UploadedSchema = Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer(), mediaType: Type.String() });
const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

/** The version from If-Match ("3" or W/"3") or the body; the two must agree. */
function versionOf(header: string | string[] | undefined, body: number | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return body;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!match) throw invalid('request.invalid', 'If-Match', 'If-Match carries the case version, e.g. "3".');
  const version = Number(match[1]);
  if (body !== undefined && body !== version) throw invalid('request.invalid', 'version', 'The body version and If-Match disagree.');
  return version;
}

export function approvalRoutes(app: App, approval: ApprovalService): void {
  // ---- items
  app.get('/api/approval/items', { schema: { tags, summary: '事项目录: search items with facets (approval.read)', querystring: s.ItemQuery, response: { 200: s.ItemListSchema, ...errorResponses } } }, async (request) =>
    approval.items.list(request.ctx, request.query),
  );
  app.get('/api/approval/items/:id', { schema: { tags, summary: 'One item with its materials and steps', params: IdParams, response: { 200: s.ItemSchema, ...errorResponses } } }, async (request) =>
    approval.items.get(request.ctx, request.params.id),
  );
  app.post('/api/approval/items', { schema: { tags, summary: 'Create an item (approval.items.manage over its department)', body: s.NewItemBody, response: { 201: s.ItemSchema, ...errorResponses } } }, async (request, reply) =>
    reply.code(201).send(await approval.items.create(request.ctx, request.body)),
  );
  app.put('/api/approval/items/:id', { schema: { tags, summary: 'Change an item; its version moves on (running cases keep their limits)', params: IdParams, body: s.UpdateItemBody, response: { 200: s.ItemSchema, ...errorResponses } } }, async (request) =>
    approval.items.update(request.ctx, request.params.id, request.body),
  );
  app.post('/api/approval/items/:id/retire', { schema: { tags, summary: 'Retire an item (停用): no new applications', params: IdParams, body: VersionBody, response: { 200: s.ItemSchema, ...errorResponses } } }, async (request) =>
    approval.items.retire(request.ctx, request.params.id, request.body.version),
  );

  // ---- cases (staff)
  app.get('/api/approval/cases', { schema: { tags, summary: 'The workbench: cases I handle, my department’s, or all I may read', querystring: s.CaseQuery, response: { 200: s.CaseListSchema, ...errorResponses } } }, async (request) =>
    approval.reads.list(request.ctx, request.query),
  );
  app.get('/api/approval/cases/:id', { schema: { tags, summary: 'One case with its timeline, pauses, steps and materials', params: IdParams, response: { 200: s.CaseSchema, ...errorResponses } } }, async (request) =>
    approval.reads.get(request.ctx, request.params.id),
  );
  app.post(
    '/api/approval/cases',
    { schema: { tags, summary: '窗口登记: register an application at the counter (approval.handle); the same requestKey gives the same case (200)', body: s.CounterCaseBody, response: { 200: s.CaseSchema, 201: s.CaseSchema, ...errorResponses } } },
    async (request, reply) => {
      const { id, created } = await approval.cases.registerAtCounter(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(await approval.reads.get(request.ctx, id));
    },
  );
  app.post(
    '/api/approval/cases/:id/:action',
    { schema: { tags, summary: 'A transition (accept, reject, review, pause, resume, request/approve/refuse_extension, decide, conclude, deliver, withdraw)', params: s.ActionParams, body: s.ActionBody, response: { 200: s.CaseSchema, ...errorResponses } } },
    async (request) => act(approval, request.ctx, request.params.id, request.params.action, { ...request.body, version: versionOf(request.headers['if-match'], request.body.version) }),
  );
  materialRoute(app, approval, '/api/approval/cases/:id/materials/:seq');

  // ---- citizen portal
  app.get('/api/citizen/approval/items', { schema: { tags, summary: 'Active items open to online application (no sign-in)', security: [], querystring: s.ItemQuery, response: { 200: s.ItemListSchema, ...errorResponses } } }, async (request) =>
    approval.items.list(null, request.query),
  );
  app.get('/api/citizen/approval/items/:id', { schema: { tags, summary: 'One item open to online application (no sign-in)', security: [], params: IdParams, response: { 200: s.ItemSchema, ...errorResponses } } }, async (request) =>
    approval.items.get(null, request.params.id),
  );
  app.get('/api/citizen/approval/cases', { schema: { tags, summary: 'My applications', response: { 200: s.CaseListSchema, ...errorResponses } } }, async (request) => approval.reads.mine(request.ctx));
  app.get('/api/citizen/approval/cases/:id', { schema: { tags, summary: 'One of my applications', params: IdParams, response: { 200: s.CaseSchema, ...errorResponses } } }, async (request) =>
    approval.reads.get(request.ctx, request.params.id),
  );
  app.post(
    '/api/citizen/approval/cases',
    { schema: { tags, summary: '网上申请 as the signed-in citizen; the same requestKey gives the same case (200)', body: s.OnlineCaseBody, response: { 200: s.CaseSchema, 201: s.CaseSchema, ...errorResponses } } },
    async (request, reply) => {
      const { id, created } = await approval.cases.applyOnline(request.ctx, request.body);
      return reply.code(created ? 201 : 200).send(await approval.reads.get(request.ctx, id));
    },
  );
  app.post(
    '/api/citizen/approval/cases/:id/:action',
    { schema: { tags, summary: 'The applicant’s own actions: resubmit (after 补正) and withdraw', params: Type.Object({ id: Uuid, action: Type.Unsafe<'resubmit' | 'withdraw'>({ type: 'string', enum: ['resubmit', 'withdraw'] }) }), body: s.ActionBody, response: { 200: s.CaseSchema, ...errorResponses } } },
    async (request) => act(approval, request.ctx, request.params.id, request.params.action, request.body),
  );
  materialRoute(app, approval, '/api/citizen/approval/cases/:id/materials/:seq');
}

async function act(approval: ApprovalService, ctx: RequestContext, id: string, action: s.ActionName, body: s.ActionInput) {
  await approval.cases.act(ctx, id, action, body);
  return approval.reads.get(ctx, id);
}

/** The upload's body is the file itself, streamed to the files module (no parser buffers it). */
function materialRoute(app: App, approval: ApprovalService, path: string): void {
  void app.register(async (scoped: App) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    scoped.post(
      path,
      { schema: { tags, summary: 'Upload one file for material `seq` (the body is the file; type and size checked against the item)', params: s.MaterialParams, querystring: s.MaterialQuery, response: { 201: UploadedSchema, ...errorResponses } } },
      async (request, reply) => {
        const length = request.headers['content-length'];
        try {
          const file = await approval.materials.upload(request.ctx, request.params.id, request.params.seq, { name: request.query.name, ...(length === undefined ? {} : { declaredLength: Number(length) }), body: request.raw });
          return await reply.code(201).send(file);
        } catch (error) {
          if (!request.raw.readableEnded) void reply.header('connection', 'close');
          throw error;
        }
      },
    );
  });
}
