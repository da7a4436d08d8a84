// Manifest of metering and chargeback (issue 10 §5): hourly usage per VM, monthly roll-ups, tariffs, reports.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import { seedMeteringDemo } from './demo.ts';
import * as usage from './migrations/20261129T0930_metering_usage.ts';
import * as diskUsedMb from './migrations/20261201T0110_metering_disk_used_mb.ts';
import * as referenceIndexes from './migrations/20261202T0319_metering_reference_indexes.ts';
import { meteringRoutes } from './routes.ts';
import { MeteringService, usageProbeOf } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const meteringModule = defineModule({
  name: 'metering',
  permissions: [
    { name: 'metering.read', roles: ['platform_admin', 'leader', 'auditor'], tenantRoles: ['department_admin'] },
    { name: 'metering.tariffs.manage', roles: ['platform_admin'] },
  ],
  migrations: { '20261129T0930_metering_usage': usage, '20261201T0110_metering_disk_used_mb': diskUsedMb, '20261202T0319_metering_reference_indexes': referenceIndexes },
  // the hypervisor module (listed before this one when present) offers statsOf; without it "used" stays unknown
  createService: ({ db, clock, services }) => new MeteringService({ db, clock, audit: serviceOf<AuditService>({ services }, 'audit'), probe: usageProbeOf(services.hypervisor) }),
  routes: (app, services) => meteringRoutes(app, services.metering as MeteringService),
  schedules: ({ service }) => [{ name: 'metering.hourly', cron: '2 * * * *', run: async () => void (await service.runHourly()) }],
  demo: async ({ db, clock }) => void (await seedMeteringDemo(db, clock)),
});
