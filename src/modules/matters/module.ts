// Manifest of the other supervised matters (行政处罚, 执法案件, 公共资源交易, 阳光村务, 重点项目): permissions, tables,
// the service (services.matters), routes, the daily sweep of their rules, and the demo.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import type { CalendarService } from '../calendar/index.ts';
import { seedMattersDemo } from './demo.ts';
import * as tables from './migrations/20261128T0940_matters_tables.ts';
import * as referenceIndexes from './migrations/20261202T0315_matters_reference_indexes.ts';
import './permissions.ts';
import { mattersRoutes } from './routes.ts';
import { MattersService } from './service.ts';
import './tables.ts';

export const mattersModule = defineModule({
  name: 'matters',
  permissions: [
    { name: 'matters.read', roles: ['supervisor', 'leader', 'auditor'] },
    { name: 'matters.manage', roles: [], tenantRoles: ['department_admin', 'department_staff'] },
  ],
  migrations: { '20261128T0940_matters_tables': tables, '20261202T0315_matters_reference_indexes': referenceIndexes },
  createService: (deps) => new MattersService(deps.db, serviceOf<AuditService>(deps, 'audit'), deps.clock, serviceOf<CalendarService>(deps, 'calendar')),
  routes: (app, services) => mattersRoutes(app, services.matters as MattersService),
  // after the approval sweep's hour: a day's warnings are there for the morning
  schedules: ({ service }) => [{ name: 'matters.sweep', cron: '20 1 * * *', run: async () => void (await service.sweep()) }],
  demo: ({ db, service }, options) => seedMattersDemo(db, service, options),
});
