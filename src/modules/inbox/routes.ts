// HTTP routes of the inbox (站内信): the caller's own messages only.
import { Type } from 'typebox';
import { PageQuery, Uuid, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { InboxMessageSchema as Message, InboxPageSchema } from './schema.ts';
import type { InboxService } from './service.ts';

export function inboxRoutes(app: App, inbox: InboxService): void {
  app.get(
    '/api/inbox',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Your in-app messages (站内信), newest first',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean({ description: 'Only unread messages' })), ...PageQuery }, { additionalProperties: false }),
        response: { 200: InboxPageSchema, ...errorResponses },
      },
    },
    async (request) => inbox.list(request.ctx, request.query),
  );

  app.get(
    '/api/inbox/unread-count',
    { schema: { tags: ['inbox'], summary: 'How many of your messages are unread (the header badge)', response: { 200: Type.Object({ unread: Type.Integer() }), ...errorResponses } } },
    async (request) => ({ unread: await inbox.unreadCount(request.ctx) }),
  );

  app.post(
    '/api/inbox/:id/read',
    { schema: { tags: ['inbox'], summary: 'Mark one of your messages read', params: Type.Object({ id: Uuid }), response: { 200: Message, ...errorResponses } } },
    async (request) => inbox.markRead(request.ctx, request.params.id),
  );

  app.post(
    '/api/inbox/read-all',
    { schema: { tags: ['inbox'], summary: 'Mark all your messages read', response: { 200: Type.Object({ marked: Type.Integer() }), ...errorResponses } } },
    async (request) => ({ marked: await inbox.markAllRead(request.ctx) }),
  );
}
