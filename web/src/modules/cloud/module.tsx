// The cloud console module (云资源): the pool's overview, VMs, business systems, department quotas, placement with the
// host-failure simulation, the consolidation report, the flavour and image catalogue.
import { lazy } from 'react';
import { ApartmentOutlined, AppstoreOutlined, CloudServerOutlined, DashboardOutlined, FundOutlined, ProfileOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/cloud/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';
import { placementEn, placementRoutes, placementZh } from './placement/routes.tsx';

const messagesZh = { ...zh, ...placementZh };
const messagesEn = { ...en, ...placementEn };

const cloud: ConsoleModule<typeof messagesZh> = {
  name: 'cloud',
  messages: { zh: messagesZh, en: messagesEn },
  routes: [
    { path: '/cloud/overview', permission: 'cloud.read', label: 'nav.cloud.overview', group: 'nav.group.cloud', icon: <DashboardOutlined />, component: lazy(() => import('./OverviewPage.tsx')) },
    { path: '/cloud/vms', permission: 'cloud.read', label: 'nav.cloud.vms', group: 'nav.group.cloud', icon: <CloudServerOutlined />, component: lazy(() => import('./VmsPage.tsx')) },
    { path: '/cloud/systems', permission: 'cloud.read', label: 'nav.cloud.systems', group: 'nav.group.cloud', icon: <AppstoreOutlined />, component: lazy(() => import('./SystemsPage.tsx')) },
    { path: '/cloud/quotas', permission: 'cloud.read', label: 'nav.cloud.quotas', group: 'nav.group.cloud', icon: <ApartmentOutlined />, component: lazy(() => import('./QuotasPage.tsx')) },
    { path: '/cloud/catalogue', permission: 'cloud.read', label: 'nav.cloud.catalogue', group: 'nav.group.cloud', icon: <ProfileOutlined />, component: lazy(() => import('./CataloguePage.tsx')) },
    ...placementRoutes,
    { path: '/cloud/consolidation', permission: 'cloud.read', label: 'nav.cloud.consolidation', group: 'nav.group.cloud', icon: <FundOutlined />, component: lazy(() => import('./ConsolidationPage.tsx')) },
  ],
};

export default cloud;
