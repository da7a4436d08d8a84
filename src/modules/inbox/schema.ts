// Response schemas of the inbox routes; the console imports their types (type-only), so only typebox here.
import { Type, type Static } from 'typebox';

export const InboxMessageSchema = Type.Object({
  id: Type.String(),
  module: Type.String(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const InboxPageSchema = Type.Object({
  items: Type.Array(InboxMessageSchema),
  total: Type.Integer({ description: 'Messages matching the filter' }),
  unread: Type.Integer(),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export type InboxMessage = Static<typeof InboxMessageSchema>;
export type InboxPage = Static<typeof InboxPageSchema>;
