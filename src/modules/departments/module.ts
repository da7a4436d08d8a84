// The departments module's manifest: departments (tenants) bound to regions, with their credit codes.
import { corePermission, defineModule, serviceOf } from '../../platform/module.ts';
import type { Services } from '../../services.ts';
import type { AuditService } from '../audit/index.ts';
import { departmentRoutes } from './routes.ts';
import { DepartmentService } from './service.ts';
import './tables.ts';

export const departmentsModule = defineModule({
  name: 'departments',
  permissions: [corePermission('departments.read'), corePermission('departments.manage')],
  createService: (deps): DepartmentService => new DepartmentService(deps.db, serviceOf<AuditService>(deps, 'audit')),
  routes: (app, services) => departmentRoutes(app, services as Services),
});
