// Client of /api/inbox; the shapes are the server's schemas (type-only import).
import { request } from '../../api.ts';
import type { InboxMessage, InboxPage } from '../../../../src/modules/inbox/schema.ts';

export type { InboxMessage };

export const inboxApi = {
  list: (unread: boolean, cursor: string | null, limit: number, signal?: AbortSignal) =>
    request<InboxPage>('GET', '/api/inbox', { query: { unread: unread || undefined, cursor, limit }, signal }),
  unreadCount: (signal?: AbortSignal) => request<{ unread: number }>('GET', '/api/inbox/unread-count', { signal }),
  markRead: (id: string) => request<InboxMessage>('POST', `/api/inbox/${id}/read`),
  markAllRead: () => request<{ marked: number }>('POST', '/api/inbox/read-all'),
};

/** Pages that change a count fire this, so the header badges refresh at once. */
export const BADGES_EVENT = 'govcloud:badges';
export function refreshBadges(): void {
  window.dispatchEvent(new Event(BADGES_EVENT));
}
