// The access module: share grants (access v2's third path) and the migration of the three-role separation.
import { corePermission, defineModule } from '../../platform/module.ts';
import type { AuditService } from '../audit/index.ts';
import * as shareGrant from './migrations/20261127T1000_access_share_grant.ts';
import * as threeRoles from './migrations/20261127T1001_access_three_roles.ts';
import * as dataResources from './migrations/20261127T1359_access_data_resources.ts';
import * as referenceIndexes from './migrations/20261202T0303_access_reference_indexes.ts';
import { accessRoutes } from './routes.ts';
import { AccessService } from './service.ts';

export const accessModule = defineModule({
  name: 'access',
  permissions: [corePermission('shares.manage')],
  migrations: {
    '20261127T1000_access_share_grant': shareGrant,
    '20261127T1001_access_three_roles': threeRoles,
    '20261127T1359_access_data_resources': dataResources,
    '20261202T0303_access_reference_indexes': referenceIndexes,
  },
  createService: ({ db, services, clock }) => new AccessService(db, services.audit as AuditService, clock),
  routes: (app, services) => accessRoutes(app, services.access as AccessService),
});
