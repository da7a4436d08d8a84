// HTTP routes of the SMS module: history, one message, a test send, templates, the opt-out register, the demo inbox.
import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { SmsService } from './service.ts';
import { HistoryQuery, HistorySchema, InboxSchema, Mobile, OptOutBody, OptOutSchema, QueuedSchema, SendBody, SmsMessageDetailSchema, TemplateBody, TemplateCode, TemplateSchema } from './schema.ts';

const tags = ['sms'];

export function smsRoutes(app: App, sms: SmsService): void {
  const manage = sms.manage;
  app.get(
    '/api/sms/messages',
    { schema: { tags, summary: 'Sending history, newest first, with counts per status (sms.read)', querystring: HistoryQuery, response: { 200: HistorySchema, ...errorResponses } } },
    async (request) => manage.history(request.ctx, request.query),
  );
  app.get(
    '/api/sms/messages/:id',
    { schema: { tags, summary: 'One message with its segments (sms.read)', params: Type.Object({ id: Uuid }), response: { 200: SmsMessageDetailSchema, ...errorResponses } } },
    async (request) => manage.message(request.ctx, request.params.id),
  );
  app.post(
    '/api/sms/messages',
    { schema: { tags, summary: 'Queue a message (sms.send); quiet hours and the opt-out register apply', body: SendBody, response: { 202: QueuedSchema, ...errorResponses } } },
    async (request, reply) => reply.code(202).send(await manage.sendOne(request.ctx, request.body)),
  );
  app.get(
    '/api/sms/templates',
    { schema: { tags, summary: 'SMS templates (sms.read)', response: { 200: Type.Array(TemplateSchema), ...errorResponses } } },
    async (request) => manage.templates(request.ctx),
  );
  app.put(
    '/api/sms/templates/:code',
    {
      schema: {
        tags,
        summary: 'Create or replace a template; its {placeholders} must be exactly the declared variables (sms.manage)',
        params: Type.Object({ code: TemplateCode }),
        body: TemplateBody,
        response: { 200: TemplateSchema, ...errorResponses },
      },
    },
    async (request) => manage.saveTemplate(request.ctx, request.params.code, request.body),
  );
  app.delete(
    '/api/sms/templates/:code',
    { schema: { tags, summary: 'Delete a template (sms.manage)', params: Type.Object({ code: TemplateCode }), response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await manage.deleteTemplate(request.ctx, request.params.code);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/sms/opt-outs',
    { schema: { tags, summary: 'Numbers that unsubscribed (退订), newest first (sms.read)', response: { 200: Type.Array(OptOutSchema), ...errorResponses } } },
    async (request) => manage.optOuts(request.ctx),
  );
  app.post(
    '/api/sms/opt-outs',
    { schema: { tags, summary: 'Put a number on the opt-out register (sms.manage)', body: OptOutBody, response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await manage.optOut(request.ctx, request.body);
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/api/sms/opt-outs/:number',
    { schema: { tags, summary: 'Take a number off the opt-out register (sms.manage)', params: Type.Object({ number: Mobile }), response: { 204: Type.Null(), ...errorResponses } } },
    async (request, reply) => {
      await manage.optIn(request.ctx, request.params.number);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/sms/local-inbox',
    { schema: { tags, summary: 'What each number received at the in-process SMS centre (demo only; 404 with a carrier) (sms.read)', response: { 200: InboxSchema, ...errorResponses } } },
    async (request) => (await sms.localInbox(request.ctx)).map((i) => ({ ...i, messages: i.messages.map((m) => ({ ...m, at: m.at.toISOString() })) })),
  );
}
