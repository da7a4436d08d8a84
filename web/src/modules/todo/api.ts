// Client of /api/todo over the generated client; the shapes are read off docs/openapi.json.
import { call, client } from '../../api/client.ts';
import type { Page, ResponseOf } from '../../api/types.ts';

type TodoRow = ResponseOf<'/api/todo', 'get'>['items'][number];
/** A to-do item with `key`: unique over modules (module, kind and the item's own id). */
export type TodoItem = TodoRow & { key: string };

export const todoApi = {
  async list(cursor: string | null, limit: number, signal?: AbortSignal): Promise<Page<TodoItem>> {
    const page = await call(client.GET('/api/todo', { params: { query: { cursor: cursor ?? undefined, limit } }, signal }));
    return { ...page, items: page.items.map((item) => ({ ...item, key: `${item.module}:${item.kind}:${item.id}` })) };
  },
  count: (signal?: AbortSignal) => call(client.GET('/api/todo/count', { signal })),
};
