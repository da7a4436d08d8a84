// Manifest of the government extranet (电子政务外网, issue 10 §6): topology, coverage, single-link-failure analysis,
// reachability probes (a schedule every minute; each node's probe off until enabled) and the demo's topology.
import { defineModule, serviceOf } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import { seedExtranetDemo } from './demo.ts';
import * as topology from './migrations/20261129T0940_extranet_topology.ts';
import { extranetRoutes } from './routes.ts';
import { ExtranetService } from './service.ts';
import './tables.ts';
import './permissions.ts';

export const extranetModule = defineModule({
  name: 'extranet',
  permissions: [
    { name: 'extranet.read', roles: ['platform_admin', 'leader', 'auditor'], tenantRoles: ['department_admin'] },
    { name: 'extranet.manage', roles: ['platform_admin'] },
  ],
  migrations: { '20261129T0940_extranet_topology': topology },
  createService: ({ db, clock, services }) => new ExtranetService({ db, clock, audit: serviceOf<AuditService>({ services }, 'audit') }),
  routes: (app, services) => extranetRoutes(app, services.extranet as ExtranetService),
  schedules: ({ service }) => [{ name: 'extranet.probe', cron: '* * * * *', run: async () => void (await service.probeAll()) }],
  demo: ({ db, service, config }, options) => seedExtranetDemo(db, service, options, config.port),
});
