// Manifest of the resource catalogue: resources, info items, metadata versions, search, export, the demand list.
import { defineModule } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import { catalogueDemo } from './demo.ts';
import * as resources from './migrations/20261127T1400_catalogue_resources.ts';
import * as referenceIndexes from './migrations/20261202T0305_catalogue_reference_indexes.ts';
import { catalogueRoutes } from './routes.ts';
import { CatalogueService } from './service.ts';
import './tables.ts';
import './permissions.ts';

const STAFF = ['platform_admin', 'security_admin', 'audit_admin', 'department_admin', 'department_staff', 'community_worker', 'supervisor', 'auditor', 'leader'] as const;

export const catalogueModule = defineModule({
  name: 'catalogue',
  permissions: [
    { name: 'catalogue.read', roles: STAFF },
    { name: 'catalogue.manage', roles: ['platform_admin', 'department_admin'] },
  ],
  migrations: { '20261127T1400_catalogue_resources': resources, '20261202T0305_catalogue_reference_indexes': referenceIndexes },
  createService: ({ db, services, clock }) => new CatalogueService(db, services.audit as AuditService, clock),
  routes: (app, services) => catalogueRoutes(app, services.catalogue as CatalogueService),
  demo: (deps, options) => catalogueDemo(deps.db, deps.service, options),
});
