// Mounts the probes, then every module's routes in registry order.
import type { Services } from '../services.ts';
import { modules, type ModuleList } from '../modules/registry.ts';
import type { RouteDeps } from '../platform/module.ts';
import { healthRoutes } from './health.ts';
import type { App } from './types.ts';

export function registerRoutes(app: App, services: Services, deps: RouteDeps, list: ModuleList = modules): void {
  healthRoutes(app, deps);
  for (const m of list) m.routes?.(app, services as unknown as Record<string, unknown>, deps);
}
