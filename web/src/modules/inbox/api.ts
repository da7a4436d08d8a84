// Client of /api/inbox (shapes as in docs/openapi.json).
import { request, type CountedPage } from '../../api.ts';

export interface InboxMessage {
  id: string;
  module: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export const inboxApi = {
  list: (unread: boolean, cursor: string | null, limit: number, signal?: AbortSignal) =>
    request<CountedPage<InboxMessage> & { unread: number }>('GET', '/api/inbox', { query: { unread: unread || undefined, cursor, limit }, signal }),
  unreadCount: (signal?: AbortSignal) => request<{ unread: number }>('GET', '/api/inbox/unread-count', { signal }),
  markRead: (id: string) => request<InboxMessage>('POST', `/api/inbox/${id}/read`),
  markAllRead: () => request<{ marked: number }>('POST', '/api/inbox/read-all'),
};

/** Pages that change a count fire this, so the header badges refresh at once. */
export const BADGES_EVENT = 'govcloud:badges';
export function refreshBadges(): void {
  window.dispatchEvent(new Event(BADGES_EVENT));
}
