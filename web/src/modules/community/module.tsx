// The community registry console module (数字社区): residents, households, buildings, grids, imports.
import { lazy } from 'react';
import { ApartmentOutlined, BankOutlined, HomeOutlined, ImportOutlined, TeamOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/community/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const community: ConsoleModule<typeof zh> = {
  name: 'community',
  messages: { zh, en },
  routes: [
    { path: '/community/residents', permission: 'community.read', label: 'nav.community.residents', group: 'nav.group.community', icon: <TeamOutlined />, component: lazy(() => import('./ResidentsPage.tsx')) },
    { path: '/community/households', permission: 'community.read', label: 'nav.community.households', group: 'nav.group.community', icon: <HomeOutlined />, component: lazy(() => import('./HouseholdsPage.tsx')) },
    { path: '/community/buildings', permission: 'community.read', label: 'nav.community.buildings', group: 'nav.group.community', icon: <BankOutlined />, component: lazy(() => import('./BuildingsPage.tsx')) },
    { path: '/community/imports', permission: 'community.manage', label: 'nav.community.imports', group: 'nav.group.community', icon: <ImportOutlined />, component: lazy(() => import('./ImportPage.tsx')) },
    { path: '/community/grids', permission: 'community.read', label: 'nav.community.grids', group: 'nav.group.community', icon: <ApartmentOutlined />, component: lazy(() => import('./GridsPage.tsx')) },
  ],
};

export default community;
