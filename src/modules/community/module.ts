// Manifest of the community registry (数字社区): grids, buildings, households, residents, residence history, labels.
import { defineModule } from '../../platform/module.ts';
import * as registry from './migrations/20261127T1600_community_registry.ts';
import './tables.ts';
import './permissions.ts';

const READERS = ['platform_admin', 'department_admin', 'department_staff', 'community_worker', 'leader', 'supervisor'] as const;

export const communityModule = defineModule({
  name: 'community',
  permissions: [
    { name: 'community.read', roles: READERS },
    { name: 'community.manage', roles: ['platform_admin', 'department_admin', 'community_worker'] },
  ],
  migrations: { '20261127T1600_community_registry': registry },
});
