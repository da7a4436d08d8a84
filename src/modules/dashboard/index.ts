// Public face of the dashboard module.
export { DashboardService, type DashboardSummary, type RegionNode } from './service.ts';
export { dashboardRoutes } from './routes.ts';
