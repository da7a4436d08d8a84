// Every row of a cursor-paged list, for tests that must find their own rows among whatever other tests and the
// module demos have written to the shared database (a first page, even of 500, proves nothing either way).
import type { Client } from './app.ts';

/** Follows `nextCursor` from `url` (which may carry its own filters and `limit`) and returns all items. */
export async function allPages<T = Record<string, unknown>>(client: Client, url: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res = await client.get(cursor ? `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : url);
    if (res.statusCode !== 200) throw new Error(`GET ${url} → ${res.statusCode}: ${res.body}`);
    const body = res.json() as { items: T[]; nextCursor?: string | null };
    items.push(...body.items);
    cursor = body.nextCursor ?? null;
    if (!cursor) return items;
  }
  throw new Error(`GET ${url}: more than 1000 pages`);
}
