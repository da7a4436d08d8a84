// HTTP route of the home dashboard.
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
        response: { 200: DashboardSummarySchema, ...errorResponses },
      },
    },
    async (request) => services.dashboard.summary(request.ctx),
  );
}
