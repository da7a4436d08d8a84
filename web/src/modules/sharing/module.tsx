// The sharing console module (数据共享交换): the request wizard and my requests, the provider's approvals inbox,
// data grants and client applications.
import { lazy } from 'react';
import { ApiOutlined, AuditOutlined, FileAddOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type {} from '../../../../src/modules/sharing/permissions.ts';
import type { ConsoleModule } from '../../routes.tsx';
import { en, zh } from './messages.ts';

const sharing: ConsoleModule<typeof zh> = {
  name: 'sharing',
  messages: { zh, en },
  routes: [
    {
      path: '/sharing/requests',
      permission: 'sharing.request',
      label: 'nav.sharing.requests',
      group: 'nav.group.sharing',
      icon: <FileAddOutlined />,
      component: lazy(() => import('./RequestsPage.tsx')),
      children: [{ path: 'new', permission: 'sharing.request', component: lazy(() => import('./RequestWizard.tsx')) }],
    },
    { path: '/sharing/approvals', permission: 'sharing.decide', label: 'nav.sharing.approvals', group: 'nav.group.sharing', icon: <AuditOutlined />, component: lazy(() => import('./ApprovalsPage.tsx')) },
    { path: '/sharing/grants', permission: 'sharing.request', label: 'nav.sharing.grants', group: 'nav.group.sharing', icon: <SafetyCertificateOutlined />, component: lazy(() => import('./GrantsPage.tsx')) },
    { path: '/sharing/clients', permission: 'clients.manage', label: 'nav.sharing.clients', group: 'nav.group.sharing', icon: <ApiOutlined />, component: lazy(() => import('./ClientsPage.tsx')) },
  ],
};

export default sharing;
