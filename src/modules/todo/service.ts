// 我的待办 — the unified to-do list: every module's provider merged into one list, soonest deadline first.
import type { TodoItem, TodoProvider } from '../../platform/module.ts';
import { requireActor } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { invalid } from '../../shared/errors.ts';
import { decodeKeyset, encodeKeyset } from '../../shared/keyset.ts';
import type { CountedPage } from '../../shared/pagination.ts';

/** How deep a client may page: the list is merged in memory from each provider's first rows. */
export const MAX_TODO_OFFSET = 1000;

/** Soonest deadline first (none last), then oldest; a total order so pages do not overlap. */
function compare(a: TodoItem, b: TodoItem): number {
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return a.deadline < b.deadline ? -1 : 1;
  }
  const ka = `${a.createdAt}\u0000${a.module}\u0000${a.kind}\u0000${a.id}`;
  const kb = `${b.createdAt}\u0000${b.module}\u0000${b.kind}\u0000${b.id}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export class TodoService {
  /** The providers, resolved on first use (every module's service exists by then). */
  constructor(private readonly providers: () => Promise<readonly TodoProvider[]>) {}

  async list(ctx: RequestContext, query: { cursor?: string; limit?: number }): Promise<CountedPage<TodoItem>> {
    requireActor(ctx.actor);
    const limit = query.limit ?? 20;
    const offset = query.cursor === undefined ? 0 : decodeKeyset(query.cursor, ['integer'])[0];
    if (offset < 0 || offset > MAX_TODO_OFFSET) throw invalid('request.invalid_cursor', 'cursor', 'The cursor is not one this API issued.');
    const want = offset + limit + 1;
    const [lists, total] = await Promise.all([Promise.all((await this.providers()).map((p) => p.list(ctx, { limit: want }))), this.count(ctx)]);
    const merged = lists.flat().sort(compare);
    const page = merged.slice(offset, offset + limit);
    const more = merged.length > offset + limit && offset + limit <= MAX_TODO_OFFSET;
    return { items: page, total, nextCursor: more ? encodeKeyset([offset + limit]) : null };
  }

  async count(ctx: RequestContext): Promise<number> {
    requireActor(ctx.actor);
    const counts = await Promise.all((await this.providers()).map((p) => p.count(ctx)));
    return counts.reduce((a, b) => a + b, 0);
  }
}
