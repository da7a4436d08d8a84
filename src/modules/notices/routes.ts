// HTTP routes of notices: templates, preview, create, send, history.
import { Type } from 'typebox';
import { PageQuery, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { CreateBody, NoticeDetailSchema, NoticePageSchema, PreviewBody, PreviewSchema, TemplateBody, TemplateListSchema, TemplateSchema, TemplateUpdateBody } from './schema.ts';
import type { NoticeService } from './service.ts';

const tags = ['notices'];
const IdParams = Type.Object({ id: Uuid });

export function noticeRoutes(app: App, notices: NoticeService): void {
  app.get(
    '/api/notices/templates',
    { schema: { tags, summary: 'Notice templates usable in your jurisdiction, with the variables there are (notices.read)', response: { 200: TemplateListSchema, ...errorResponses } } },
    async (request) => notices.templates(request.ctx),
  );

  app.post(
    '/api/notices/templates',
    { schema: { tags, summary: 'Save a template; an unknown variable is refused naming the allowed ones (notices.send, audited)', body: TemplateBody, response: { 200: TemplateSchema, ...errorResponses } } },
    async (request) => notices.createTemplate(request.ctx, request.body),
  );

  app.put(
    '/api/notices/templates/:id',
    {
      schema: { tags, summary: 'Change a template of your jurisdiction (notices.send, audited)', params: IdParams, body: TemplateUpdateBody, response: { 200: TemplateSchema, ...errorResponses } },
    },
    async (request) => notices.updateTemplate(request.ctx, request.params.id, request.body),
  );

  app.delete(
    '/api/notices/templates/:id',
    { schema: { tags, summary: 'Delete a template of your jurisdiction (notices.send, audited)', params: IdParams, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await notices.deleteTemplate(request.ctx, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/notices/preview',
    {
      schema: {
        tags,
        summary: 'Who a notice would reach inside your jurisdiction: counts, without phone, opted out, the first recipients (masked) with their text',
        body: PreviewBody,
        response: { 200: PreviewSchema, ...errorResponses },
      },
    },
    async (request) => notices.preview(request.ctx, request.body),
  );

  app.post(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Create a draft notice (notices.send, audited); a repeated requestKey returns the same notice',
        body: CreateBody,
        response: { 200: NoticeDetailSchema, ...errorResponses },
      },
    },
    async (request) => notices.create(request.ctx, request.body),
  );

  app.post(
    '/api/notices/:id/send',
    {
      schema: {
        tags,
        summary: 'Send a draft: recipients frozen, SMS and 站内信 queued by a job (idempotent: a second send sends nothing more; audited)',
        params: IdParams,
        response: { 200: NoticeDetailSchema, ...errorResponses },
      },
    },
    async (request) => notices.send(request.ctx, request.params.id),
  );

  app.get(
    '/api/notices',
    {
      schema: {
        tags,
        summary: 'Notices of your jurisdiction, newest first, with counts per status (notices.read)',
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('sending'), Type.Literal('sent')])), ...PageQuery }, { additionalProperties: false }),
        response: { 200: NoticePageSchema, ...errorResponses },
      },
    },
    async (request) => notices.list(request.ctx, request.query),
  );

  app.get(
    '/api/notices/:id',
    {
      schema: { tags, summary: 'One notice: counts per status and the recipients not reached, with reasons (masked)', params: IdParams, response: { 200: NoticeDetailSchema, ...errorResponses } },
    },
    async (request) => notices.detail(request.ctx, request.params.id),
  );
}
