// The placement page's route entries, for the cloud console module (web/src/modules/cloud/module.tsx adds them to its
// routes and `messages.ts` of this folder to its messages).
import { lazy } from 'react';
import { ClusterOutlined } from '@ant-design/icons';
import type {} from '../../../../../src/modules/cloud/permissions.ts';
import type { RouteDef } from '../../../routes.tsx';
import type { zh } from './messages.ts';

export { en as placementEn, zh as placementZh } from './messages.ts';

export const placementRoutes: readonly RouteDef<keyof typeof zh>[] = [
  {
    path: '/cloud/placement',
    permission: 'cloud.read',
    label: 'nav.cloud.placement',
    group: 'nav.group.cloud',
    icon: <ClusterOutlined />,
    component: lazy(() => import('./PlacementPage.tsx')),
  },
];
