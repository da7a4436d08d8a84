// Mounts every module's routes.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { accountRoutes } from '../modules/accounts/index.ts';
import { departmentRoutes } from '../modules/departments/index.ts';
import { regionRoutes } from '../modules/regions/index.ts';
import { auditRoutes } from '../modules/audit/index.ts';
import { dashboardRoutes } from '../modules/dashboard/index.ts';
import type { Services } from '../services.ts';
import { modules } from '../modules/registry.ts';
import { healthRoutes } from './health.ts';
import type { App } from './types.ts';

export function registerRoutes(app: App, services: Services, deps: { db: Kysely<Database>; isReady: () => boolean; cookieSecure: boolean; sessionMaxHours: number }): void {
  healthRoutes(app, deps);
  accountRoutes(app, services, deps);
  departmentRoutes(app, services);
  auditRoutes(app, services);
  regionRoutes(app, services);
  dashboardRoutes(app, services);
  for (const m of modules) m.routes?.(app, services as unknown as Record<string, unknown>, deps);
}
