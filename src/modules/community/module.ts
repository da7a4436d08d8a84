// Manifest of the community registry (数字社区): grids, buildings, households, residents, residence history, labels.
import type { AuditService } from '../audit/index.ts';
import { defineModule } from '../../platform/module.ts';
import { seedCommunityDemo } from './demo.ts';
import * as registry from './migrations/20261127T1600_community_registry.ts';
import * as nameIndexes from './migrations/20261127T1601_community_name_indexes.ts';
import * as imports from './migrations/20261128T0970_community_imports.ts';
import * as householdImports from './migrations/20261130T0122_community_household_imports.ts';
import * as referenceIndexes from './migrations/20261202T0309_community_reference_indexes.ts';
import { PULL_TOPIC, type OutboxPort } from './imports.ts';
import { importRoutes } from './import-routes.ts';
import { buildingRoutes } from './building-routes.ts';
import { communityRoutes } from './routes.ts';
import { CommunityService } from './service.ts';
import './tables.ts';
import './import-tables.ts';
import './permissions.ts';

const READERS = ['platform_admin', 'department_admin', 'department_staff', 'community_worker', 'leader', 'supervisor'] as const;

export const communityModule = defineModule({
  name: 'community',
  permissions: [
    { name: 'community.read', roles: READERS },
    { name: 'community.manage', roles: ['platform_admin', 'department_admin', 'community_worker'] },
    // those who register and visit residents face to face see full numbers; leaders, supervisors and staff do not
    { name: 'community.read_sensitive', roles: ['platform_admin', 'department_admin', 'community_worker'] },
  ],
  createService: ({ db, clock, services }) => new CommunityService(db, services.audit as AuditService, clock, services.outbox as OutboxPort | undefined),
  routes: (app, services) => {
    communityRoutes(app, services.community as CommunityService);
    importRoutes(app, (services.community as CommunityService).imports);
    buildingRoutes(app, (services.community as CommunityService).buildingDetail);
  },
  outboxHandlers: ({ service }) => ({
    [PULL_TOPIC]: async (message) => service.imports.runPull((message.payload as { id: string }).id),
  }),
  demo: (deps, options) => seedCommunityDemo(deps.db, options),
  migrations: { '20261127T1600_community_registry': registry, '20261127T1601_community_name_indexes': nameIndexes, '20261128T0970_community_imports': imports, '20261130T0122_community_household_imports': householdImports, '20261202T0309_community_reference_indexes': referenceIndexes },
});
