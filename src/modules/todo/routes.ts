// HTTP routes of 我的待办.
import { Type } from 'typebox';
import { CountedPage, PageQuery, errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import { TodoItemSchema } from './schema.ts';
import type { TodoService } from './service.ts';

export function todoRoutes(app: App, todo: TodoService): void {
  app.get(
    '/api/todo',
    {
      schema: {
        tags: ['todo'],
        summary: 'What waits on you (我的待办) from every module, soonest deadline first',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: CountedPage(TodoItemSchema), ...errorResponses },
      },
    },
    async (request) => todo.list(request.ctx, request.query),
  );

  app.get(
    '/api/todo/count',
    { schema: { tags: ['todo'], summary: 'How many items wait on you (the header badge)', response: { 200: Type.Object({ count: Type.Integer() }), ...errorResponses } } },
    async (request) => ({ count: await todo.count(request.ctx) }),
  );
}
