// HTTP route of the home dashboard.
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { DashboardSummarySchema, RegionNodeSchema } from './schema.ts';

export function dashboardRoutes(app: App, services: Services): void {
  app.addSchema(RegionNodeSchema);
  app.get(
    '/api/dashboard/summary',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Region tree with department and account counts in your jurisdiction',
        response: { 200: DashboardSummarySchema, 304: Type.Null({ description: 'Unchanged since the If-None-Match entity tag' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { json, etag } = await services.dashboard.rendered(request.ctx);
      void reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      // already JSON text that matches the schema: sent as is, not serialised again
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );
}
