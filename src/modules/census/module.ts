// Manifest of community statistics (统计分析): the per-community cube kept by triggers, its fold and rebuild, the API.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import * as cube from './migrations/20261127T1630_census_cube.ts';
import * as birthYear from './migrations/20261128T0982_census_birth_year.ts';
import { censusRoutes } from './routes.ts';
import { CensusService } from './service.ts';
import './tables.ts';
import './permissions.ts';

/** How often the residents noted by the triggers are folded into the cube: the numbers' freshness. */
const FOLD_MS = 1000;

export const censusModule = defineModule({
  name: 'census',
  permissions: [{ name: 'census.read', roles: ['platform_admin', 'department_admin', 'department_staff', 'community_worker', 'leader', 'supervisor'] }],
  migrations: { '20261127T1630_census_cube': cube, '20261128T0982_census_birth_year': birthYear },
  createService: ({ db, clock, services }) => new CensusService(db, services.audit as AuditService, clock),
  routes: (app, services) => censusRoutes(app, services.census as CensusService),
  start: ({ service }) => {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(() => service.fold()).catch(() => undefined);
    }, FOLD_MS);
    timer.unref();
    return {
      async stop() {
        clearInterval(timer);
        await running;
      },
    };
  },
  // a safety net, not the way numbers stay fresh: recompute from the registry on Sunday night
  schedules: ({ service }) => [{ name: 'census.rebuild', cron: '30 3 * * 0', run: async () => void (await service.rebuild()) }],
  demo: async ({ service }) => {
    await service.ensureBuilt();
  },
});
