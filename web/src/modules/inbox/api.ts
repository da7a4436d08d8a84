// Client of /api/inbox over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { ResponseOf } from '../../api/types.ts';

export type InboxMessage = ResponseOf<'/api/inbox', 'get'>['items'][number];

export const inboxApi = {
  list: (unread: boolean, cursor: string | null, limit: number, signal?: AbortSignal) =>
    call(client.GET('/api/inbox', { params: { query: { unread: unread || undefined, cursor: cursor ?? undefined, limit } }, signal })),
  unreadCount: (signal?: AbortSignal) => call(client.GET('/api/inbox/unread-count', { signal })),
  markRead: (id: string) => call(client.POST('/api/inbox/{id}/read', { params: { path: { id } } })),
  markAllRead: () => call(client.POST('/api/inbox/read-all')),
};

/** Pages that change a count fire this, so the header badges refresh at once. */
export const BADGES_EVENT = 'govcloud:badges';
export function refreshBadges(): void {
  window.dispatchEvent(new Event(BADGES_EVENT));
}
