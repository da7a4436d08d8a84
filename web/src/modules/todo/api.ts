// Client of /api/todo (shapes as in docs/openapi.json).
import { request, type CountedPage } from '../../api.ts';

export interface TodoItem {
  module: string;
  kind: string;
  id: string;
  title: string;
  deadline: string | null;
  link: string;
  createdAt: string;
}

export const todoApi = {
  list: (cursor: string | null, limit: number, signal?: AbortSignal) => request<CountedPage<TodoItem>>('GET', '/api/todo', { query: { cursor, limit }, signal }),
  count: (signal?: AbortSignal) => request<{ count: number }>('GET', '/api/todo/count', { signal }),
};
