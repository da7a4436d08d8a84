// The grid-work console module (数字社区 › 网格): my grid, visits, incident reports, incident handling — phone first.
import { lazy } from 'react';
import { AlertOutlined, ApartmentOutlined, CarryOutOutlined, TeamOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/gridwork/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const gridwork: ConsoleModule<typeof zh> = {
  name: 'gridwork',
  messages: { zh, en },
  routes: [
    { path: '/gridwork/area', permission: 'gridwork.work', label: 'nav.gridwork.area', group: 'nav.group.community', icon: <TeamOutlined />, component: lazy(() => import('./AreaPage.tsx')) },
    { path: '/gridwork/visits', permission: 'gridwork.work', label: 'nav.gridwork.visits', group: 'nav.group.community', icon: <CarryOutOutlined />, component: lazy(() => import('./VisitsPage.tsx')) },
    { path: '/gridwork/incidents', permission: 'gridwork.work', label: 'nav.gridwork.incidents', group: 'nav.group.community', icon: <AlertOutlined />, component: lazy(() => import('./IncidentsPage.tsx')) },
    { path: '/gridwork/handling', permission: 'gridwork.handle', label: 'nav.gridwork.handling', group: 'nav.group.community', icon: <ApartmentOutlined />, component: lazy(() => import('./HandlingPage.tsx')) },
  ],
};

export default gridwork;
