// Manifest of the residents module: the resident 360 view (人员综合视图) over the data grants, for staff and other modules.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import { residentRoutes } from './routes.ts';
import { ResidentService } from './service.ts';
import './permissions.ts';

export const residentsModule = defineModule({
  name: 'residents',
  permissions: [{ name: 'residents.read', roles: ['department_admin', 'department_staff', 'community_worker', 'leader'] }],
  createService: ({ db, clock, services }) => new ResidentService(db, services.audit as AuditService, clock),
  routes: (app, services) => residentRoutes(app, services.residents as ResidentService),
});
