// The dashboard module's manifest: the home page's region tree with counts.
import { corePermission, defineModule } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import { dashboardRoutes } from './routes.ts';
import { DashboardService } from './service.ts';

export const dashboardModule = defineModule({
  name: 'dashboard',
  permissions: [corePermission('dashboard.read')],
  createService: ({ db }): DashboardService => new DashboardService(db),
  routes: (app, services) => dashboardRoutes(app, services as Services),
});
