// Client of /api/todo; the shapes are the server's schemas (type-only import).
import { request, type CountedPage } from '../../api.ts';
import type { TodoItemView as TodoItem } from '../../../../src/modules/todo/schema.ts';

export type { TodoItem };

export const todoApi = {
  list: (cursor: string | null, limit: number, signal?: AbortSignal) => request<CountedPage<TodoItem>>('GET', '/api/todo', { query: { cursor, limit }, signal }),
  count: (signal?: AbortSignal) => request<{ count: number }>('GET', '/api/todo/count', { signal }),
};
