// The dashboard module's manifest: the home page's region tree with counts.
import { corePermission, defineModule } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import { dashboardRoutes } from './routes.ts';
import { DashboardService } from './service.ts';
import * as regionTally from './migrations/20261127T0810_dashboard_region_tally.ts';

export const dashboardModule = defineModule({
  name: 'dashboard',
  permissions: [corePermission('dashboard.read')],
  migrations: { '20261127T0810_dashboard_region_tally': regionTally },
  createService: ({ db, clock }): DashboardService => new DashboardService(db, clock),
  routes: (app, services) => dashboardRoutes(app, services as Services),
});
