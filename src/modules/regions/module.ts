// The regions module's manifest: the administrative division tree (GB/T 2260) and its effective-dated changes.
import { corePermission, defineModule, serviceOf } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import type { AuditService } from '../audit/index.ts';
import { regionRoutes } from './routes.ts';
import { RegionService } from './service.ts';
import './tables.ts';

export const regionsModule = defineModule({
  name: 'regions',
  permissions: [corePermission('regions.read'), corePermission('regions.manage')],
  createService: (deps): RegionService => new RegionService(deps.db, serviceOf<AuditService>(deps, 'audit')),
  routes: (app, services) => regionRoutes(app, services as Services),
});
